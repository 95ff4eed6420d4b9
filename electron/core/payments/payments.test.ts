import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { startHarness, type Harness } from './test-harness';
import { refundReference } from '../ledger/references';
import { tx } from '../ledger/sql';
import { getPaymentRow, updatePayment } from './payments-repo';
import { startLiveOperation } from './service';
import { queueCounts } from '../sync/queue-repo';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const lines = (unitPrice: number, quantity = 1, taxRateBp = 0) => [{ description: 'Widget', quantity, unitPrice, taxRateBp }];

async function newOrder(unitPrice = 10_000, withCustomer = true) {
  return h.call('orders.create', {
    channel: 'phone',
    currency: 'USD',
    lines: lines(unitPrice),
    ...(withCustomer ? { newCustomer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 1234' } } : {}),
  });
}

/** A saved card on file for a fresh customer, through a first hosted purchase. */
async function cardOnFile() {
  const order = await newOrder(1_000);
  const handle = await h.hostedCard();
  const r = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  expect(r.outcome).toBe('approved');
  expect(r.cardSaved).not.toBeNull();
  return { card: r.cardSaved!, customerId: order.customerId! };
}

async function orderFor(customerId: string, amount: number) {
  return h.call('orders.create', { channel: 'phone', currency: 'USD', customerId, lines: lines(amount) });
}

async function expectCode(p: Promise<unknown>, code: string) {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** Everything a refusal must leave alone. */
function snapshot() {
  return {
    ops: (h.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n,
    payments: h.db.prepare('SELECT id, authorized, captured, refunded, voided, status FROM payments ORDER BY id').all(),
    gateway: h.sb.control.operationCount(),
  };
}

describe('orders', () => {
  it('creates with totals, a station-prefixed reference and a new customer; cancels only without payment', async () => {
    const o = await h.call('orders.create', {
      channel: 'mail',
      currency: 'USD',
      lines: [
        { description: 'A', quantity: 3, unitPrice: 999, taxRateBp: 775 },
        { description: 'B', quantity: 1, unitPrice: 10, taxRateBp: 500 },
      ],
      newCustomer: { name: 'Bob', email: '', phone: '' },
    });
    expect(o.reference).toMatch(/^D1-\d{8}-[0-9A-Z]{6}$/);
    expect(o.net).toBe(3007);
    expect(o.tax).toBe(232 + 1);
    expect(o.total).toBe(3007 + 233);
    expect(o.status).toBe('awaiting_payment');
    expect((await h.call('orders.get', { id: o.id })).customerName).toBe('Bob');
    expect((await h.call('orders.cancel', { id: o.id })).status).toBe('cancelled');
    await expectCode(h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 10_000 } }), 'NOT_ALLOWED');

    const paid = await newOrder(500);
    await h.call('payments.charge', { orderId: paid.id, mode: 'purchase', source: { kind: 'cash', tendered: 500 } });
    await expectCode(h.call('orders.cancel', { id: paid.id }), 'NOT_ALLOWED');
  });
});

describe('hosted card and cards on file', () => {
  it('charges a hosted card, saves it when agreed, and the handle is single-use', async () => {
    const { card } = await cardOnFile();
    expect(card.last4).toBe('0001');
    expect(card.brand).toBe('VISA');
    const cardRow = h.db.prepare('SELECT token_name FROM cards WHERE id = ?').get(card.id) as { token_name: string };
    expect(cardRow.token_name.length).toBeGreaterThan(5);

    const handle = await h.hostedCard({ number: '5123456789012346' });
    const res = await h.call('payments.hostedResult', { sessionId: handle });
    expect(res.state).toBe('ready');
    expect(res.card?.last4).toBe('2346');
    const o1 = await newOrder(700);
    const r1 = await h.call('payments.charge', { orderId: o1.id, mode: 'authorize', source: { kind: 'new_card', handle, save: false } });
    expect(r1.outcome).toBe('approved');
    expect(r1.cardSaved).toBeNull();
    const o2 = await newOrder(700);
    const before = snapshot();
    await expectCode(h.call('payments.charge', { orderId: o2.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } }), 'NOT_ALLOWED');
    expect(snapshot()).toEqual(before);
  });

  it('refuses an expired handle (30 minutes)', async () => {
    const handle = await h.hostedCard();
    h.advance(31 * 60 * 1000);
    expect((await h.call('payments.hostedResult', { sessionId: handle })).state).toBe('failed');
    const o = await newOrder(100);
    await expectCode(h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } }), 'NOT_ALLOWED');
  });

  it('charges a card on file again; refuses inactive and expired cards before sending', async () => {
    const { card, customerId } = await cardOnFile();
    const again = await orderFor(customerId, 2_500);
    const r = await h.call('payments.charge', { orderId: again.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(r.outcome).toBe('approved');
    expect(r.payment.last4).toBe('0001');

    // expiry update goes to the gateway first
    const updated = await h.call('cards.updateExpiry', { cardId: card.id, expiry: '3112' });
    expect(updated.expiry).toBe('3112');

    // an expired card (as stored) is refused locally
    h.db.prepare(`UPDATE cards SET expiry = '2001' WHERE id = ?`).run(card.id);
    const o2 = await orderFor(customerId, 300);
    let before = snapshot();
    await expectCode(h.call('payments.charge', { orderId: o2.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } }), 'CARD_EXPIRED');
    expect(snapshot()).toEqual(before);
    h.db.prepare(`UPDATE cards SET expiry = '3112' WHERE id = ?`).run(card.id);

    // deactivate: gateway unreachable leaves it active and says so
    h.sb.control.setReachable(false);
    await expectCode(h.call('cards.deactivate', { cardId: card.id }), 'GATEWAY_UNREACHABLE');
    h.sb.control.setReachable(true);
    expect((h.db.prepare('SELECT status FROM cards WHERE id = ?').get(card.id) as { status: string }).status).toBe('active');
    expect((await h.call('cards.deactivate', { cardId: card.id })).status).toBe('inactive');
    before = snapshot();
    await expectCode(h.call('payments.charge', { orderId: o2.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } }), 'CARD_INACTIVE');
    expect(snapshot()).toEqual(before);
  });
});

