// as: electron/gateway/aps/fixture.ts
import { createCore } from '../../core/app'; // ✗ the gateway never knows the core
export const x = createCore;
