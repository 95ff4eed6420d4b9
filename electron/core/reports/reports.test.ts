import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, ContractError, type ChannelName, type OutputOf } from '../../../shared/contract';
import { dayBounds, reportFigures, type EndOfDayReport } from '../../../shared/contract/reports';
import type { CallContext } from '../context';
import { startHarness, type Harness } from '../payments/test-harness';
import { createReportsFeature } from './index';
import { canonicalJson, sha256 } from './snapshots';

// The end-of-day report over a ledger built by the real payments feature against the real sandbox
// gateway (payments/test-harness). Expected figures are summed independently from the payments
// table (what each payment holds), not from the operations the report reads.

let h: Harness;
let reports: ReturnType<typeof createReportsFeature>;
let date: string;

async function rcall<K extends ChannelName>(name: K, input: unknown, ctx: CallContext = h.clerk): Promise<OutputOf<K>> {
  const parsed = channels[name].input.parse(input);
  const handler = reports.handlers[name] as unknown as (i: unknown, c: CallContext) => unknown;
  return channels[name].output.parse(await handler(parsed, ctx)) as OutputOf<K>;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const approval = () => ({ supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin });
const line = (unitPrice: number) => [{ description: 'Item', quantity: 1, unitPrice, taxRateBp: 0 }];

async function order(unitPrice: number, channel: 'phone' | 'mail' | 'counter' = 'phone', currency = 'USD', ctx = h.clerk) {
  return h.call('orders.create', { channel, currency, lines: line(unitPrice), newCustomer: { name: 'Report Customer', email: 'rc@example.com', phone: '' } }, ctx);
}

async function cardCharge(unitPrice: number, mode: 'purchase' | 'authorize', number: string, channel: 'phone' | 'mail' | 'counter' = 'phone', ctx = h.clerk) {
  const o = await order(unitPrice, channel, 'USD', ctx);
  const handle = await h.hostedCard({ number });
  return h.call('payments.charge', { orderId: o.id, mode, source: { kind: 'new_card', handle, save: false } }, ctx);
}

async function cashSale(unitPrice: number, currency = 'USD', tendered = unitPrice) {
  const o = await order(unitPrice, 'counter', currency);
  return h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered } });
}

const VISA = '4005550000000001';
const MASTERCARD = '5123456789012346';
const AMEX = '345678901234564';

let unknownPaymentId = '';

beforeAll(async () => {
  // No background resolution: an unknown outcome stays unknown until checkStatus.
  h = await startHarness({ retryDelaysMs: [] });
  reports = createReportsFeature(h.deps);
  // Work at 12:00 UTC so that every operation of the test lands on one UTC day.
  const now = h.clock.now();
  let noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12);
  if (noon <= now.getTime()) noon += 86_400_000;
  h.advance(noon - now.getTime());
  date = h.clock.now().toISOString().slice(0, 10);

  const sale = await cardCharge(10_000, 'purchase', VISA, 'phone');
  expect(sale.outcome).toBe('approved');
  expect((await cardCharge(5_000, 'purchase', MASTERCARD, 'mail', h.supervisor)).outcome).toBe('approved');
  const auth = await cardCharge(8_000, 'authorize', VISA, 'phone');
  expect((await h.call('payments.capture', { paymentId: auth.payment.id, amount: 3_000 })).outcome).toBe('approved');
  const toVoid = await cardCharge(4_500, 'authorize', AMEX, 'mail');
  expect((await h.call('payments.void', { paymentId: toVoid.payment.id, reason: 'customer changed mind' })).outcome).toBe('approved');
  expect((await h.call('payments.refund', { paymentId: sale.payment.id, amount: 2_000, reason: 'damaged', approval: approval() })).outcome).toBe('approved');
  const cash = await cashSale(3_135, 'USD', 4_000);
  expect((await h.call('payments.refund', { paymentId: cash.payment.id, amount: 500, reason: 'discount', approval: approval() })).outcome).toBe('approved');
  expect((await cashSale(1_250, 'KWD')).outcome).toBe('approved');
  expect((await cardCharge(6_666, 'purchase', VISA)).outcome).toBe('declined');
  h.sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'PURCHASE' }, times: 1 });
  const unknown = await cardCharge(1_234, 'purchase', VISA);
  expect(unknown.outcome).toBe('unknown');
  unknownPaymentId = unknown.payment.id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** Independent figures from the payments table (every payment of the test was made today). */
