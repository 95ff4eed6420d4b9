import { englishText } from '../../../shared/contract/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import { startHarness, type Harness } from '../payments/test-harness';
import { groupCommitStats } from '../ledger/sql';
import { queuePage } from '../sync/queue-repo';
import { BulkService } from './service';

/** Bill runs on cards on file, and failed rows handed to needs attention, against the real sandbox. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sup = (harness: Harness) => ({ ...harness.supervisor.user!, role: 'supervisor' as const });

function bulkOf(harness: Harness, onAttentionChange?: () => void): BulkService {
  return new BulkService(harness.deps, harness.feature.service, { concurrency: 4, orders: harness.feature.orders, ...(onAttentionChange ? { onAttentionChange } : {}) });
}

/** A customer with one card saved through the hosted card page (a first real purchase). */
async function customerWithCard(harness: Harness, name: string, email: string): Promise<{ customerId: string; cardId: string; last4: string }> {
  const o = await harness.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'First', quantity: 1, unitPrice: 500, taxRateBp: 0 }], newCustomer: { name, email, phone: '' } });
  const handle = await harness.hostedCard();
  const r = await harness.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  // Under load the first reply can time out: the status check settles it (and the card it saved).
  if (r.outcome === 'unknown') await harness.call('payments.checkStatus', { paymentId: r.payment.id });
  const card = harness.db.prepare('SELECT id, last4 FROM cards WHERE customer_id = ?').get(o.customerId) as { id: string; last4: string } | undefined;
  if (!card) throw new Error(`no card saved for ${name} (${r.outcome}: ${r.message})`);
  return { customerId: o.customerId!, cardId: card.id, last4: card.last4 };
}

function chargesAt(harness: Harness, customerId: string): number {
  return (harness.db.prepare(`SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.customer_id = ? AND o.reference LIKE 'BR-%'`).get(customerId) as { n: number }).n;
}

