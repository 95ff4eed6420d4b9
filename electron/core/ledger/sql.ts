import { randomFillSync } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/database';

// Prepared statements cached per database and SQL text: the payment path runs the same few
// statements thousands of times, and preparing costs far more than running.
const caches = new WeakMap<Db, Map<string, Statement>>();

export function stmt(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}

interface TxStatements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  savepoint: Statement;
  release: Statement;
  rollbackTo: Statement;
}
const txStatements = new WeakMap<Db, TxStatements>();

/**
 * Runs fn in one transaction (nested calls become savepoints), as better-sqlite3's
 * `db.transaction(fn)()` does, with the control statements prepared once per database: building
 * a transaction function per call (four wrappers and their properties) was ~4 % of a forwarded
 * operation's CPU, at five transactions or savepoints per operation (issue #21).
 */
export function tx<T>(db: Db, fn: () => T): T {
  let s = txStatements.get(db);
  if (!s) {
    // One name for every level: SQLite's savepoints are a stack, and RELEASE / ROLLBACK TO a name take the innermost.
    s = { begin: db.prepare('BEGIN'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK'), savepoint: db.prepare('SAVEPOINT pos_tx'), release: db.prepare('RELEASE pos_tx'), rollbackTo: db.prepare('ROLLBACK TO pos_tx') };
    txStatements.set(db, s);
  }
  const nested = db.inTransaction;
  (nested ? s.savepoint : s.begin).run();
  try {
    const result = fn();
    if (result instanceof Promise) throw new TypeError('A transaction cannot wait: its function returned a promise');
    (nested ? s.release : s.commit).run();
    return result;
  } catch (e) {
    // SQLite may have rolled the whole transaction back itself (a full disk, an interrupt).
    if (db.inTransaction) {
      if (nested) {
        s.rollbackTo.run();
        s.release.run();
      } else s.rollback.run();
    }
    throw e;
  }
}

/**
 * How a write of the operation log reaches the disk: the promise settles once `fn`'s changes are
 * committed (synchronous=FULL: on disk). A caller must not act on the write (send a request,
 * answer a person) before it settles.
 */
export type Committer = <T>(fn: () => T) => Promise<T>;

/** One transaction, one fsync, now. */
export function immediateCommit(db: Db): Committer {
  return <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(tx(db, fn));
    } catch (e) {
      return Promise.reject(e);
    }
  };
}

/** Process-wide diagnostics of every GroupCommit: writes / commits = mean group size (the bench reports it). */
export const groupCommitStats = { commits: 0, writes: 0 };

interface Job {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: writes queued during one turn of the event loop run, each in its own savepoint,
 * inside ONE transaction, so they share one fsync. Every caller still waits for the commit before
 * its promise settles, so "durable before acting" holds for each of them exactly as with
 * `immediateCommit`. A write that throws rolls back its own savepoint only and rejects its own
 * caller; a failed commit rejects every caller of the group (nothing of the group is on disk).
 *
 * Used by the forwarder, which has many payments in flight: with synchronous SQLite an fsync
 * blocks the whole thread, so N concurrent payments committing one by one cost N fsyncs of thread
 * time where one would do.
 */
export class GroupCommit {
  private jobs: Job[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  readonly commit: Committer = <T>(fn: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      this.jobs.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: replies that arrived together commit together.
        setImmediate(() => this.flush());
      }
    });

  private flush(): void {
    this.scheduled = false;
    const jobs = this.jobs;
    this.jobs = [];
    if (jobs.length === 0) return;
    const done: { job: Job; ok: boolean; value: unknown }[] = [];
    try {
      tx(this.db, () => {
        for (const job of jobs) {
          try {
            done.push({ job, ok: true, value: tx(this.db, job.fn) });
          } catch (e) {
            done.push({ job, ok: false, value: e });
          }
        }
      });
    } catch (e) {
      for (const job of jobs) job.reject(e);
      return;
    }
    groupCommitStats.commits++;
    groupCommitStats.writes += jobs.length;
    for (const d of done) {
      if (d.ok) d.job.resolve(d.value);
      else d.job.reject(d.value);
    }
  }
}

// Ids are a creation-time prefix (9 base-36 digits of epoch milliseconds, fixed width, so they
// sort by time until the year 5188) and 7 random base64url characters (42 bits): 16 characters
// after the prefix, as before. Rows inserted one after another land next to each other at the
// right edge of the id's B-tree instead of on a random leaf each (fewer pages written per commit).
// The random part keeps ids of one millisecond apart; the PRIMARY KEY would refuse a collision.
// The time is only an ordering hint (not a business time), so it is the process clock.
const TIME_DIGITS = 9;

let idSource: ((prefix: string) => string) | null = null;

/**
 * Test support: the deterministic simulation makes ids from its seed and virtual clock, so a
 * replayed seed orders rows the same way (null: back to time + random).
 */
export function useIdSource(source: ((prefix: string) => string) | null): void {
  idSource = source;
}

// The random parts come from one CSPRNG fill per 512 ids: a call into OpenSSL per id was ~5 % of
// a live operation's first commit (perf, docs/performance.md issue 21). Same generator, same bits.
const RANDOM_BYTES = 6;
const pool = Buffer.alloc(RANDOM_BYTES * 512);
let poolAt = pool.length;

/** Opaque row ids for the contract's Id type ([A-Za-z0-9_-]{1,64}), time-ordered (see above). */
export function newId(prefix: string, now: number = Date.now()): string {
  if (idSource) return idSource(prefix);
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const random = pool.toString('base64url', poolAt, poolAt + RANDOM_BYTES).slice(0, 7);
  poolAt += RANDOM_BYTES;
  return `${prefix}_${now.toString(36).padStart(TIME_DIGITS, '0')}${random}`;
}