describe('authorize, capture, void, refund', () => {
  it('partial and repeated captures and refunds, with every over-limit refused locally and nothing changed', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 10_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    expect(auth.payment.status).toBe('authorized');
    expect(auth.payment.expiresAt).not.toBeNull();
    const id = auth.payment.id;
    expect((await h.call('payments.capture', { paymentId: id, amount: 4_000 })).detail.payment.status).toBe('partially_captured');
    let before = snapshot();
    await expectCode(h.call('payments.capture', { paymentId: id, amount: 6_001 }), 'AMOUNT_EXCEEDS_AUTHORIZED');
    await expectCode(h.call('payments.void', { paymentId: id }), 'VOID_NOT_ALLOWED');
    expect(snapshot()).toEqual(before);
    await h.call('payments.capture', { paymentId: id, amount: 6_000 });
    const refund1 = await h.call('payments.refund', { paymentId: id, amount: 3_000, reason: 'damaged', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } });
    expect(refund1.outcome).toBe('approved');
    const refundOp = refund1.detail.operations.find((op) => op.type === 'refund')!;
    expect(refundOp.approvedBy).toBe('Sam Supervisor');
    expect(refundOp.reason).toBe('damaged');
    expect(refundOp.reference).toMatch(/-P1-R1$/);
    before = snapshot();
    await expectCode(h.call('payments.refund', { paymentId: id, amount: 7_001, reason: 'x', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } }), 'AMOUNT_EXCEEDS_CAPTURED');
    await expectCode(h.call('payments.refund', { paymentId: id, amount: 1_000, reason: 'x' }), 'APPROVAL_REQUIRED');
    await expectCode(h.call('payments.refund', { paymentId: id, amount: 1_000, reason: 'x', approval: { supervisorId: h.supervisor.user!.id, pin: '999999' } }), 'APPROVAL_INVALID');
    expect(snapshot()).toEqual(before);
    const refund2 = await h.call('payments.refund', { paymentId: id, amount: 7_000, reason: 'rest', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } });
    expect(refund2.detail.payment.status).toBe('refunded');
    expect(refund2.detail.actions.refund.allowed).toBe(false);
    const gw = h.sb.control.order(auth.payment.reference)!;
    expect([gw.authorizedAmount, gw.capturedAmount, gw.refundedAmount]).toEqual([10_000, 10_000, 10_000]);
  });

  it('voids an open authorization, then refuses everything but check status', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 5_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    const v = await h.call('payments.void', { paymentId: auth.payment.id, reason: 'customer changed mind' });
    expect(v.detail.payment.status).toBe('voided');
    expect((await h.call('orders.get', { id: o.id })).status).toBe('awaiting_payment');
    await expectCode(h.call('payments.capture', { paymentId: auth.payment.id, amount: 1 }), 'NOT_ALLOWED');
    expect(h.sb.control.order(auth.payment.reference)!.status).toBe('voided');
  });

  it('refuses capture and void of an authorization older than 7 days', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 5_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    h.advance(7 * 24 * 3600 * 1000 + 1000);
    const before = snapshot();
    await expectCode(h.call('payments.capture', { paymentId: auth.payment.id, amount: 100 }), 'AUTHORIZATION_EXPIRED');
    await expectCode(h.call('payments.void', { paymentId: auth.payment.id }), 'AUTHORIZATION_EXPIRED');
    expect(snapshot()).toEqual(before);
    expect((await h.call('payments.get', { paymentId: auth.payment.id })).payment.status).toBe('expired');
  });

  it('names the first authorization to lapse, whatever order they were made in (expiry banner)', async () => {
    const { card, customerId } = await cardOnFile();
    const made: { id: string; expiresAt: string | null }[] = [];
    for (let i = 0; i < 3; i++) {
      const o = await orderFor(customerId, 2_000 + i);
      made.push((await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } })).payment);
      h.advance(3600 * 1000);
    }
    h.advance(5 * 24 * 3600 * 1000); // all three now lapse within 48 hours
    const summary = await h.call('payments.expiringSummary', {});
    const listed = await h.call('payments.list', { view: 'expiring', period: 'all', limit: 500 });
    expect(summary.total).toBe(listed.total);
    expect(listed.rows.map((r) => r.id)).toEqual(expect.arrayContaining(made.map((m) => m.id)));
    // The list is newest first; the summary's soonest is the earliest expiry of them all.
    const earliest = [...listed.rows].sort((a, b) => (a.expiresAt ?? '').localeCompare(b.expiresAt ?? ''))[0]!;
    expect(summary.soonest?.id).toBe(earliest.id);
    expect(summary.soonest!.expiresAt! <= made[0]!.expiresAt!).toBe(true);
    expect(listed.rows[0]!.id).not.toBe(summary.soonest?.id);
    // Captured in full, it is no longer expiring.
    await h.call('payments.capture', { paymentId: summary.soonest!.id, amount: summary.soonest!.authorized });
    const after = await h.call('payments.expiringSummary', {});
    expect(after.total).toBe(summary.total - 1);
    expect(after.soonest?.id).not.toBe(summary.soonest!.id);
  });

  it('records a decline and lets the order be charged again under a new reference', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 10_666);
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(r.outcome).toBe('declined');
    expect(r.payment.status).toBe('declined');
    const cash = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 20_000 } });
    expect(cash.payment.reference).toMatch(/-P2$/);
    expect(cash.change).toBe(20_000 - 10_666);
  });
});

