// as: shared/domain/fixture.ts
import pino from 'pino'; // ✗ shared is pure
import { inspect } from 'util'; // ✗
import { something } from '../../renderer/lib/format'; // ✗ shared imports nothing of ours outside shared
export { Money } from '../../electron/core/deps'; // ✗ re-exports count too
import { z } from 'zod';
export const all = [pino, inspect, something, z];
