// as: electron/core/payments/fixture.ts
import { startServer } from '../../web/server'; // ✗ the core never knows its shells
export const x = startServer;