describe('cash', () => {
  it('needs enough tendered, gives change, refunds in cash with approval', async () => {
    const o = await newOrder(1_250);
    const before = snapshot();
    await expectCode(h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 1_000 } }), 'VALIDATION');
    expect(snapshot()).toEqual(before);
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 2_000 } });
    expect(r.change).toBe(750);
    expect(r.payment.method).toBe('cash');
    const d = await h.call('payments.get', { paymentId: r.payment.id });
    expect(d.cash).toEqual({ tendered: 2_000, change: 750 });
    expect(d.actions.capture.allowed).toBe(false);
    const refund = await h.call('payments.refund', { paymentId: r.payment.id, amount: 250, reason: 'discount', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } });
    expect(refund.detail.payment.refunded).toBe(250);
    expect(refund.detail.operations.map((op) => op.type)).toEqual(['cash_sale', 'cash_refund']);
    await expectCode(h.call('payments.checkStatus', { paymentId: r.payment.id }), 'NOT_ALLOWED');
  });
});

describe('unknown outcomes', () => {
  it('a charge that timed out after the gateway made it is unknown, then resolved by check status without a second charge', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 4_200);
    h.sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'PURCHASE' }, times: 1 });
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(r.outcome).toBe('unknown');
    expect(r.payment.status).toBe('unknown');
    // Nothing is queued, but the top bar counts it (sync.status inDoubt) until the bank answers.
    expect(queueCounts(h.db)).toMatchObject({ queued: 0, inDoubt: 1 });
    const c = await h.call('payments.checkStatus', { paymentId: r.payment.id });
    expect(c.detail.payment.status).toBe('captured');
    expect(queueCounts(h.db).inDoubt).toBe(0);
    expect(h.sb.control.order(r.payment.reference)!.operations).toHaveLength(1);
  });

  it('a charge lost before the gateway got it is resent with the same reference, once', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 4_300);
    h.sb.control.injectFault({ kind: 'reset_before_commit', match: { command: 'AUTHORIZATION' }, times: 1 });
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    expect(r.outcome).toBe('unknown');
    await h.feature.service.settle();
    const d = await h.call('payments.get', { paymentId: r.payment.id });
    expect(d.payment.status).toBe('authorized');
    const op = h.db.prepare(`SELECT attempts, state, reference FROM operations WHERE payment_id = ? AND type = 'authorize'`).get(r.payment.id);
    expect(op).toEqual({ attempts: 2, state: 'succeeded', reference: r.payment.reference });
    expect(h.sb.control.order(r.payment.reference)!.operations).toHaveLength(1);
  });

  it('the sandbox "uncertain" amount (…777) is unknown first, then confirmed', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 1_777);
    const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(r.outcome).toBe('unknown');
    await h.feature.service.settle();
    expect((await h.call('payments.get', { paymentId: r.payment.id })).payment.status).toBe('captured');
  });

  it('captures and refunds with lost replies are resolved by totals and maintenance reference, never applied twice', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 9_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    const ref = auth.payment.reference;
    h.sb.control.injectFault({ kind: 'reset_after_commit', match: { command: 'CAPTURE' }, times: 1 });
    const c = await h.call('payments.capture', { paymentId: auth.payment.id, amount: 5_000 });
    expect(c.outcome).toBe('unknown');
    await expectCode(h.call('payments.capture', { paymentId: auth.payment.id, amount: 1_000 }), 'NOT_ALLOWED');
    await h.feature.service.settle();
    h.sb.control.injectFault({ kind: 'http_503', match: { command: 'REFUND' }, times: 1 });
    h.sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'REFUND' }, times: 1 });
    const rf = await h.call('payments.refund', { paymentId: auth.payment.id, amount: 2_000, reason: 'r', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } });
    expect(rf.outcome).toBe('unknown');
    await h.feature.service.settle();
    const d = await h.call('payments.get', { paymentId: auth.payment.id });
    expect([d.payment.captured, d.payment.refunded]).toEqual([5_000, 2_000]);
    const gw = h.sb.control.order(ref)!;
    expect([gw.capturedAmount, gw.refundedAmount]).toEqual([5_000, 2_000]);
    expect(gw.operations.filter((x) => x.applied)).toHaveLength(3);
  });

  it('recovers unfinished operations at start-up', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 3_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    // a capture left SENT (as after a crash mid-request) and one never sent (PENDING)
    h.sb.control.setReachable(false);
    const c = await h.call('payments.capture', { paymentId: auth.payment.id, amount: 1_000 });
    expect(c.outcome).toBe('unknown');
    await h.feature.close();
    h.sb.control.setReachable(true);
    await h.restart();
    h.advance(10_000); // the restart took a while: older than the capture resend grace
    const report = await h.feature.recover();
    expect(report).toMatchObject({ payments: 1, resolved: 1, resent: 1, stillUnknown: 0 });
    const d = await h.call('payments.get', { paymentId: auth.payment.id });
    expect(d.payment.captured).toBe(1_000);
    expect(h.sb.control.order(auth.payment.reference)!.capturedAmount).toBe(1_000);
  });
});

