import { randomBytes } from 'node:crypto';
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

/** Runs fn in one transaction (nested calls become savepoints). */
export function tx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}

/** Opaque row ids for the contract's Id type ([A-Za-z0-9_-]{1,64}). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
