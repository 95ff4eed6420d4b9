import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { privateDir, privateSqliteFiles } from '../../gateway/private-files';
import { dirname, join } from 'node:path';
import type { KeyProtector, WrappedKey } from './key-protector';
import { MIGRATIONS } from './migrations';
import { fullCheckReason, readIntegrityRecord, writeFileDurably, writeIntegrityRecord, type CheckInput } from './integrity';

export type Db = Database.Database;

export class LedgerOpenError extends Error {
  constructor(
    readonly code: 'WRONG_KEY' | 'CORRUPT' | 'NEWER_SCHEMA' | 'MISSING_KEY' | 'IN_USE' | 'UNKNOWN_FORMAT',
    message: string,
  ) {
    super(message);
    this.name = 'LedgerOpenError';
  }
}

/**
 * How the ledger file is encrypted and laid out; recorded in key.json next to the wrapped key,
 * because neither can be read back from an encrypted file before it is opened.
 *
 * New ledgers use AEGIS-256 (an authenticated cipher: every page carries a 256-bit tag, so a
 * changed page is refused as SQLCipher's HMAC refuses it) with 2 KiB pages: per commit it costs
 * less than half the CPU of SQLCipher's AES-CBC + HMAC-SHA512 and writes half the bytes
 * (docs/decisions/ledger-format.md, docs/performance.md). Ledgers created before it was recorded
 * (a key.json without `ledger`) are SQLCipher 4 with 4 KiB pages and keep opening as such.
 */
export interface LedgerFormat {
  cipher: 'aegis-256' | 'sqlcipher-4';
  pageSize: 1024 | 2048 | 4096 | 8192;
}

export const NEW_LEDGER_FORMAT: LedgerFormat = { cipher: 'aegis-256', pageSize: 2048 };
/** What a key.json without a `ledger` entry means: the format of the first releases. */
export const LEGACY_LEDGER_FORMAT: LedgerFormat = { cipher: 'sqlcipher-4', pageSize: 4096 };

const CIPHER_PRAGMAS: Record<LedgerFormat['cipher'], string[]> = {
  'aegis-256': [`cipher = 'aegis'`, `algorithm = 'aegis-256'`],
  'sqlcipher-4': [`cipher = 'sqlcipher'`, 'legacy = 4'],
};

/** What is set before the key to read a file of this format. */
function cipherPragmas(format: LedgerFormat): string[] {
  return [...CIPHER_PRAGMAS[format.cipher], ...(format.cipher === 'sqlcipher-4' ? [`legacy_page_size = ${format.pageSize}`] : [])];
}

/** key.json: the wrapped key and how the file it opens is laid out. */
type KeyFile = WrappedKey & { ledger?: LedgerFormat };

function formatOf(file: KeyFile, keyPath: string): LedgerFormat {
  const f = file.ledger;
  if (f === undefined) return LEGACY_LEDGER_FORMAT;
  if (!(f.cipher in CIPHER_PRAGMAS) || ![1024, 2048, 4096, 8192].includes(f.pageSize)) {
    throw new LedgerOpenError('UNKNOWN_FORMAT', `${keyPath} names a ledger format this version cannot open (${JSON.stringify(f)})`);
  }
  return f;
}

export interface OpenLedgerOptions {
  /** Directory holding ledger.db and key.json. */
  dir: string;
  protector: KeyProtector;
}

const DB_FILE = 'ledger.db';
const KEY_FILE = 'key.json';

/**
 * Opens (or creates) the station's encrypted ledger. A wrong key or a damaged file is an error,
 * never a fresh empty database: an existing ledger.db without its key.json refuses to open.
 */
export async function openLedger(opts: OpenLedgerOptions): Promise<Db> {
  privateDir(opts.dir);
  const dbPath = join(opts.dir, DB_FILE);
  const keyPath = join(opts.dir, KEY_FILE);
  const dbExists = existsSync(dbPath);
  let key: Buffer;
  let format: LedgerFormat;
  if (existsSync(keyPath)) {
    const { ledger, ...wrapped } = JSON.parse(readFileSync(keyPath, 'utf8')) as KeyFile;
    format = formatOf({ ...wrapped, ledger }, keyPath);
    key = await opts.protector.unwrap(wrapped);
  } else {
    if (dbExists) throw new LedgerOpenError('MISSING_KEY', `The ledger at ${dbPath} exists but its key file is missing`);
    key = randomBytes(32);
    format = NEW_LEDGER_FORMAT;
    const file: KeyFile = { ...(await opts.protector.wrap(key)), ledger: format };
    writeFileDurably(keyPath, JSON.stringify(file));
  }
  return openWithKey(dbPath, key, format);
}