describe('start-up with the gateway down', () => {
  it('does not wait a timeout per payment, and the background resolver finishes once it is back', async () => {
    const { card, customerId } = await cardOnFile();
    h.sb.control.setReachable(false);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const o = await orderFor(customerId, 1_000 + i * 100);
      ids.push((await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } })).payment.id);
    }
    await h.feature.close();
    await h.restart();
    const t0 = Date.now();
    const report = await h.feature.recover();
    expect(report.stillUnknown).toBe(6);
    expect(Date.now() - t0).toBeLessThan(4 * 400 + 1_000); // three timeouts, not six
    h.sb.control.setReachable(true);
    await h.feature.service.settle();
    for (const id of ids) expect((await h.call('payments.get', { paymentId: id })).payment.status).toBe('captured');
  });
});

describe('reconciliation', () => {
  it('repairs local totals from check status and records what changed', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 8_000);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    await h.call('payments.capture', { paymentId: auth.payment.id, amount: 3_000 });
    h.db.prepare(`UPDATE payments SET captured = 1000 WHERE id = ?`).run(auth.payment.id);
    const r = await h.call('payments.checkStatus', { paymentId: auth.payment.id });
    expect(r.message).toContain('captured 1000 → 3000');
    expect(r.detail.payment.captured).toBe(3_000);
    const last = r.detail.operations[r.detail.operations.length - 1]!;
    expect(last.type).toBe('check_status');
    const audit = h.db.prepare(`SELECT detail FROM audit WHERE action = 'payments.checkStatus' ORDER BY seq DESC LIMIT 1`).get() as { detail: string };
    expect(audit.detail).toContain('captured 1000 → 3000');
    const again = await h.call('payments.checkStatus', { paymentId: auth.payment.id });
    expect(again.message).toContain('agree');
  });
});

