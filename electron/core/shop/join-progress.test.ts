import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { startHarness, type Harness } from '../payments/test-harness';
import { ShopServer } from './server-client';
import { StationSync, type ShopStatus } from './station-sync';
import { describePg, usePg } from './test-pg';

/** A new desk's first pull says how far it is (the Settings panel's progress bar): fetched of fetched + behind. */
describePg('joining: progress of the first pull', () => {
  const pg = usePg();
  let sb: SandboxHandle;
  let a: Harness;
  let b: Harness;
  const servers: ShopServer[] = [];

  beforeAll(async () => {
    sb = await startSandbox();
    a = await startHarness({ sandbox: sb });
    b = await startHarness({ sandbox: sb });
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.close();
    await a?.close();
    await b?.close();
    await sb?.close();
  });

  it('catching up reports the records fetched and still behind, batch by batch, then 0 and 0', async () => {
    const url = await pg.freshDatabase();
    for (let i = 0; i < 40; i++) await a.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Widget', quantity: 1, unitPrice: 100, taxRateBp: 0 }], newCustomer: { name: `Customer ${i}`, email: '', phone: '' } });
    const srvA = new ShopServer({ connectionString: url });
    const srvB = new ShopServer({ connectionString: url });
    servers.push(srvA, srvB);
    const syncA = new StationSync(a.db, srvA, { clock: a.clock, stationName: 'Desk 1' });
    await syncA.join();
    await syncA.syncOnce();
    const seen: Pick<ShopStatus, 'state' | 'behind' | 'fetched'>[] = [];
    const syncB = new StationSync(b.db, srvB, { clock: b.clock, stationName: 'Desk 2', pullBatch: 10, onStatus: (s) => seen.push({ state: s.state, behind: s.behind, fetched: s.fetched }) });
    await syncB.join();
    await syncB.syncOnce();
    const catching = seen.filter((s) => s.state === 'catching_up');
    expect(catching.length).toBeGreaterThan(2);
    const total = catching[0]!.fetched + catching[0]!.behind;
    expect(total).toBeGreaterThanOrEqual(40);
    // Every step adds up to the same total, and the part fetched only grows.
    for (const s of catching) expect(s.fetched + s.behind).toBe(total);
    expect(catching.map((s) => s.fetched)).toEqual([...catching.map((s) => s.fetched)].sort((x, y) => x - y));
    expect(catching.some((s) => s.fetched > 0 && s.behind > 0)).toBe(true);
    expect(syncB.status()).toMatchObject({ behind: 0, fetched: 0 });
    expect((b.db.prepare(`SELECT COUNT(*) AS n FROM customers WHERE name LIKE 'Customer %'`).get() as { n: number }).n).toBe(40);
  });
});
