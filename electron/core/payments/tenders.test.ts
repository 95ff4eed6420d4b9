import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { startHarness, type Harness } from './test-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DECLINING_CARD = '4000000000000101';

async function counterOrder(total: number, customerId?: string) {
  return h.call('orders.create', {
    channel: 'counter',
    currency: 'USD',
    lines: [{ description: 'Goods', quantity: 1, unitPrice: total, taxRateBp: 0 }],
    ...(customerId ? { customerId } : { newCustomer: { name: 'Tess Tender', email: 'tess@example.com', phone: '' } }),
  });
}

async function refusal(p: Promise<unknown>): Promise<ContractError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    return e as ContractError;
  }
  throw new Error('expected a refusal');
}

function ledger() {
  return {
    payments: h.db.prepare('SELECT id, amount, authorized, captured, refunded, status FROM payments ORDER BY id').all(),
    ops: (h.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n,
    gateway: h.sb.control.operationCount(),
  };
}

const approval = () => ({ supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin });

describe('split tender', () => {
  it('cash with change, then a new card for the rest: paid only when covered', async () => {
    const o = await counterOrder(5_000);
    const first = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 2_000, source: { kind: 'cash', tendered: 2_500 } });
    expect(first).toMatchObject({ outcome: 'approved', change: 500 });
    let t = await h.call('orders.tenders', { orderId: o.id });
    expect(t).toMatchObject({ total: 5_000, counted: 2_000, remaining: 3_000, covered: false, state: 'awaiting_payment', orderStatus: 'awaiting_payment' });
    expect(t.tenders).toEqual([expect.objectContaining({ method: 'cash', amount: 2_000, tendered: 2_500, change: 500, standing: 'stands' })]);

    // A card above what remains is refused and nothing changes; the default is what remains.
    const handle = await h.hostedCard();
    const before = ledger();
    const e = await refusal(h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 3_001, source: { kind: 'new_card', handle, save: false } }));
    expect(e.code).toBe('VALIDATION');
    expect(e.fields).toEqual({ amount: 'More than what remains' });
    expect(ledger()).toEqual(before);
    const second = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
    expect(second.outcome).toBe('approved');
    expect(second.payment.amount).toBe(3_000);
    t = await h.call('orders.tenders', { orderId: o.id });
    expect(t).toMatchObject({ counted: 5_000, remaining: 0, covered: true, state: 'paid', orderStatus: 'paid' });
    expect(t.tenders.map((x) => [x.method, x.amount])).toEqual([['cash', 2_000], ['card', 3_000]]);
    expect(h.sb.control.order(second.payment.reference)?.capturedAmount).toBe(3_000);

    // Covered: a third tender is refused.
    expect((await refusal(h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 100 } }))).code).toBe('CONFLICT');
  });

  it('a declined card leaves the cash in place and the order open with the right remaining; another card then covers it', async () => {
    const o = await counterOrder(4_000);
    await h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 1_500, source: { kind: 'cash', tendered: 1_500 } });
    const bad = await h.hostedCard({ number: DECLINING_CARD });
    const declined = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle: bad, save: false } });
    expect(declined.outcome).toBe('declined');
    let t = await h.call('orders.tenders', { orderId: o.id });
    expect(t).toMatchObject({ counted: 1_500, remaining: 2_500, covered: false, orderStatus: 'awaiting_payment' });
    expect(t.tenders.map((x) => x.standing)).toEqual(['stands', 'void']);
    const good = await h.hostedCard();
    const ok = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle: good, save: false } });
    expect(ok.payment.amount).toBe(2_500);
    t = await h.call('orders.tenders', { orderId: o.id });
    expect(t).toMatchObject({ remaining: 0, orderStatus: 'paid' });
    // The payment references keep the order they were taken in (P1 cash, P2 declined, P3 card).
    expect(t.tenders.map((x) => x.reference.slice(-2))).toEqual(['P1', 'P2', 'P3']);
  });

  it('two cards (card on file + new card), refunded last tender first; the supervisor may choose a tender', async () => {
    // A card on file for a customer, from a first order.
    const first = await counterOrder(100);
    const saved = await h.call('payments.charge', { orderId: first.id, mode: 'purchase', source: { kind: 'new_card', handle: await h.hostedCard(), save: true } });
    const cardId = saved.cardSaved!.id;
    const o = await counterOrder(10_000, first.customerId!);
    const a = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 6_000, source: { kind: 'card_on_file', cardId } });
    const cashPart = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 1_000, source: { kind: 'cash', tendered: 1_000 } });
    const b = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle: await h.hostedCard(), save: false } });
    expect([a.payment.amount, cashPart.payment.amount, b.payment.amount]).toEqual([6_000, 1_000, 3_000]);

    // Approval is asked once for the whole amount; a wrong PIN refuses everything.
    const before = ledger();
    expect((await refusal(h.call('orders.refund', { orderId: o.id, amount: 4_500, reason: 'returned', approval: { ...approval(), pin: '999999' } }))).code).toBe('APPROVAL_INVALID');
    expect((await refusal(h.call('orders.refund', { orderId: o.id, amount: 10_001, reason: 'too much', approval: approval() }))).code).toBe('AMOUNT_EXCEEDS_CAPTURED');
    expect(ledger()).toEqual(before);

    // 4 500 back: all of the last card (3 000), then all of the cash before it (1 000), then 500 of the first card.
    const r = await h.call('orders.refund', { orderId: o.id, amount: 4_500, reason: 'returned', approval: approval() });
    expect(r.parts.map((p) => [p.paymentId, p.amount, p.outcome])).toEqual([
      [b.payment.id, 3_000, 'approved'],
      [cashPart.payment.id, 1_000, 'approved'],
      [a.payment.id, 500, 'approved'],
    ]);
    expect(h.sb.control.order(b.payment.reference)?.refundedAmount).toBe(3_000);
    expect(h.sb.control.order(a.payment.reference)?.refundedAmount).toBe(500);
    const cashOps = h.db.prepare(`SELECT type, amount, approved_by_name FROM operations WHERE payment_id = ? ORDER BY seq`).all(cashPart.payment.id);
    expect(cashOps).toEqual([{ type: 'cash_sale', amount: 1_000, approved_by_name: null }, { type: 'cash_refund', amount: 1_000, approved_by_name: 'Sam Supervisor' }]);
    // A refund does not reopen the order.
    expect(r.tenders).toMatchObject({ remaining: 0, orderStatus: 'paid', refundable: 5_500 });

    // The supervisor chooses the first card for 200.
    const chosen = await h.call('orders.refund', { orderId: o.id, amount: 200, reason: 'goodwill', approval: approval(), paymentId: a.payment.id });
    expect(chosen.parts).toEqual([expect.objectContaining({ paymentId: a.payment.id, amount: 200, outcome: 'approved' })]);
    expect((await refusal(h.call('orders.refund', { orderId: o.id, amount: 1, reason: 'x', approval: approval(), paymentId: cashPart.payment.id }))).code).toBe('AMOUNT_EXCEEDS_CAPTURED');
    expect((await refusal(h.call('orders.refund', { orderId: o.id, amount: 1, reason: 'x', approval: approval(), paymentId: first.id }))).code).toBe('NOT_FOUND');
  });

  it('an unknown card outcome holds its amount: nothing more can be tendered until it is known', async () => {
    const o = await counterOrder(3_000);
    await h.call('payments.charge', { orderId: o.id, mode: 'purchase', amount: 1_000, source: { kind: 'cash', tendered: 1_000 } });
    h.sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'PURCHASE' }, times: 1 });
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle: await h.hostedCard(), save: false } });
    expect(r.outcome).toBe('unknown');
    const t = await h.call('orders.tenders', { orderId: o.id });
    expect(t).toMatchObject({ counted: 1_000, inDoubt: 2_000, remaining: 0, covered: false, orderStatus: 'awaiting_payment' });
    const e = await refusal(h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 2_000 } }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toMatch(/being checked/);
    await h.feature.service.settle();
    await h.call('payments.checkStatus', { paymentId: r.payment.id });
    expect(await h.call('orders.tenders', { orderId: o.id })).toMatchObject({ counted: 3_000, remaining: 0, orderStatus: 'paid' });
  });
});
