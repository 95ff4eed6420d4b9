import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { generateCustomers } from '../customers/generate';
import { searchCustomers } from '../customers/search';
import { openWithKey, type Db } from '../db/database';
import { searchIndexDeferred } from './first-pull-index';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/**
 * A first pull builds the search index once at its end (first-pull-index.ts). Against a real
 * PostgreSQL and real encrypted ledgers: the index it builds is the one per-record indexing
 * builds, and a station SIGKILLed mid-pull, or after the rows and before the index, still ends
 * with the whole index once it is started again.
 */
describePg('a first pull builds the search index at its end', () => {
  const pg = usePg();
  const key = Buffer.alloc(32, 9);
  let dir: string;
  let url: string;
  let source: Db;
  let srv: ShopServer;
  let sourceSync: StationSync;
  const open: Db[] = [];
  const servers: ShopServer[] = [];

  const station = (name: string) => {
    const db = openWithKey(join(dir, `${name}.db`), key);
    open.push(db);
    return db;
  };
  const server = () => {
    const s = new ShopServer({ connectionString: url });
    servers.push(s);
    return s;
  };
  const terms = (db: Db) => db.prepare('SELECT term, kind, customer_id, ref FROM search_terms ORDER BY term, customer_id, kind, ref').all();
  const found = (db: Db, q: string) => searchCustomers(db, q, { limit: 50, offset: 0 }, systemClock).hits.map((h) => h.customer.id);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pos-first-pull-'));
    url = await pg.freshDatabase();
    source = station('source');
    generateCustomers(source, { customers: 600, seed: 29 });
    // Accents, hyphens, an apostrophe, and an order with a reference: every kind of term.
    const at = '2026-12-01T10:00:00.000Z';
    source.prepare(`INSERT INTO customers (id, name, email, phone, created_at, updated_at) VALUES ('cus_fp_1', 'José Álvarez-O''Brien', 'JOSE@Example.com', '+34 600 12 34 56', ?, ?)`).run(at, at);
    source
      .prepare(
        `INSERT INTO orders (id, reference, channel, customer_id, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at)
         VALUES ('ord_fp_1', 'PO-2026 77', 'phone', 'cus_fp_1', 'USD', '[]', 100, 0, 100, 'awaiting_payment', ?, 'u', 'U', ?)`,
      )
      .run(at, at);
    srv = server();
    sourceSync = new StationSync(source, srv, { clock: systemClock, stationName: 'Source', pushBatch: 1000 });
    await sourceSync.join();
    await sourceSync.syncOnce();
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const db of open) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The index a first pull leaves when each record is indexed as it is written. */
  let perRecord: unknown[];

  it('indexed per record or once at the end, the index and the lookups are the same', async () => {
    const each = station('each');
    const once = station('once');
    const s1 = new StationSync(each, server(), { clock: systemClock, stationName: 'Each', pullBatch: 100, deferIndexFrom: Infinity });
    const s2 = new StationSync(once, server(), { clock: systemClock, stationName: 'Once', pullBatch: 100, deferIndexFrom: 0 });
    await s1.join();
    await s2.join();
    await s1.syncOnce();
    await s2.syncOnce();
    perRecord = terms(each);
    expect(perRecord.length).toBeGreaterThan(600 * 3);
    expect(terms(once)).toEqual(perRecord);
    expect(searchIndexDeferred(once)).toBe(false);
    expect(once.prepare(`SELECT sql FROM sqlite_master WHERE name = 'search_terms_customer'`).get()).toEqual(each.prepare(`SELECT sql FROM sqlite_master WHERE name = 'search_terms_customer'`).get());
    for (const q of ['jose', 'alvarez', 'obrien', 'jose@example.com', '600 12', '3456', 'PO-2026 77']) expect(found(once, q), q).toEqual(found(each, q));
    expect(found(once, 'alvarez')).toContain('cus_fp_1');
    // A later record is indexed as it arrives again (the deferral was for the first pull only).
    const at = new Date().toISOString();
    source.prepare(`INSERT INTO customers (id, name, created_at, updated_at) VALUES ('cus_fp_2', 'Zebedee Quist', ?, ?)`).run(at, at);
    await sourceSync.syncOnce();
    await s2.syncOnce();
    expect(found(once, 'zebedee')).toEqual(['cus_fp_2']);
    await s1.syncOnce();
    perRecord = terms(each);
    expect(perRecord).toEqual(terms(once));
  }, 60_000);

  const crashingPull = (name: string, kill: 'mid' | 'pulled') =>
    new Promise<{ signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'first-pull-station.ts')], {
        env: { ...process.env, FP_DB: join(dir, `${name}.db`), FP_KEY: key.toString('hex'), FP_PG_URL: url, FP_BATCH: '100', FP_KILL: kill },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (_code, signal) => resolve({ signal, out }));
    });

  for (const kill of ['mid', 'pulled'] as const) {
    it(`a station SIGKILLed ${kill === 'mid' ? 'mid-pull' : 'after the rows, before the index'} builds the whole index when started again`, async () => {
      const name = `crash-${kill}`;
      const { signal, out } = await crashingPull(name, kill);
      expect(signal, out).toBe('SIGKILL');

      const db = station(name);
      // The deferral survived the crash; the rows are (partly) there, their terms are not.
      expect(searchIndexDeferred(db)).toBe(true);
      const rows = (d: Db) => (d.prepare('SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM cards) AS n').get() as { n: number }).n;
      const held = rows(db);
      const total = rows(source);
      if (kill === 'mid') {
        expect(held).toBeGreaterThan(0);
        expect(held).toBeLessThan(total);
      } else expect(held).toBe(total);
      expect(terms(db)).toEqual([]);
      expect(found(db, 'alvarez')).toEqual([]);

      // Started again: a plain sync (no threshold reached: the flag alone carries the deferral).
      await new StationSync(db, server(), { clock: systemClock, stationName: name, deferIndexFrom: Infinity }).syncOnce();
      expect(searchIndexDeferred(db)).toBe(false);
      expect(terms(db)).toEqual(perRecord);
      expect(found(db, 'alvarez')).toContain('cus_fp_1');
    }, 60_000);
  }
});
