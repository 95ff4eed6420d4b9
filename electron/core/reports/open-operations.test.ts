import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendOperation } from '../payments/operation-log';
import { updatePayment } from '../payments/payments-repo';
import { startHarness, type Harness } from '../payments/test-harness';
import { computeEndOfDay } from './compute';

// The report's "open" list is found through indexes (payments.open_ops, operations_waiting) rather
// than by reading every operation: it must list exactly what a scan of every operation finds, in
// the same order, for every unfinished state.

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ retryDelaysMs: [] });
});
afterAll(async () => {
  await h.close();
});

async function purchase(unitPrice: number): Promise<string> {
  const o = await h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Item', quantity: 1, unitPrice, taxRateBp: 0 }], newCustomer: { name: 'Open Ops', email: 'oo@example.com', phone: '' } });
  const handle = await h.hostedCard({ number: '4005550000000001' });
  const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
  expect(r.outcome).toBe('approved');
  return r.payment.id;
}

describe('end of day: split orders of the day', () => {
  it('lists an order paid in two tenders today, not one paid in one, nor one whose first tender was on another day', async () => {
    const order = (unitPrice: number) => h.call('orders.create', { channel: 'counter', currency: 'USD', lines: [{ description: 'Item', quantity: 1, unitPrice, taxRateBp: 0 }] });
    const yesterday = await order(3_000);
    await h.call('payments.charge', { orderId: yesterday.id, mode: 'purchase', amount: 1_000, source: { kind: 'cash', tendered: 1_000 } });
    h.advance(24 * 3600_000);
    await h.call('payments.charge', { orderId: yesterday.id, mode: 'purchase', source: { kind: 'cash', tendered: 2_000 } });
    const split = await order(5_000);
    await h.call('payments.charge', { orderId: split.id, mode: 'purchase', amount: 2_000, source: { kind: 'cash', tendered: 2_500 } });
    await h.call('payments.charge', { orderId: split.id, mode: 'purchase', source: { kind: 'new_card', handle: await h.hostedCard(), save: false } });
    const single = await order(700);
    await h.call('payments.charge', { orderId: single.id, mode: 'purchase', source: { kind: 'cash', tendered: 700 } });

    const now = h.deps.clock.now();
    const date = now.toISOString().slice(0, 10);
    const report = computeEndOfDay(h.db, 'D1', { date, utcOffsetMinutes: 0, endUtcOffsetMinutes: 0 }, now);
    expect((report.splitOrders ?? []).map((o) => o.orderId)).toEqual([split.id]);
    expect(report.splitOrders?.[0]?.tenders.map((t) => [t.method, t.amount])).toEqual([['cash', 2_000], ['card', 3_000]]);
    const before = computeEndOfDay(h.db, 'D1', { date: new Date(now.getTime() - 24 * 3600_000).toISOString().slice(0, 10), utcOffsetMinutes: 0, endUtcOffsetMinutes: 0 }, now);
    expect((before.splitOrders ?? []).map((o) => o.orderId)).toEqual([yesterday.id]);
  });
});

describe('end of day: open operations', () => {
  it('lists every pending, sent, unknown, queued and needs-attention operation, oldest first, and nothing final', async () => {
    const db = h.db;
    const ids: Record<string, string> = {};
    let t = Date.parse('2026-03-01T10:00:00.000Z');
    const at = () => new Date((t += 60_000)).toISOString();
    for (const [i, state] of (['pending', 'sent', 'unknown', 'queued', 'needs_attention'] as const).entries()) {
      const paymentId = await purchase(1_000 + i);
      const ref = `OPEN-${i}`;
      const start = state === 'unknown' ? 'sent' : state === 'needs_attention' ? 'queued' : state;
      const op = appendOperation(db, { paymentId, type: 'refund', amount: 100, reference: ref, state: start, userId: null, userName: null }, at());
      if (start !== state) db.prepare('UPDATE operations SET state = ? WHERE id = ?').run(state, op.id);
      updatePayment(db, paymentId, {}, at()); // recounts open_ops / queued
      ids[state] = op.id;
    }
    // Two on one payment: both listed, each once.
    const twice = await purchase(2_000);
    const a = appendOperation(db, { paymentId: twice, type: 'refund', amount: 100, reference: 'OPEN-A', state: 'queued', userId: null, userName: null }, at());
    const b = appendOperation(db, { paymentId: twice, type: 'refund', amount: 100, reference: 'OPEN-B', state: 'queued', userId: null, userName: null }, at());
    updatePayment(db, twice, {}, at());

    const report = computeEndOfDay(db, 'D1', { date: '2026-03-01', utcOffsetMinutes: 0, endUtcOffsetMinutes: 0 }, new Date('2026-03-02T00:00:00.000Z'));
    const scanned = (db.prepare(`SELECT id FROM operations WHERE state IN ('pending', 'sent', 'unknown', 'queued', 'needs_attention') ORDER BY created_at, id`).pluck().all() as string[]);
    expect(report.open.map((o) => o.id)).toEqual(scanned);
    expect(new Set(report.open.map((o) => o.id))).toEqual(new Set([...Object.values(ids), a.id, b.id]));
    expect(Object.fromEntries(report.open.map((o) => [o.id, o.state]))[ids.needs_attention!]).toBe('needs_attention');
  });
});