describe('bill run', () => {
  it('previews each row (refusals with reasons), charges the accepted rows once, and the same file again charges nothing', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bob = await customerWithCard(h, 'Bob Brown', 'bob@example.com');
    const bulk = bulkOf(h);
    const file = [
      { reference: ada.customerId, amount: '12.50', description: 'December box' },
      { reference: 'BOB@example.com', amount: '9.99', card: ada.last4 === bob.last4 ? bob.last4 : '0000', description: 'December box' },
      { reference: 'bob@example.com', amount: '9.99', card: bob.last4 },
      { reference: 'nobody@example.com', amount: '5.00' },
      { reference: ada.customerId },
      { reference: ada.customerId, amount: '1.2.3' },
    ];
    const run = bulk.preview('charge', file, 'Monthly club', sup(h));
    const rows = bulk.rows(run.id);
    expect(rows.map((r) => r.verdict)).toEqual(['ok', ada.last4 === bob.last4 ? 'ok' : 'refused', 'ok', 'refused', 'refused', 'refused']);
    expect(rows[0]).toMatchObject({ amount: 1250, currency: 'USD', message: expect.stringContaining('Ada Lovelace') });
    if (ada.last4 !== bob.last4) expect(rows[1]!.message).toMatch(/no card on file 0000/);
    expect(rows[3]!.message).toMatch(/No such customer/);
    expect(rows[4]!.message).toMatch(/No amount/);
    expect(rows[5]!.message).toMatch(/Amount/);
    // Kept as sentence keys with their values (said in the reader's language), the English beside them.
    expect(rows[0]!.text).toEqual({ key: 'bulk.chargeCard', params: { name: 'Ada Lovelace', last4: ada.last4 } });
    expect(rows.slice(3).map((r) => r.text?.key)).toEqual(['bulk.checkNoCustomer', 'bulk.checkNoAmount', 'bulk.checkNotAmount']);
    for (const r of rows) expect(englishText(r.text!)).toBe(r.message);
    // Nothing charged by the preview.
    expect(chargesAt(h, ada.customerId) + chargesAt(h, bob.customerId)).toBe(0);

    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    const done = bulk.get(run.id);
    expect(done.state).toBe('done');
    expect(done.counts.approved).toBe(rows.filter((r) => r.verdict === 'ok').length);
    expect(chargesAt(h, ada.customerId)).toBe(1);
    const adaPay = h.db.prepare(`SELECT p.reference, p.captured, p.eci, o.lines_json FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.customer_id = ? AND o.reference LIKE 'BR-%'`).get(ada.customerId) as { reference: string; captured: number; eci: string; lines_json: string };
    expect(adaPay.captured).toBe(1250);
    expect(adaPay.lines_json).toContain('December box');
    expect(h.sb.control.order(adaPay.reference)?.capturedAmount).toBe(1250);
    // The description falls back to the run's reason.
    const bobLines = (h.db.prepare(`SELECT o.lines_json FROM orders o WHERE o.customer_id = ? AND o.reference LIKE 'BR-%' ORDER BY o.created_at DESC LIMIT 1`).get(bob.customerId) as { lines_json: string }).lines_json;
    expect(bobLines).toMatch(/December box|Monthly club/);

    const again = bulk.preview('charge', file, 'Monthly club', sup(h));
    const second = bulk.rows(again.id);
    expect(second.filter((r) => r.verdict === 'ok')).toHaveLength(0);
    expect(second[0]!.message).toMatch(/Already in bulk run/);
    expect(chargesAt(h, ada.customerId)).toBe(1);
  });

  it('a charge the bank declines goes to needs attention with its next step; the others are charged', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    let told = 0;
    const bulk = bulkOf(h, () => (told += 1));
    // ...666 is the sandbox's "declined" amount.
    const run = bulk.preview('charge', [{ reference: ada.customerId, amount: '16.66', description: 'Box' }, { reference: ada.customerId, amount: '20.00', description: 'Box' }], '', sup(h));
    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    const rows = bulk.rows(run.id);
    expect(rows.map((r) => r.state)).toEqual(['declined', 'approved']);
    expect(rows[0]!.message).toMatch(/^Needs attention: Declined by the bank/);
    const queue = queuePage(h.db, { section: 'attention', limit: 50 }, new Date());
    expect(queue.counts.attention).toBe(1);
    const entry = queue.rows[0]!;
    expect(entry).toMatchObject({ kind: 'operation', state: 'needs_attention', type: 'purchase' });
    expect(told).toBe(1);
  });

  it('a bulk capture the gateway refuses goes to needs attention too', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const o = await h.call('orders.create', { channel: 'mail', currency: 'USD', customerId: ada.customerId, lines: [{ description: 'Parcel', quantity: 1, unitPrice: 5_000, taxRateBp: 0 }] });
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: ada.cardId } });
    const bulk = bulkOf(h);
    // A capture of ...666 is refused by the sandbox (05666).
    const run = bulk.preview('capture', [{ reference: auth.payment.reference, amount: '16.66' }], '', sup(h));
    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    expect(bulk.rows(run.id)[0]).toMatchObject({ state: 'declined', message: expect.stringMatching(/^Needs attention: /) });
    const ops = h.db.prepare(`SELECT type, state FROM operations WHERE payment_id = ? AND type = 'capture'`).all(auth.payment.id);
    expect(ops).toEqual([{ type: 'capture', state: 'needs_attention' }]);
  });

  it('a crash after the charge but before the row was finished: resumed, the row takes that payment, never a second charge', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bob = await customerWithCard(h, 'Bob Brown', 'bob@example.com');
    const bulk = bulkOf(h);
    const run = bulk.preview('charge', [{ reference: ada.customerId, amount: '30.00', description: 'Box' }, { reference: bob.customerId, amount: '31.00', description: 'Box' }], '', sup(h));
    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    expect(bulk.get(run.id).counts.approved).toBe(2);
    // As a crash would leave it: both rows 'sending', their payment ids never noted, the run running.
    h.db.prepare(`UPDATE bulk_rows SET state = 'sending', payment_id = NULL, message = '' WHERE run_id = ?`).run(run.id);
    h.db.prepare(`UPDATE bulk_runs SET state = 'running' WHERE id = ?`).run(run.id);
    await h.restart();
    const after = new BulkService(h.deps, h.feature.service, { orders: h.feature.orders });
    expect(after.recover(() => sup(h!))).toBe(2);
    await after.wait(run.id);
    expect(after.get(run.id)).toMatchObject({ state: 'done', counts: { approved: 2 } });
    expect(chargesAt(h, ada.customerId)).toBe(1);
    expect(chargesAt(h, bob.customerId)).toBe(1);
    expect(after.rows(run.id).every((r) => r.paymentId !== null)).toBe(true);
  });

  it('a row claimed but never charged (order made, no payment) is charged once on resume', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bulk = bulkOf(h);
    const run = bulk.preview('charge', [{ reference: ada.customerId, amount: '7.00', description: 'Box' }], '', sup(h));
    const ref = (h.db.prepare('SELECT order_reference FROM bulk_rows WHERE run_id = ?').get(run.id) as { order_reference: string }).order_reference;
    // The crash came after the row's order was made and before its charge.
    h.feature.orders.create({ channel: 'mail', currency: 'USD', customerId: ada.customerId, newCustomer: null, lines: [{ description: 'Box', quantity: 1, unitPrice: 700, taxRateBp: 0 }], note: '' }, sup(h), { reference: ref });
    h.db.prepare(`UPDATE bulk_rows SET state = 'sending' WHERE run_id = ?`).run(run.id);
    h.db.prepare(`UPDATE bulk_runs SET state = 'running' WHERE id = ?`).run(run.id);
    const after = bulkOf(h);
    after.recover(() => sup(h!));
    await after.wait(run.id);
    expect(after.get(run.id).counts.approved).toBe(1);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE reference = ?').get(ref)).toEqual({ n: 1 });
    expect(chargesAt(h, ada.customerId)).toBe(1);
  });
});