export interface OpenInfo {
  /** Why the whole file was checked before use (null: it was not; the core checks it in the background). */
  fullCheck: string | null;
  /** What a background check of this file needs (it opens its own read-only view). */
  checkInput: CheckInput;
}

const opened = new WeakMap<Db, OpenInfo>();

/** How `db` was opened by openWithKey / openLedger (undefined for another connection). */
export function openInfo(db: Db): OpenInfo | undefined {
  return opened.get(db);
}

/**
 * Opens the encrypted file with a raw 32-byte key in the given format (a new file is created in
 * it); exported for tests and the crash child. `fullCheck: 'always'` runs quick_check whatever
 * the file's history (tests); by default it runs only when the file may be damaged (integrity.ts).
 */
export function openWithKey(dbPath: string, key: Buffer, format: LedgerFormat = NEW_LEDGER_FORMAT, opts: { fullCheck?: 'always' | 'when-needed' } = {}): Db {
  privateDir(dirname(dbPath));
  // Before SQLite opens it: opening recovers and later removes the WAL this looks at.
  const reason = opts.fullCheck === 'always' ? 'asked for' : fullCheckReason(dbPath);
  privateSqliteFiles(dbPath);
  const db = new Database(dbPath);
  try {
    for (const p of cipherPragmas(format)) db.pragma(p);
    db.pragma(`key="x'${key.toString('hex')}'"`);
    // Only a file being created takes it; an existing one keeps the size it was made with.
    db.pragma(`page_size = ${format.pageSize}`);
    // One process owns the ledger: a second copy of the app (or a tool) opening it while this
    // one runs is refused instead of racing it for the queue. In WAL mode it also keeps the
    // WAL index in this process's memory rather than a shared-memory file, and each commit
    // skips the shared-memory lock calls (docs/decisions/ledger-format.md).
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 2000');
    // The first read proves the key (a wrong one reads as "file is not a database") and takes
    // the lock this connection keeps.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db.close();
    const msg = (e as Error).message;
    if (/database is locked|busy/i.test(msg)) {
      throw new LedgerOpenError('IN_USE', `The ledger at ${dbPath} is open in another copy of the app; close it first`);
    }
    if (/not a database|encrypted/i.test(msg)) {
      throw new LedgerOpenError('WRONG_KEY', 'The ledger cannot be read with this key (wrong key or not an encrypted ledger)');
    }
    throw new LedgerOpenError('CORRUPT', `The ledger is damaged: ${msg}`);
  }
  db.pragma('journal_mode = WAL');
  privateSqliteFiles(dbPath);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // 24 MiB page cache: every page read from disk is decrypted, and search-as-you-type over a
  // million cards touches pages all over the file. 32 MiB bought the lookups nothing measurable
  // and cost ~9 MB of RSS (docs/performance.md, memory, 2026-12-06).
  db.pragma('cache_size = -24576');
  if (reason !== null) {
    const dir = dirname(dbPath);
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (e) {
      check = (e as Error).message;
    }
    if (check !== 'ok') {
      // Recorded first: closing folds the WAL into the file, and the next open would not know.
      writeIntegrityRecord(dir, { state: 'damaged', at: new Date().toISOString(), detail: String(check).slice(0, 500) });
      db.close();
      throw new LedgerOpenError('CORRUPT', `The ledger failed its integrity check: ${String(check)}`);
    }
    if (readIntegrityRecord(dir)?.state === 'damaged') writeIntegrityRecord(dir, { state: 'ok', at: new Date().toISOString(), detail: 'full check passed on open' });
  }
  opened.set(db, { fullCheck: reason, checkInput: { dbPath, key: Buffer.from(key), pragmas: cipherPragmas(format) } });
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
