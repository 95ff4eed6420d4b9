import { createHash } from 'node:crypto';
import type { Db } from '../core/db/database';

/** Test support: a digest of every row of every ledger table, to prove "nothing changed". */
export function ledgerDigest(db: Db): string {
  const hash = createHash('sha256');
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    let rows: unknown[];
    try {
      rows = db.prepare(`SELECT * FROM ${quoted} ORDER BY rowid`).all();
    } catch {
      rows = db.prepare(`SELECT * FROM ${quoted}`).all(); // WITHOUT ROWID tables keep key order
    }
    hash.update(name).update('\0').update(JSON.stringify(rows)).update('\0');
  }
  return hash.digest('hex');
}