describe('bill runs share commits', () => {
  it('the order, payment and outcome of each row go through the group commit (fewer commits than writes), charged once each', async () => {
    h = await startHarness();
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bulk = new BulkService(h.deps, h.feature.service, { concurrency: 8, orders: h.feature.orders });
    const run = bulk.preview('charge', Array.from({ length: 24 }, () => ({ reference: ada.customerId, amount: '3.00', description: 'Box' })), '', sup(h));
    const before = { ...groupCommitStats };
    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    expect(bulk.get(run.id).counts.approved).toBe(24);
    const writes = groupCommitStats.writes - before.writes;
    const commits = groupCommitStats.commits - before.commits;
    // Per row: the order, the payment with its SENT operation, the outcome: at least 3 grouped writes.
    expect(writes).toBeGreaterThanOrEqual(24 * 3);
    expect(commits).toBeLessThan(writes);
    expect(chargesAt(h, ada.customerId)).toBe(24);
  });
});

describe('rows refused by our own checks at send time', () => {
  it('go to needs attention with the reason and a next step (no operation made), and a supervisor dismisses them', async () => {
    h = await startHarness({ settings: { refundApprovalLimit: 9_999_999_999 } });
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bob = await customerWithCard(h, 'Bob Brown', 'bob@example.com');
    const o = await h.call('orders.create', { channel: 'mail', currency: 'USD', customerId: ada.customerId, lines: [{ description: 'Parcel', quantity: 1, unitPrice: 5_000, taxRateBp: 0 }] });
    const auth = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId: ada.cardId } });
    let told = 0;
    const bulk = bulkOf(h, () => (told += 1));
    const captures = bulk.preview('capture', [{ reference: auth.payment.reference }], '', sup(h));
    const bills = bulk.preview('charge', [{ reference: bob.customerId, amount: '9.00', description: 'Box' }, { reference: ada.customerId, amount: '8.00', description: 'Box' }], '', sup(h));
    expect(bulk.rows(captures.id)[0]!.verdict).toBe('ok');
    // After the preview: the authorization is voided elsewhere, Bob's card deactivated.
    await h.call('payments.void', { paymentId: auth.payment.id, reason: 'customer cancelled' }, h.supervisor);
    await h.call('cards.deactivate', { cardId: bob.cardId });
    const opsBefore = (h.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n;

    bulk.start(captures.id, sup(h));
    await bulk.wait(captures.id);
    bulk.start(bills.id, sup(h));
    await bulk.wait(bills.id);
    expect(bulk.rows(captures.id)[0]).toMatchObject({ state: 'declined', message: expect.stringMatching(/^Needs attention: refused before sending .*open it/) });
    expect(bulk.rows(bills.id).map((r) => r.state)).toEqual(['declined', 'approved']);
    expect(bulk.rows(bills.id)[0]!.message).toMatch(/^Needs attention: refused before sending .*deactivated.*another card/);
    // Only Ada's charge made an operation: the two refused rows moved nothing.
    expect((h.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n).toBe(opsBefore + 1);
    expect(h.sb.control.order(auth.payment.reference)?.capturedAmount ?? 0).toBe(0);
    expect(told).toBe(2);

    const queue = queuePage(h.db, { section: 'attention', limit: 50 }, new Date());
    expect(queue.counts.attention).toBe(2);
    const entries = queue.rows.filter((e) => e.kind === 'bulk');
    expect(entries).toHaveLength(2);
    const cap = entries.find((e) => e.kind === 'bulk' && e.bulkKind === 'capture')!;
    expect(cap).toMatchObject({ runId: captures.id, seq: 1, paymentId: auth.payment.id, reference: auth.payment.reference, runBy: sup(h).name, reason: expect.stringMatching(/void/i) });
    const bill = entries.find((e) => e.kind === 'bulk' && e.bulkKind === 'charge')!;
    expect(bill).toMatchObject({ runId: bills.id, seq: 1, orderReference: expect.stringMatching(/^BR-/), amount: 900, currency: 'USD', reason: expect.stringMatching(/deactivated/) });
    // Paged like the rest: one row per page still reaches both.
    const first = queuePage(h.db, { section: 'attention', limit: 1 }, new Date());
    const second = queuePage(h.db, { section: 'attention', limit: 1, cursor: first.nextCursor! }, new Date());
    expect(new Set([first.rows[0]!.id, second.rows[0]!.id]).size).toBe(2);

    // Supervisors only (the dispatcher enforces minRole); once.
    expect(channels['bulk.dismissRow'].minRole).toBe('supervisor');
    const boss = sup(h);
    bulk.dismissRow(captures.id, 1, boss);
    expect(() => bulk.dismissRow(captures.id, 1, boss)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    bulk.dismissRow(bills.id, 1, sup(h));
    expect(queuePage(h.db, { section: 'attention', limit: 50 }, new Date()).counts.attention).toBe(0);
    expect(bulk.rows(captures.id)[0]!.message).toMatch(/^Dismissed by /);
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM audit WHERE action = 'bulk.dismiss'`).get()).toEqual({ n: 2 });
    expect(told).toBe(4);
  });
});
