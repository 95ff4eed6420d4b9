import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KeyProtector, WrappedKey } from './key-protector';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export class LedgerOpenError extends Error {
  constructor(
    readonly code: 'WRONG_KEY' | 'CORRUPT' | 'NEWER_SCHEMA' | 'MISSING_KEY',
    message: string,
  ) {
    super(message);
    this.name = 'LedgerOpenError';
  }
}

export interface OpenLedgerOptions {
  /** Directory holding ledger.db and key.json. */
  dir: string;
  protector: KeyProtector;
}

const DB_FILE = 'ledger.db';
const KEY_FILE = 'key.json';

function writeFileDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Opens (or creates) the station's encrypted ledger. A wrong key or a damaged file is an error,
 * never a fresh empty database: an existing ledger.db without its key.json refuses to open.
 */
export async function openLedger(opts: OpenLedgerOptions): Promise<Db> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const dbPath = join(opts.dir, DB_FILE);
  const keyPath = join(opts.dir, KEY_FILE);
  const dbExists = existsSync(dbPath);
  let key: Buffer;
  if (existsSync(keyPath)) {
    const wrapped = JSON.parse(readFileSync(keyPath, 'utf8')) as WrappedKey;
    key = await opts.protector.unwrap(wrapped);
  } else {
    if (dbExists) throw new LedgerOpenError('MISSING_KEY', `The ledger at ${dbPath} exists but its key file is missing`);
    key = randomBytes(32);
    writeFileDurably(keyPath, JSON.stringify(await opts.protector.wrap(key)));
  }
  return openWithKey(dbPath, key);
}

/** Opens the SQLCipher file with a raw 32-byte key; exported for tests and the crash child. */
export function openWithKey(dbPath: string, key: Buffer): Db {
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = new Database(dbPath);
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma(`legacy=4`);
    db.pragma(`key="x'${key.toString('hex')}'"`);
    // The first read proves the key: SQLCipher reports a wrong key as "file is not a database".
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    const msg = (e as Error).message;
    if (/not a database|encrypted/i.test(msg)) {
      throw new LedgerOpenError('WRONG_KEY', 'The ledger cannot be read with this key (wrong key or not an encrypted ledger)');
    }
    throw new LedgerOpenError('CORRUPT', `The ledger is damaged: ${msg}`);
  }
  try {
    chmodSync(dbPath, 0o600);
  } catch {
    /* best effort on filesystems without modes */
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 32 MiB page cache: every page read from disk is decrypted, and search-as-you-type over a
  // million cards touches pages all over the file (docs/performance.md, lookup by last 4).
  db.pragma('cache_size = -32768');
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') {
    db.close();
    throw new LedgerOpenError('CORRUPT', `The ledger failed its integrity check: ${String(check)}`);
  }
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new LedgerOpenError('NEWER_SCHEMA', `The ledger was written by a newer version (schema ${current} > ${latest})`);
  }
  for (let v = current; v < latest; v++) {
    const m = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
