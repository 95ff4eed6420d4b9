// Test fixtures for the people and customers features (imported by *.test.ts only).
import Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/database';
import { migrate } from '../db/database';
import { ManualClock } from '../clock';
import { CoreEvents } from '../events';
import { MemorySettingsStore } from '../settings/defaults';
import type { CoreDeps, Logger } from '../deps';
import type { Gateway } from '../../gateway/types';
import type { Settings } from '../../../shared/contract';
import { useScryptParamsForTests } from './secrets';

// Cheap hashing in tests (secrets.test.ts checks the production parameters separately).
useScryptParamsForTests({ N: 1 << 10, r: 8, p: 1 });

/** A logger that keeps every line, so tests can prove no PIN or hash was logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => void lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
  return { lines, info: rec('info'), warn: rec('warn'), error: rec('error'), debug: rec('debug') };
}

export function memoryDb(): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export interface TestDeps extends CoreDeps {
  clock: ManualClock;
  settings: MemorySettingsStore;
  log: ReturnType<typeof recordingLogger>;
}

export function testDeps(settings: Partial<Settings> = {}, db: Db = memoryDb()): TestDeps {
  const gateway = { name: 'APS sandbox', isSandbox: true } as unknown as Gateway;
  return {
    db,
    gateway,
    clock: new ManualClock('2026-01-15T10:00:00.000Z'),
    station: 'Desk 1',
    settings: new MemorySettingsStore(settings),
    events: new CoreEvents(),
    log: recordingLogger(),
    hostedReturnUrl: 'http://127.0.0.1/return',
  };
}

export const MIN = 60_000;
