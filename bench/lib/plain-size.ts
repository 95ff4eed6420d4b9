/**
 * The same data in plain SQLite, for the year suite's file-size row: every table (FTS5 shadow
 * tables excepted: the index is rebuilt), index and trigger of the ledger recreated in an
 * unencrypted file attached with an empty key (SQLite's default 4 KiB pages), rows copied table by
 * table, then the FTS5 index rebuilt. SQLite3 Multiple Ciphers has no sqlcipher_export, and
 * VACUUM INTO keeps the cipher. Computed once per year ledger and kept next to it.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger } from '../../electron/core/db/database';
import { protector } from './dataset';

export interface PlainSize {
  bytes: number;
  ms: number;
  note: string;
}

export async function plainSize(dir: string, log: (s: string) => void): Promise<PlainSize> {
  const cache = join(dir, 'plain-size.json');
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as PlainSize;
  log('year: copying the year ledger into plain SQLite once, for the file-size comparison…');
  const t0 = performance.now();
  const plain = join(dir, 'plain-copy.db');
  rmSync(plain, { force: true });
  const db = await openLedger({ dir, protector: protector() });
  try {
    db.prepare(`ATTACH DATABASE ? AS plain KEY ''`).run(plain);
    db.pragma('plain.journal_mode = OFF');
    db.pragma('plain.synchronous = OFF');
    const objects = db.prepare(`SELECT type, name, sql FROM main.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid`).all() as { type: string; name: string; sql: string }[];
    const virtualTables = objects.filter((o) => o.type === 'table' && /CREATE VIRTUAL TABLE/i.test(o.sql)).map((o) => o.name);
    const shadow = (name: string) => virtualTables.some((v) => name.startsWith(`${v}_`));
    const into = (sql: string, type: string) => sql.replace(new RegExp(`^CREATE (UNIQUE )?(VIRTUAL )?${type} (IF NOT EXISTS )?`, 'i'), (m) => `${m}plain.`);
    const tables = objects.filter((o) => o.type === 'table' && !shadow(o.name));
    db.transaction(() => {
      for (const t of tables) db.exec(into(t.sql, 'TABLE'));
      for (const t of tables) if (!virtualTables.includes(t.name)) db.exec(`INSERT INTO plain."${t.name}" SELECT * FROM main."${t.name}"`);
      for (const i of objects.filter((o) => o.type === 'index')) db.exec(into(i.sql, 'INDEX'));
      for (const v of virtualTables) db.exec(`INSERT INTO plain."${v}"("${v}") VALUES ('rebuild')`);
    })();
    db.exec('DETACH DATABASE plain');
  } finally {
    db.close();
  }
  const out: PlainSize = { bytes: statSync(plain).size, ms: Math.round(performance.now() - t0), note: 'unencrypted SQLite, 4 KiB pages, same tables and indexes, rows copied' };
  if (process.env.BENCH_KEEP_PLAIN !== '1') rmSync(plain, { force: true });
  writeFileSync(cache, JSON.stringify(out));
  return out;
}
