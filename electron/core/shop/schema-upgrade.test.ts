import pg from 'pg';
import { expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { memoryDb } from '../people/test-kit';
import { enableReplication } from './outbox';
import { ShopServer } from './server-client';
import { SERVER_MIGRATIONS } from './server-migrations';
import { migrateShopServer } from './server-schema';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/** A desk updated while in a shop: its link brings the server's schema up to its version (docs/stations.md). */
describePg('a station updated while in a shop', () => {
  const pgh = usePg();

  it('brings the server schema up to its version when its link starts, and its new tables replicate', async () => {
    const url = await pgh.freshDatabase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const server = new ShopServer({ connectionString: url });
    const db = memoryDb();
    const sync = new StationSync(db, server, { clock: new ManualClock(), stationName: 'Desk 1', retryMs: [100] });
    try {
      // The shop as the previous version left it: schema 4, this desk already a member.
      await migrateShopServer(admin, SERVER_MIGRATIONS.slice(0, 4));
      const st = enableReplication(db, '2026-12-04T10:00:00.000Z');
      await admin.query('INSERT INTO stations (id, name) VALUES ($1, $2)', [st.stationId, 'Desk 1']);
      db.prepare(`INSERT INTO shop_settings (key, value_json, updated_at) VALUES ('timeZone', '"Asia/Tokyo"', '2026-12-04T10:00:00.000Z')`).run();
      sync.start();
      await expect.poll(async () => (await admin.query<{ v: number }>('SELECT max(version) AS v FROM shop_schema_migrations')).rows[0]!.v, { timeout: 10_000, interval: 100 }).toBe(SERVER_MIGRATIONS.at(-1)!.version);
      await expect.poll(async () => (await admin.query(`SELECT pk FROM records WHERE tbl = 'shop_settings'`)).rows, { timeout: 10_000, interval: 100 }).toEqual([{ pk: 'timeZone' }]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get()).toEqual({ n: 0 });
    } finally {
      await sync.stop();
      await server.close();
      await admin.end();
    }
  });
});