describe('payments.list', () => {
  it('filters, pages newest first with a cursor and counts', async () => {
    const all = await h.call('payments.list', { limit: 3 });
    expect(all.total).toBeGreaterThan(5);
    expect(all.rows).toHaveLength(3);
    const seen = new Set(all.rows.map((r) => r.id));
    let cursor = all.nextCursor;
    let n = all.rows.length;
    while (cursor) {
      const page = await h.call('payments.list', { limit: 3, cursor });
      for (const r of page.rows) {
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
      }
      n += page.rows.length;
      cursor = page.nextCursor;
    }
    expect(n).toBe(all.total);
    const cash = await h.call('payments.list', { query: 'Ada', status: 'captured' });
    expect(cash.rows.every((r) => r.status === 'captured' && r.customerName === 'Ada Lovelace')).toBe(true);
    const unknown = await h.call('payments.list', { view: 'unknown' });
    expect(unknown.total).toBe(0);
    const uncaptured = await h.call('payments.list', { view: 'uncaptured' });
    expect(uncaptured.rows.every((r) => r.kind === 'authorization')).toBe(true);
    const byRef = await h.call('payments.list', { query: all.rows[0]!.reference });
    expect(byRef.rows[0]!.id).toBe(all.rows[0]!.id);
  });

  it('lists a payment in flight as unknown and under no settled status, though its first commit leaves the stored status alone', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 3_000);
    const paid = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(paid.outcome).toBe('approved');
    const id = paid.payment.id;
    const ids = async (filter: object) => {
      const r = await h.call('payments.list', { ...filter, limit: 500 });
      return { total: r.total, ids: r.rows.map((x) => x.id) };
    };
    const capturedBefore = await ids({ status: 'captured' });
    expect(capturedBefore.ids).toContain(id);
    // The first commit of a live refund, as PaymentService.refund makes it (the request is never sent here).
    const p = getPaymentRow(h.db, id)!;
    const at = h.clock.now().toISOString();
    tx(h.db, () => {
      updatePayment(h.db, id, { refund_seq: p.refund_seq + 1 }, at);
      startLiveOperation(h.db, id, 'refund', 500, refundReference(p.reference, p.refund_seq + 1), { id: 'u', name: 'U' }, {}, at);
    });
    expect(h.db.prepare('SELECT status, open_ops FROM payments WHERE id = ?').get(id)).toEqual({ status: 'captured', open_ops: 1 });
    expect((await h.call('payments.get', { paymentId: id })).payment.status).toBe('unknown');
    const captured = await ids({ status: 'captured' });
    expect(captured.ids).not.toContain(id);
    expect(captured.total).toBe(capturedBefore.total - 1);
    for (const filter of [{ status: 'unknown' }, { view: 'unknown' }]) {
      const r = await ids(filter);
      expect(r.ids).toContain(id);
      expect(r.total).toBe(r.ids.length);
    }
    // Settled by check status (the gateway never got it: resent once with the same reference).
    const c = await h.call('payments.checkStatus', { paymentId: id });
    expect(c.detail.payment.status).toBe('partially_refunded');
    expect(h.db.prepare('SELECT status, open_ops FROM payments WHERE id = ?').get(id)).toEqual({ status: 'partially_refunded', open_ops: 0 });
    expect((await ids({ status: 'partially_refunded' })).ids).toContain(id);
    expect((await ids({ status: 'unknown' })).ids).not.toContain(id);
  });

  it('leaves an authorization with a capture in flight out of the uncaptured and expiring lists and the expiry banner', async () => {
    const { card, customerId } = await cardOnFile();
    const o = await orderFor(customerId, 2_500);
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
    expect(auth.outcome).toBe('approved');
    const id = auth.payment.id;
    h.advance(6 * 24 * 3600 * 1000); // inside the 48 h warning
    try {
      const before = { uncaptured: await h.call('payments.list', { view: 'uncaptured', limit: 500 }), expiring: await h.call('payments.list', { view: 'expiring', limit: 500 }), banner: await h.call('payments.expiringSummary', {}) };
      expect(before.uncaptured.rows.map((r) => r.id)).toContain(id);
      expect(before.expiring.rows.map((r) => r.id)).toContain(id);
      const p = getPaymentRow(h.db, id)!;
      tx(h.db, () => startLiveOperation(h.db, id, 'capture', 2_500, p.reference, { id: 'u', name: 'U' }, {}, h.clock.now().toISOString()));
      expect(h.db.prepare('SELECT status FROM payments WHERE id = ?').get(id)).toEqual({ status: 'authorized' });
      const uncaptured = await h.call('payments.list', { view: 'uncaptured', limit: 500 });
      const expiring = await h.call('payments.list', { view: 'expiring', limit: 500 });
      const banner = await h.call('payments.expiringSummary', {});
      expect(uncaptured.rows.map((r) => r.id)).not.toContain(id);
      expect(uncaptured.total).toBe(before.uncaptured.total - 1);
      expect(expiring.rows.map((r) => r.id)).not.toContain(id);
      expect(expiring.total).toBe(before.expiring.total - 1);
      expect(banner.total).toBe(before.banner.total - 1);
      expect(banner.soonest?.id).not.toBe(id);
    } finally {
      h.advance(-6 * 24 * 3600 * 1000);
    }
  });
});