function ledgerSums(currency: string) {
  const q = <T>(sql: string) => h.db.prepare(sql).get(currency) as T;
  return {
    taken: q<{ n: number }>(`SELECT COALESCE(SUM(captured), 0) AS n FROM payments WHERE currency = ? AND open_ops = 0`).n,
    refunded: q<{ n: number }>(`SELECT COALESCE(SUM(refunded), 0) AS n FROM payments WHERE currency = ?`).n,
    authorizedHolds: q<{ n: number }>(`SELECT COALESCE(SUM(authorized), 0) AS n FROM payments WHERE currency = ? AND kind = 'authorization'`).n,
    voided: q<{ n: number; amount: number }>(`SELECT COUNT(*) AS n, COALESCE(SUM(authorized), 0) AS amount FROM payments WHERE currency = ? AND voided = 1`),
    cash: q<{ inn: number; out: number }>(`SELECT COALESCE(SUM(captured), 0) AS inn, COALESCE(SUM(refunded), 0) AS out FROM payments WHERE currency = ? AND method = 'cash'`),
  };
}

function byBrandFromLedger(currency: string): Record<string, number> {
  const rows = h.db
    .prepare(`SELECT CASE WHEN method = 'cash' THEN 'CASH' ELSE UPPER(brand) END AS brand, SUM(captured) - SUM(refunded) AS net FROM payments WHERE currency = ? AND open_ops = 0 AND captured > 0 GROUP BY 1`)
    .all(currency) as { brand: string; net: number }[];
  return Object.fromEntries(rows.map((r) => [r.brand, r.net]));
}

