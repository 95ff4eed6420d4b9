import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { offlineGateway } from '../../gateway/offline-gateway';
import { createCore, type Core } from '../app';
import { ManualClock } from '../clock';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings';
import { ownRecord } from './outbox';
import { ShopServer } from './server-client';
import { describePg, usePg } from './test-pg';

/**
 * Leaving a shop (docs/decisions/leaving-a-shop.md), both sides, on a real PostgreSQL: the desk
 * that leaves keeps every record and acts on its own payments only; the desks that stay can no
 * longer act on the payments of the desk that left. So no payment has two desks acting on it
 * without the server between them, and no money moves twice.
 */
describePg('leaving a shop: admin only, confirmed, audited; everything kept; each payment keeps exactly one desk that may act on it', () => {
  const pgh = usePg();
  const protector = new PassphraseKeyProtector('shop leave tests', { N: 1 << 12 });
  const dirs: string[] = [];
  let a: Core;
  let b: Core;
  let url = '';
  let conn: Record<string, unknown>;
  const ka = { sessionKey: 'web:a', origin: 'test' };
  const kb = { sessionKey: 'web:b', origin: 'test' };
  const at = '2026-12-04T10:00:00.000Z';

  const start = async (station: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-leave-'));
    dirs.push(dir);
    return createCore({ dataDir: dir, protector, gateway: offlineGateway, clock: new ManualClock(), station, settings: new MemorySettingsStore({ stationName: station }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
  };
  /** An authorized card payment recorded at a desk (the gateway is not what is tested here). */
  const payment = (core: Core, id: string) => {
    core.db.prepare(`INSERT INTO orders (id, reference, channel, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at) VALUES (?, ?, 'phone', 'USD', '[]', 1000, 0, 1000, 'authorized', ?, 'u', 'U', ?)`).run(`ord_${id}`, `R-${id}`, at, at);
    core.db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, status, created_at, created_by, updated_at) VALUES (?, ?, ?, 'card', 'authorization', 'USD', 1000, 1000, 'authorized', ?, 'u', ?)`).run(id, `ord_${id}`, `R-${id}-P`, at, at);
  };
  const opsOf = (core: Core, id: string) => (core.db.prepare('SELECT COUNT(*) AS n FROM operations WHERE payment_id = ?').get(id) as { n: number }).n;
  const stationId = (core: Core) => (core.db.prepare('SELECT station_id FROM shop_state').get() as { station_id: string }).station_id;
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query<T>(sql, params)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    url = await pgh.freshDatabase();
    conn = { host: '127.0.0.1', port: pgh.cluster().port, database: new URL(url).pathname.slice(1), username: 'pos', password: 'x', tls: 'disable' };
    a = await start('Desk 1');
    b = await start('Desk 2');
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);
    expect(await a.dispatch('shop.connect', conn, ka)).toMatchObject({ ok: true });
    expect(await b.dispatch('shop.connect', conn, kb)).toMatchObject({ ok: true });
    payment(a, 'pay_a');
    payment(b, 'pay_b');
    const both = () => [a, b].every((c) => (c.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE id IN ('pay_a', 'pay_b')`).get() as { n: number }).n === 2);
    for (let i = 0; !both(); i++) {
      if (i > 100) throw new Error('the payments did not replicate');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is refused without the confirmation, to a clerk, and while another desk holds a lease on one of the leaving desk\'s payments (nothing changes)', async () => {
    expect(await a.dispatch('shop.leave', {}, ka)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const clerk = await a.dispatch('users.create', { name: 'Cid Clerk', role: 'clerk', pin: '11223344' }, ka);
    const kc = { sessionKey: 'web:clerk', origin: 'test' };
    await a.dispatch('session.login', { userId: (clerk as { value: { id: string } }).value.id, pin: '11223344' }, kc);
    expect(await a.dispatch('shop.leave', { confirm: true }, kc)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Desk 2 is working on Desk 1's payment: Desk 1 may not leave under it.
    const asB = new ShopServer({ connectionString: url });
    try {
      const lease = await asB.acquireLease(stationId(b), 'pay_a', 30_000);
      expect(lease.granted).toBe(true);
      expect(await a.dispatch('shop.leave', { confirm: true }, ka)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', text: { key: 'refuse.shopLeaveLeased', params: { count: 1 } } } });
      await asB.releaseLease('pay_a', lease.token!);
    } finally {
      await asB.close();
    }
    expect(await a.dispatch('shop.status', {}, ka)).toMatchObject({ ok: true, value: { state: expect.stringMatching(/connected|catching_up/), leftAt: null } });
    expect((await query<{ left_at: Date | null }>('SELECT left_at FROM stations WHERE id = $1', [stationId(a)]))[0]).toEqual({ left_at: null });
    expect(a.db.prepare(`SELECT outcome, detail FROM audit WHERE action = 'shop.leave'`).all()).toEqual([{ outcome: 'failure', detail: 'shopLeaveLeased: 1' }]);
  });

  it('the desk leaves: every record kept, nothing shared from then on; it acts on its own payments only, and the desks that stay no longer act on its payments', async () => {
    const left = await a.dispatch('shop.leave', { confirm: true }, ka);
    expect(left).toMatchObject({ ok: true, value: { state: 'not_configured', server: null, leftAt: expect.any(String) } });
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM shop_connection').get()).toEqual({ n: 0 });
    expect(a.db.prepare('SELECT enabled FROM shop_state').get()).toEqual({ enabled: 0 });
    expect(a.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE id IN ('pay_a', 'pay_b')`).get()).toEqual({ n: 2 });
    expect(a.db.prepare(`SELECT outcome, detail FROM audit WHERE action = 'shop.leave' ORDER BY seq DESC LIMIT 1`).get()).toMatchObject({ outcome: 'success', detail: expect.stringMatching(/^left the shop as st_.*records of other desks kept, read-only$/) });
    expect((await query<{ left: boolean }>('SELECT left_at IS NOT NULL AS left FROM stations WHERE id = $1', [stationId(a)]))[0]).toEqual({ left: true });

    // The desk that left: another desk's payment is read-only here (nothing written, nothing sent) ...
    expect(await a.dispatch('payments.capture', { paymentId: 'pay_b', amount: 500 }, ka)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringMatching(/another desk of the shop this station left/) } });
    expect(opsOf(a, 'pay_b')).toBe(0);
    // ... its own is its own (here the gateway is offline: the capture is tried, not refused by the shop).
    const own = await a.dispatch('payments.capture', { paymentId: 'pay_a', amount: 500 }, ka);
    expect(own.ok ? 'ok' : (own as { error: { code: string } }).error.code).not.toMatch(/NOT_ALLOWED|CONFLICT/);
    expect(opsOf(a, 'pay_a')).toBeGreaterThan(0);
    // The same rule picks the recurring schedules and links it still runs: its own records only.
    expect([ownRecord(a.db, 'payments', 'pay_a'), ownRecord(a.db, 'payments', 'pay_b')]).toEqual([true, false]);

    // The desk that stays: the payment of the desk that left is refused, its own still goes.
    expect(await b.dispatch('payments.void', { paymentId: 'pay_a' }, kb)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringMatching(/has left the shop/) } });
    expect(opsOf(b, 'pay_a')).toBe(0);
    // Desk 2's list of the shop's stations says Desk 1 left.
    const seen = (await b.dispatch('shop.status', {}, kb)) as { value: { stations: { name: string; leftAt: string | null }[] } };
    expect(seen.value.stations.map((x) => [x.name, x.leftAt !== null])).toEqual([['Desk 1', true], ['Desk 2', false]]);
    const stays = await b.dispatch('payments.capture', { paymentId: 'pay_b', amount: 500 }, kb);
    expect(stays.ok ? 'ok' : (stays as { error: { code: string } }).error.code).not.toMatch(/NOT_ALLOWED|CONFLICT/);

    // What the desk that left records from now on stays with it (noted, in case it joins again).
    expect(await a.dispatch('customers.create', { name: 'After Leaving', email: 'after@example.com', phone: '+1 555 0199' }, ka)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 600));
    expect(await query(`SELECT pk FROM records WHERE tbl = 'customers' AND data->>'name' = 'After Leaving'`)).toEqual([]);
    expect((a.db.prepare(`SELECT COUNT(*) AS n FROM shop_outbox WHERE tbl IN ('customers', 'payments')`).get() as { n: number }).n).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('joining again sends what it did while away before its payments are leasable by the others again', async () => {
    expect(await a.dispatch('shop.connect', conn, ka)).toMatchObject({ ok: true, value: { leftAt: null } });
    expect((await query<{ left: boolean }>('SELECT left_at IS NOT NULL AS left FROM stations WHERE id = $1', [stationId(a)]))[0]).toEqual({ left: false });
    await expect.poll(async () => (await query(`SELECT pk FROM records WHERE tbl = 'customers' AND data->>'name' = 'After Leaving'`)).length, { timeout: 10_000, interval: 100 }).toBe(1);
    // The shop's copy of its payment is the one it changed while away.
    const local = a.db.prepare(`SELECT * FROM payments WHERE id = 'pay_a'`).get();
    await expect.poll(async () => (await query<{ data: unknown }>(`SELECT data FROM records WHERE tbl = 'payments' AND pk = 'pay_a'`))[0]?.data, { timeout: 10_000, interval: 100 }).toEqual(local);
    const asB = new ShopServer({ connectionString: url });
    try {
      await expect.poll(async () => {
        const l = await asB.acquireLease(stationId(b), 'pay_a', 1_000);
        if (l.granted) await asB.releaseLease('pay_a', l.token!);
        return l.refused;
      }, { timeout: 10_000, interval: 200 }).toBeNull();
    } finally {
      await asB.close();
    }
  }, 30_000);
});
