import { spawn } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The ledger's integrity check without blocking the start (docs/decisions/ledger-integrity-check.md).
 *
 * On open, SQLite's full `quick_check` (it reads and authenticates every page: 18 s for a year of
 * a busy shop) runs only when the file may be damaged: the last run did not close the ledger (its
 * write-ahead log is still there), or a check or a read has found it damaged before (recorded in
 * `ledger.integrity.json`, which the next open obeys). Otherwise the same `quick_check` runs in a
 * separate low-priority process on a read-only view of the file, while the station works.
 */

export const INTEGRITY_FILE = 'ledger.integrity.json';

export interface IntegrityRecord {
  /** 'damaged': a check or a read found the ledger damaged; the next open checks it in full and refuses it unless it passes. */
  state: 'ok' | 'damaged';
  at: string;
  detail: string;
}

export function readIntegrityRecord(dir: string): IntegrityRecord | null {
  const path = join(dir, INTEGRITY_FILE);
  if (!existsSync(path)) return null;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as IntegrityRecord;
    return r.state === 'ok' || r.state === 'damaged' ? r : { state: 'damaged', at: '', detail: `unreadable ${INTEGRITY_FILE}` };
  } catch {
    // A record we cannot read is treated as the worst it could have said.
    return { state: 'damaged', at: '', detail: `unreadable ${INTEGRITY_FILE}` };
  }
}

/** Writes a small file so that it is either the old or the new one after a crash. */
export function writeFileDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

export function writeIntegrityRecord(dir: string, rec: IntegrityRecord): void {
  writeFileDurably(join(dir, INTEGRITY_FILE), JSON.stringify(rec));
}

/** Why the next open must check the whole file before using it (null: it need not). */
export function fullCheckReason(dbPath: string): string | null {
  // SQLite deletes the WAL when the last connection closes it; one left behind means the process
  // stopped with the ledger open (crash, kill, power cut), the moment a lost write can happen.
  const wal = `${dbPath}-wal`;
  if (existsSync(wal)) return `the last run did not close the ledger (${statSync(wal).size} bytes of write-ahead log left)`;
  const rec = readIntegrityRecord(dirname(dbPath));
  if (rec?.state === 'damaged') return `found damaged before: ${rec.detail}`;
  return null;
}

/** SQLite errors that mean the file itself is damaged (not busy, not full, not a bug of ours). */
export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT_'));
}

export interface CheckInput {
  dbPath: string;
  key: Buffer;
  /** The cipher pragmas (before the key), as openWithKey sets them. */
  pragmas: string[];
}

export type CheckOutcome =
  | { kind: 'ok'; ms: number }
  | { kind: 'damaged'; detail: string; ms: number }
  /** The check itself could not run (no process, killed, timed out): says nothing about the file. */
  | { kind: 'not-run'; detail: string; ms: number };

/**
 * The checker: plain JavaScript for `node -e` (no TypeScript loader in the child). It reads its
 * orders on stdin (the key never goes on a command line or into the environment), opens the file
 * `immutable` (no lock, so the core's exclusive lock does not refuse it, and the WAL is not read:
 * it sees the main file only, which the core keeps still while the check runs) and answers one
 * JSON line.
 */
const CHECKER = String.raw`
let input = '';
process.stdin.setEncoding('utf8').on('data', (d) => (input += d)).on('end', () => {
  const job = JSON.parse(input);
  const answer = (a) => process.stdout.write(JSON.stringify(a) + '\n');
  let db;
  try {
    const Database = require(job.module);
    db = new Database('file:' + encodeURI(job.dbPath).replace(/\?/g, '%3f').replace(/#/g, '%23') + '?immutable=1', { readonly: true, fileMustExist: true });
    for (const p of job.pragmas) db.pragma(p);
    db.pragma('key="x\'' + job.key + '\'"');
    db.pragma('cache_size = -8192');
    const r = db.pragma('quick_check', { simple: true });
    answer(r === 'ok' ? { kind: 'ok' } : { kind: 'damaged', detail: String(r) });
  } catch (e) {
    const code = e && e.code;
    const corrupt = code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT_'));
    answer(corrupt ? { kind: 'damaged', detail: e.message } : { kind: 'not-run', detail: String(code || '') + ' ' + (e && e.message) });
  } finally {
    try { if (db) db.close(); } catch {}
  }
});
`;

/** The SQLite module's path, for the checker to load the same build (Electron's included). */
function sqliteModule(): string {
  const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'package.json');
  return createRequire(from).resolve('better-sqlite3-multiple-ciphers');
}

export interface RunningCheck {
  done: Promise<CheckOutcome>;
  /** Ends the checker (the core is closing); `done` resolves 'not-run'. */
  stop(): void;
}

/** Runs `quick_check` on the main file in a child process at the lowest CPU priority. */
export function startFileCheck(input: CheckInput, timeoutMs = 30 * 60_000): RunningCheck {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  // ELECTRON_RUN_AS_NODE: in the desktop app process.execPath is Electron, which then acts as Node.
  const child = spawn(process.execPath, ['-e', CHECKER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, SQLITE_USE_URI: '1', ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '' },
    windowsHide: true,
  });
  let out = '';
  let err = '';
  let stopped = false;
  const done = new Promise<CheckOutcome>((resolve) => {
    const timer = setTimeout(() => {
      stopped = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    timer.unref();
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'not-run', detail: e.message, ms: ms() });
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-500)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (stopped) return resolve({ kind: 'not-run', detail: 'stopped', ms: ms() });
      try {
        const a = JSON.parse(out.trim().split('\n').pop() ?? '') as { kind: 'ok' } | { kind: 'damaged' | 'not-run'; detail: string };
        resolve(a.kind === 'ok' ? { kind: 'ok', ms: ms() } : { kind: a.kind, detail: a.detail, ms: ms() });
      } catch {
        resolve({ kind: 'not-run', detail: `checker exited ${code}: ${err.trim()}`, ms: ms() });
      }
    });
  });
  try {
    if (child.pid) setPriority(child.pid, 19);
  } catch {
    /* not allowed here: it runs at normal priority */
  }
  child.stdin.on('error', () => {});
  child.stdin.end(JSON.stringify({ module: sqliteModule(), dbPath: input.dbPath, pragmas: input.pragmas, key: input.key.toString('hex') }));
  return {
    done,
    stop() {
      if (child.exitCode === null && !stopped) {
        stopped = true;
        child.kill('SIGKILL');
      }
    },
  };
}