describe('end-of-day report', () => {
  let report: EndOfDayReport;
  beforeAll(async () => {
    report = await rcall('reports.endOfDay', { date });
  });

  it('counts succeeded operations by type, per currency, matching what the payments hold', () => {
    const usd = report.byCurrency.find((t) => t.currency === 'USD')!;
    const kwd = report.byCurrency.find((t) => t.currency === 'KWD')!;
    expect(report.byCurrency.map((t) => t.currency)).toEqual(['KWD', 'USD']);
    expect(usd.sales).toEqual({ count: 2, amount: 15_000 });
    expect(usd.authorizations).toEqual({ count: 2, amount: 12_500 });
    expect(usd.captures).toEqual({ count: 1, amount: 3_000 });
    expect(usd.voids).toEqual({ count: 1, amount: 4_500 });
    expect(usd.refunds).toEqual({ count: 1, amount: 2_000 });
    expect(usd.cashSales).toEqual({ count: 1, amount: 3_135 });
    expect(usd.cashRefunds).toEqual({ count: 1, amount: 500 });
    expect(kwd.cashSales).toEqual({ count: 1, amount: 1_250 });
    expect(kwd.sales.count + kwd.captures.count + kwd.refunds.count).toBe(0);

    const l = ledgerSums('USD');
    expect(usd.taken.amount).toBe(l.taken);
    expect(usd.refunded.amount).toBe(l.refunded);
    expect(usd.net).toBe(l.taken - l.refunded);
    expect(usd.authorizations.amount).toBe(l.authorizedHolds);
    expect(usd.voids).toEqual({ count: l.voided.n, amount: l.voided.amount });
    expect(kwd.net).toBe(ledgerSums('KWD').taken);
    // Declined (66.66) and unknown (12.34) charges are not counted.
    expect(report.operationCount).toBe(2 + 2 + 1 + 1 + 1 + 1 + 1 + 1);
  });

  it('breaks down by brand, user and channel, each per currency', () => {
    const usdBrands = Object.fromEntries(report.byBrand.filter((b) => b.currency === 'USD').map((b) => [b.key, b.net]));
    expect(usdBrands).toEqual({ ...byBrandFromLedger('USD'), AMEX: 0 });
    expect(report.byBrand.find((b) => b.key === 'AMEX')).toMatchObject({ operations: 2, taken: { count: 0, amount: 0 } });
    expect(report.byBrand.filter((b) => b.currency === 'KWD').map((b) => [b.key, b.net])).toEqual([['CASH', 1_250]]);

    const sam = report.byUser.find((u) => u.label === 'Sam Supervisor' && u.currency === 'USD')!;
    expect(sam).toMatchObject({ operations: 1, taken: { count: 1, amount: 5_000 }, net: 5_000 });
    const clara = report.byUser.find((u) => u.label === 'Clara Clerk' && u.currency === 'USD')!;
    expect(clara.taken.amount).toBe(10_000 + 3_000 + 3_135);
    expect(clara.refunded.amount).toBe(2_500);

    const channel = (key: string, currency = 'USD') => report.byChannel.find((c) => c.key === key && c.currency === currency);
    expect(channel('phone')).toMatchObject({ taken: { amount: 13_000 }, refunded: { amount: 2_000 } });
    expect(channel('mail')).toMatchObject({ taken: { amount: 5_000 }, operations: 3 });
    expect(channel('counter')).toMatchObject({ taken: { amount: 3_135 }, refunded: { amount: 500 }, net: 2_635 });
    expect(channel('counter', 'KWD')?.net).toBe(1_250);
    // Every breakdown adds up to the currency totals.
    for (const rows of [report.byBrand, report.byUser, report.byChannel]) {
      for (const t of report.byCurrency) {
        expect(rows.filter((r) => r.currency === t.currency).reduce((s, r) => s + r.net, 0)).toBe(t.net);
      }
    }
  });

  it('gives the drawer per currency: cash taken minus cash paid back', () => {
    const l = ledgerSums('USD');
    expect(report.drawer).toEqual([
      { currency: 'KWD', cashIn: { count: 1, amount: 1_250 }, cashOut: { count: 0, amount: 0 }, expected: 1_250 },
      { currency: 'USD', cashIn: { count: 1, amount: l.cash.inn }, cashOut: { count: 1, amount: l.cash.out }, expected: l.cash.inn - l.cash.out },
    ]);
  });

  it('lists operations whose outcome is not known, with their age', () => {
    expect(report.open).toHaveLength(1);
    expect(report.open[0]).toMatchObject({ paymentId: unknownPaymentId, type: 'purchase', state: 'unknown', amount: 1_234, currency: 'USD', userName: 'Clara Clerk' });
    expect(report.open[0]!.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('counts by when the operation finished, in the station-local day', async () => {
    // UTC+14: the local day ends at 10:00 UTC, before any of today's (noon UTC) operations.
    expect((await rcall('reports.endOfDay', { date, utcOffsetMinutes: 840 })).operationCount).toBe(0);
    // UTC-11: the day runs 11:00 UTC to 11:00 UTC next day: today's noon operations are in it.
    expect((await rcall('reports.endOfDay', { date, utcOffsetMinutes: -660 })).operationCount).toBe(report.operationCount);
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await rcall('reports.endOfDay', { date: next })).operationCount).toBe(0);
  });

  it('has one CSV-ready figure per number, never mixing currencies', () => {
    const figures = reportFigures(report);
    expect(figures.find((f) => f.section === 'operations' && f.key === 'net' && f.currency === 'USD')?.amount).toBe(report.byCurrency.find((t) => t.currency === 'USD')!.net);
    expect(figures.find((f) => f.section === 'drawer' && f.key === 'expected' && f.currency === 'KWD')?.amount).toBe(1_250);
    expect(figures.find((f) => f.section === 'open' && f.key === 'unknown')).toEqual({ section: 'open', key: 'unknown', currency: 'USD', count: 1, amount: 1_234 });
  });
});

describe('closing the day', () => {
  it('is for supervisors; stores a hashed canonical snapshot once; a second close is a CONFLICT', async () => {
    expect(channels['reports.closeDay'].minRole).toBe('supervisor');
    expect(channels['reports.endOfDay'].minRole).toBe('clerk');
    const snap = await rcall('reports.closeDay', { date }, h.supervisor);
    expect(snap).toMatchObject({ date, closedBy: 'Sam Supervisor', station: 'D1', intact: true });
    const row = h.db.prepare('SELECT snapshot_json, hash FROM day_closes WHERE date = ?').get(date) as { snapshot_json: string; hash: string };
    expect(row.hash).toBe(sha256(row.snapshot_json));
    expect(row.hash).toBe(snap.hash);
    expect(canonicalJson(JSON.parse(row.snapshot_json))).toBe(row.snapshot_json);
    expect(snap.report.byCurrency).toEqual((await rcall('reports.endOfDay', { date })).byCurrency);

    await expectCode(rcall('reports.closeDay', { date }, h.supervisor), 'CONFLICT');
    await expectCode(rcall('reports.closeDay', { date, utcOffsetMinutes: 60 }, h.supervisor), 'CONFLICT');
    const audit = h.db.prepare(`SELECT outcome, target, detail FROM audit WHERE action = 'reports.closeDay' ORDER BY seq`).all() as { outcome: string; target: string; detail: string }[];
    expect(audit.map((a) => [a.outcome, a.target])).toEqual([
      ['success', date],
      ['failure', date],
      ['failure', date],
    ]);
    expect(audit[0]!.detail).toContain(snap.hash);
  });

  it('refuses a day that has not started', async () => {
    await expectCode(rcall('reports.closeDay', { date: '2999-01-01' }, h.supervisor), 'NOT_ALLOWED');
  });

  it('keeps the snapshot immutable: UPDATE and DELETE are refused by triggers', () => {
    expect(() => h.db.prepare(`UPDATE day_closes SET hash = ? WHERE date = ?`).run('0'.repeat(64), date)).toThrow(/immutable/);
    expect(() => h.db.prepare(`UPDATE day_closes SET snapshot_json = '{}' WHERE date = ?`).run(date)).toThrow(/immutable/);
    expect(() => h.db.prepare(`DELETE FROM day_closes WHERE date = ?`).run(date)).toThrow(/immutable/);
  });

  it('lists closed days with their totals', async () => {
    const list = await rcall('reports.closedDays', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ date, closedBy: 'Sam Supervisor', intact: true });
    expect(list[0]!.totals.find((t) => t.currency === 'USD')?.net).toBe(15_000 + 3_000 + 3_135 - 2_000 - 500);
  });

  it('compares with a fresh computation: same at first; a late sale and a resolved unknown show up', async () => {
    const first = await rcall('reports.compare', { date });
    expect(first.same).toBe(true);
    expect(first.differences).toEqual([]);

    // The unknown charge is resolved (the gateway did make it), and one more cash sale is made.
    const resolved = await h.call('payments.checkStatus', { paymentId: unknownPaymentId });
    expect(resolved.detail.payment.status).toBe('captured');
    await cashSale(700);

    const after = await rcall('reports.compare', { date });
    expect(after.same).toBe(false);
    const diff = (section: string, key: string) => after.differences.find((d) => d.section === section && d.key === key && d.currency === 'USD');
    expect(diff('operations', 'sales')).toEqual({ section: 'operations', key: 'sales', currency: 'USD', closed: { count: 2, amount: 15_000 }, now: { count: 3, amount: 16_234 } });
    expect(diff('operations', 'cash_sales')).toMatchObject({ closed: { count: 1, amount: 3_135 }, now: { count: 2, amount: 3_835 } });
    expect(diff('drawer', 'expected')?.now.amount).toBe(3_135 - 500 + 700);
    expect(diff('operations', 'refunds')).toBeUndefined();
    expect(after.resolvedSinceClose).toEqual([
      expect.objectContaining({ paymentId: unknownPaymentId, stateAtClose: 'unknown', stateNow: 'succeeded', amount: 1_234 }),
    ]);
    // The stored snapshot did not move.
    expect(after.snapshot.hash).toBe(first.snapshot.hash);
    expect(after.snapshot.intact).toBe(true);
  });

  it('compare of a day never closed is NOT_FOUND', async () => {
    await expectCode(rcall('reports.compare', { date: '2001-02-03' }), 'NOT_FOUND');
  });
});

