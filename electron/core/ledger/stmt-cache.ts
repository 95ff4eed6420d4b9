import type { Db } from '../db/database';
import type Database from 'better-sqlite3-multiple-ciphers';

type Statement = Database.Statement;

// Prepared statements cached per database and per SQL text: preparing is far costlier than
// running, and these modules are called on every keystroke of a search.
const caches = new WeakMap<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Several named statements at once: `stmtCache(db, { get: 'SELECT …' }).get.get(id)`. */
export function stmtCache<K extends string>(db: Db, sqls: Record<K, string>): Record<K, Statement> {
  const out = {} as Record<K, Statement>;
  for (const k of Object.keys(sqls) as K[]) out[k] = prepared(db, sqls[k]);
  return out;
}
