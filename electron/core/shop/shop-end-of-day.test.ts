import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportFigures, type EndOfDayReport } from '../../../shared/contract/reports';
import { offlineGateway } from '../../gateway/offline-gateway';
import { createCore, type Core } from '../app';
import { ManualClock } from '../clock';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings/defaults';
import { describePg, usePg } from './test-pg';

/**
 * The whole shop's end of day (docs/stations.md): two desks on one real PostgreSQL, each takes
 * cash sales in two currencies, desk 2 refunds one of desk 1's; each desk's own report counts
 * its own work, the whole-shop report at either desk counts both, per currency and per station,
 * and a day close stays the desk's own. Cash needs no gateway, so the figures are exact.
 */
describePg('whole-shop end of day', () => {
  const pg = usePg();
  const protector = new PassphraseKeyProtector('shop eod tests', { N: 1 << 12 });
  const dirs: string[] = [];
  const cores: Core[] = [];
  const day = { date: '2026-01-15', utcOffsetMinutes: 0 };

  const start = async (station: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-eod-'));
    dirs.push(dir);
    const core = await createCore({ dataDir: dir, protector, gateway: offlineGateway, clock: new ManualClock(), station, settings: new MemorySettingsStore({ stationName: station }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
    cores.push(core);
    return core;
  };

  afterAll(async () => {
    for (const c of cores.splice(0)) await c.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  let a: Core;
  let b: Core;
  const ka = { sessionKey: 'web:a', origin: 'test' };
  const kb = { sessionKey: 'web:b', origin: 'test' };
  const ok = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
    if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
  const cashSale = async (core: Core, key: typeof ka, unitPrice: number, currency: string) => {
    const o = ok<{ id: string }>(await core.dispatch('orders.create', { channel: 'counter', currency, lines: [{ description: 'Item', quantity: 1, unitPrice, taxRateBp: 0 }], newCustomer: { name: `Cash ${currency} ${unitPrice}`, email: '', phone: '' } }, key));
    const r = ok<{ outcome: string; payment: { id: string } }>(await core.dispatch('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: unitPrice } }, key));
    expect(r.outcome).toBe('approved');
    return r.payment.id;
  };
  const report = async (core: Core, key: typeof ka, scope?: 'station' | 'shop') => ok<EndOfDayReport>(await core.dispatch('reports.endOfDay', { ...day, ...(scope ? { scope } : {}) }, key));
  const net = (r: EndOfDayReport) => Object.fromEntries(r.byCurrency.map((c) => [c.currency, c.net]));

  beforeAll(async () => {
    const database = new URL(await pg.freshDatabase()).pathname.slice(1);
    const conn = { host: '127.0.0.1', port: pg.cluster().port, database, username: 'pos', password: '', tls: 'disable' };
    a = await start('Desk 1');
    b = await start('Desk 2');
    ok(await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka));
    ok(await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb));
    ok(await a.dispatch('shop.connect', conn, ka));
    ok(await b.dispatch('shop.connect', conn, kb));
  }, 60_000);

  it('each desk counts its own; the whole shop counts both, per currency and per station; closing stays per desk', async () => {
    const a1 = await cashSale(a, ka, 10_000, 'USD');
    await cashSale(a, ka, 2_500, 'USD');
    await cashSale(a, ka, 1_250, 'KWD');
    await cashSale(b, kb, 4_000, 'USD');
    await cashSale(b, kb, 750, 'KWD');
    // Desk 2 refunds 30.00 of desk 1's sale (under the payment's lease), with desk 1's admin approving.
    await expect.poll(() => b.db.prepare('SELECT COUNT(*) AS n FROM payments WHERE id = ?').get(a1), { timeout: 10_000, interval: 100 }).toEqual({ n: 1 });
    const ann = ok<{ id: string; name: string }[]>(await b.dispatch('users.list', {}, kb)).find((u) => u.name === 'Ann Admin')!;
    const refund = ok<{ outcome: string }>(await b.dispatch('payments.refund', { paymentId: a1, amount: 3_000, reason: 'returned', approval: { supervisorId: ann.id, pin: '13572468' } }, kb));
    expect(refund.outcome).toBe('approved');

    // Everything replicated both ways: 6 succeeded operations at each desk.
    for (const core of [a, b]) {
      await expect.poll(() => core.db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE state = 'succeeded'`).get(), { timeout: 15_000, interval: 100 }).toEqual({ n: 6 });
    }

    // This station: only the desk's own work (desk 1's sale refunded at desk 2 counts the refund at desk 2).
    expect(net(await report(a, ka))).toEqual({ KWD: 1_250, USD: 12_500 });
    expect(net(await report(b, kb, 'station'))).toEqual({ KWD: 750, USD: 4_000 - 3_000 });

    // The whole shop, at either desk: the same totals, the sum of both.
    const shopA = await report(a, ka, 'shop');
    const shopB = await report(b, kb, 'shop');
    expect(net(shopA)).toEqual({ KWD: 2_000, USD: 13_500 });
    expect(net(shopB)).toEqual(net(shopA));
    expect(shopA.scope).toBe('shop');
    expect(shopA.operationCount).toBe(6);
    const usd = shopA.byCurrency.find((c) => c.currency === 'USD')!;
    expect(usd.cashSales).toEqual({ count: 3, amount: 16_500 });
    expect(usd.cashRefunds).toEqual({ count: 1, amount: 3_000 });
    expect(shopA.drawer.find((d) => d.currency === 'USD')!.expected).toBe(13_500);

    // Per station, named as the server lists them, the same at both desks.
    const perStation = (r: EndOfDayReport) => r.byStation!.map((s) => [s.label, s.currency, s.taken.amount, s.refunded.amount, s.net]).sort();
    expect(perStation(shopA)).toEqual([
      ['Desk 1', 'KWD', 1_250, 0, 1_250],
      ['Desk 1', 'USD', 12_500, 0, 12_500],
      ['Desk 2', 'KWD', 750, 0, 750],
      ['Desk 2', 'USD', 4_000, 3_000, 1_000],
    ]);
    expect(perStation(shopB)).toEqual(perStation(shopA));
    expect(shopA.stations!.map((s) => [s.name, s.thisStation, s.lastSeenAt !== null])).toEqual([
      ['Desk 1', true, true],
      ['Desk 2', false, true],
    ]);
    // A station's report has no station section; the shop's figures (the CSV rows) carry one.
    expect((await report(a, ka)).byStation).toBeUndefined();
    expect(reportFigures(shopA).filter((f) => f.section === 'station' && f.key.endsWith(' net')).map((f) => `${f.key} ${f.currency} ${f.amount}`).sort()).toEqual([
      'Desk 1 net KWD 1250',
      'Desk 1 net USD 12500',
      'Desk 2 net KWD 750',
      'Desk 2 net USD 1000',
    ]);

    // Closing the day seals this desk's own figures, whatever scope was viewed.
    const closed = ok<{ report: EndOfDayReport }>(await b.dispatch('reports.closeDay', day, kb));
    expect(net(closed.report)).toEqual({ KWD: 750, USD: 1_000 });
    expect(closed.report.scope).toBeUndefined();
    // Bad input: a scope that does not exist is refused.
    expect(await a.dispatch('reports.endOfDay', { ...day, scope: 'everyone' }, ka)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // closeDay takes no scope: it cannot close the shop's day.
    expect(await a.dispatch('reports.closeDay', { ...day, scope: 'shop' }, ka)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  }, 60_000);

  it('a single station (no shop) asked for the whole shop gets its own figures, one station', async () => {
    const c = await start('Solo');
    const kc = { sessionKey: 'web:c', origin: 'test' };
    ok(await c.dispatch('session.setup', { name: 'Sol Admin', pin: '11223344' }, kc));
    await cashSale(c, kc, 900, 'USD');
    const r = await report(c, kc, 'shop');
    expect(net(r)).toEqual({ USD: 900 });
    expect(r.byStation!.map((s) => [s.label, s.net])).toEqual([['Solo', 900]]);
    expect(r.stations!.map((s) => [s.name, s.thisStation])).toEqual([['Solo', true]]);
  }, 30_000);
});
