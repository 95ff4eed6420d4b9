import { afterEach, describe, expect, it } from 'vitest';
import { englishText } from '../../../shared/contract/messages';
import { startHarness, type Harness } from '../payments/test-harness';
import { seedAuthorizations } from './test-helpers';
import { BulkService } from './service';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function bulkOf(harness: Harness): BulkService {
  return new BulkService(harness.deps, harness.feature.service, { concurrency: 4 });
}

const sup = (harness: Harness) => ({ ...harness.supervisor.user!, role: 'supervisor' as const });

describe('bulk operations', () => {
  it('previews every row with what is refused and why, sends nothing until started', async () => {
    h = await startHarness({ settings: { refundApprovalLimit: 9_999_999_999 } });
    const auths = await seedAuthorizations(h, 4, 2_000, 2);
    const bulk = bulkOf(h);
    const run = bulk.preview('capture', [
      { reference: auths[0]!.reference, amount: '20.00' },
      { reference: auths[1]!.reference },
      { reference: auths[2]!.reference, amount: '25.00' },
      { reference: 'NO-SUCH-REF', amount: '1.00' },
      { reference: auths[3]!.reference, amount: '12.00' },
      { reference: auths[3]!.reference, amount: '12.00' },
      { reference: auths[0]!.reference, amount: 'abc' },
    ], '', sup(h));
    const rows = bulk.rows(run.id);
    expect(rows.map((r) => [r.verdict, r.amount])).toEqual([
      ['ok', 2000], ['ok', 2000], ['refused', 2500], ['refused', null], ['ok', 1200], ['refused', 1200], ['refused', null],
    ]);
    expect(rows[2]!.message).toMatch(/more than what remains authorized/);
    expect(rows[3]!.message).toMatch(/No such payment/);
    expect(rows[5]!.message).toMatch(/more than what remains/);
    expect(rows[6]!.message).toMatch(/Amount/);
    // Each refusal is kept as a sentence key (the screen says it in the reader's language), its English beside it.
    expect(rows.filter((r) => r.verdict === 'refused').map((r) => r.text?.key)).toEqual(['rule.overAuthorized', 'bulk.checkNoPayment', 'rule.overAuthorized', 'bulk.checkNotAmount']);
    expect(rows[6]!.text).toEqual({ key: 'bulk.checkNotAmount', params: { input: 'abc' } });
    for (const r of rows.filter((x) => x.text)) expect(englishText(r.text!)).toBe(r.message);
    expect(h.sb.control.orders().filter((o) => o.capturedAmount > 0 && auths.some((a) => a.reference === o.merchantReference))).toHaveLength(0);

    bulk.start(run.id, sup(h));
    await bulk.wait(run.id);
    const done = bulk.get(run.id);
    expect(done).toMatchObject({ state: 'done', counts: { approved: 3, refused: 4 } });
    expect(h.sb.control.order(auths[3]!.reference)?.capturedAmount).toBe(1200);
    const csv = bulk.resultCsv(run.id).trim().split('\n');
    expect(csv[0]).toBe('row,reference,amount_minor,currency,verdict,state,message');
    expect(csv).toHaveLength(8);
    expect(csv[4]).toContain('refused');
  });

  it('the same file twice never moves money twice', async () => {
    h = await startHarness({ settings: { refundApprovalLimit: 9_999_999_999 } });
    const auths = await seedAuthorizations(h, 3, 1_000, 3);
    const bulk = bulkOf(h);
    const file = auths.map((a) => ({ reference: a.reference, amount: '4.00' }));
    const first = bulk.preview('capture', file, '', sup(h));
    bulk.start(first.id, sup(h));
    await bulk.wait(first.id);
    expect(bulk.get(first.id).counts.approved).toBe(3);
    const again = bulk.preview('capture', file, '', sup(h));
    expect(bulk.rows(again.id).every((r) => r.verdict === 'refused' && /Already in bulk run/.test(r.message))).toBe(true);
    bulk.start(again.id, sup(h));
    await bulk.wait(again.id);
    for (const a of auths) expect(h.sb.control.order(a.reference)?.capturedAmount).toBe(400);
  });

  it('refunds and voids in bulk; cancel stops rows not yet sent', async () => {
    h = await startHarness({ settings: { refundApprovalLimit: 9_999_999_999 } });
    const auths = await seedAuthorizations(h, 6, 1_000, 3);
    const bulk = new BulkService(h.deps, h.feature.service, { concurrency: 1 });
    const voids = bulk.preview('void', auths.slice(0, 2).map((a) => ({ reference: a.reference })), 'Out of stock', sup(h));
    bulk.start(voids.id, sup(h));
    await bulk.wait(voids.id);
    expect(bulk.get(voids.id).counts.approved).toBe(2);
    expect(h.sb.control.order(auths[0]!.reference)?.status).toBe('voided');
    // Refund needs captured money: void rows of captured payments are refused in the preview.
    const cap = bulk.preview('capture', auths.slice(2).map((a) => ({ reference: a.reference })), '', sup(h));
    bulk.start(cap.id, sup(h));
    await bulk.wait(cap.id);
    const badVoid = bulk.preview('void', [{ reference: auths[2]!.reference }], '', sup(h));
    expect(bulk.rows(badVoid.id)[0]!.message).toMatch(/refund it instead/);
    const refunds = bulk.preview('refund', auths.slice(2).map((a) => ({ reference: a.reference, amount: '3.00' })), 'Late delivery', sup(h));
    bulk.start(refunds.id, sup(h));
    bulk.cancel(refunds.id, sup(h));
    await bulk.wait(refunds.id);
    const r = bulk.get(refunds.id);
    expect(r.state).toBe('cancelled');
    expect(r.counts.approved + r.counts.cancelled).toBe(4);
    expect(r.counts.cancelled).toBeGreaterThan(0);
    // Each row's result as a key beside its English (the screen's language): cancelled, approved.
    const rows = bulk.rows(refunds.id);
    expect(rows.find((x) => x.state === 'cancelled')).toMatchObject({ message: 'Cancelled before it was sent.', text: { key: 'bulk.cancelledBeforeSent' } });
    expect(rows.filter((x) => x.state === 'approved').every((x) => x.text?.key === 'outcome.done' || x.text?.key === 'outcome.approved')).toBe(true);
    const refunded = auths.slice(2).reduce((n, a) => n + (h!.sb.control.order(a.reference)?.refundedAmount ?? 0), 0);
    expect(refunded).toBe(r.counts.approved * 300);
  });

  it('a row left sending by a crash is settled by its operation, never sent twice', async () => {
    h = await startHarness({ settings: { refundApprovalLimit: 9_999_999_999 } });
    const auths = await seedAuthorizations(h, 2, 1_000, 2);
    const bulk = bulkOf(h);
    const run = bulk.preview('capture', auths.map((a) => ({ reference: a.reference })), '', sup(h));
    // Simulate: row 1's capture went out (its operation exists) but the row was never finished;
    // row 2 was claimed but its operation never started.
    h.db.prepare("UPDATE bulk_runs SET state = 'running' WHERE id = ?").run(run.id);
    await h.feature.service.capture(auths[0]!.id, 1_000, { ...sup(h), name: `${sup(h).name} (bulk ${run.id} #1)` });
    h.db.prepare("UPDATE bulk_rows SET state = 'sending' WHERE run_id = ?").run(run.id);
    await h.restart();
    const after = new BulkService(h.deps, h.feature.service);
    expect(after.recover(() => sup(h!))).toBe(2);
    await after.wait(run.id);
    expect(after.get(run.id)).toMatchObject({ state: 'done', counts: { approved: 2 } });
    expect(h.sb.control.order(auths[0]!.reference)?.operations.filter((o) => o.kind === 'CAPTURE')).toHaveLength(1);
    expect(h.sb.control.order(auths[1]!.reference)?.capturedAmount).toBe(1_000);
  });
});