describe('day bounds and input', () => {
  it('turns a local date and offsets into a UTC range; consecutive days meet across a DST change', () => {
    expect(dayBounds('2026-03-10', 0)).toEqual({ from: '2026-03-10T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' });
    expect(dayBounds('2026-03-10', 120)).toEqual({ from: '2026-03-09T22:00:00.000Z', to: '2026-03-10T22:00:00.000Z' });
    // Europe/Berlin, 29 March 2026: UTC+1 at the start, UTC+2 at the end (23 hours).
    const spring = dayBounds('2026-03-29', 60, 120);
    expect(spring).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(dayBounds('2026-03-30', 120).from).toBe(spring.to);
  });

  it('refuses malformed dates and offsets', () => {
    const input = channels['reports.endOfDay'].input;
    expect(input.safeParse({ date: '2026-02-30' }).success).toBe(false);
    expect(input.safeParse({ date: '26-02-03' }).success).toBe(false);
    expect(input.safeParse({ date: '2026-02-03', utcOffsetMinutes: 900 }).success).toBe(false);
    expect(input.safeParse({ date: '2026-02-03', utcOffsetMinutes: 0, endUtcOffsetMinutes: 600 }).success).toBe(false);
    expect(input.safeParse({ date: '2026-02-03', extra: 1 }).success).toBe(false);
    expect(input.parse({ date: '2026-02-03' })).toEqual({ date: '2026-02-03', utcOffsetMinutes: 0, scope: 'station' });
  });
});
