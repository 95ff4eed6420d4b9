/**
 * Ambiguous captures (issue 15, item 3; docs/decisions/ambiguous-captures.md): APS captures carry
 * no reference of their own, so an unanswered capture is decided from the gateway's captured total
 * against the ledger's. "Not applied" allows a resend only after the bound in time (our request
 * timeout + the gateway's processing bound); both sides of it are tested with real late landings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-harness';

const TIMEOUT = 300;
const GRACE = 2_500;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function authorized(x: Harness, amount: number) {
  const order = await x.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '' }, lines: [{ description: 'Item', quantity: 1, unitPrice: amount, taxRateBp: 0 }] });
  const handle = await x.hostedCard();
  const r = await x.call('payments.charge', { orderId: order.id, mode: 'authorize', source: { kind: 'new_card', handle, save: false } });
  expect(r.outcome).toBe('approved');
  return r.payment;
}

const captureOp = (x: Harness, paymentId: string) => x.db.prepare(`SELECT id, state, attempts FROM operations WHERE payment_id = ? AND type = 'capture'`).get(paymentId) as { id: string; state: string; attempts: number };
const appliedCaptures = (x: Harness, reference: string) => x.sb.control.order(reference)!.operations.filter((o) => o.kind === 'CAPTURE' && o.applied).length;

describe('a capture whose answer was lost', () => {
  it('lands late, inside the bound: never resent while it may still land; decided by the totals as soon as it has', async () => {
    h = await startHarness({ timeoutMs: TIMEOUT, captureResendGraceMs: GRACE, retryDelaysMs: [] });
    const p = await authorized(h, 4_000);
    // The gateway receives it, takes 1.2 s (past our 300 ms timeout) and then applies it.
    h.sb.control.injectFault({ kind: 'latency', match: { command: 'CAPTURE' }, delayMs: 1_200, times: 1 });
    expect((await h.call('payments.capture', { paymentId: p.id, amount: 4_000 })).outcome).toBe('unknown');
    const op = captureOp(h, p.id);
    // Asked before it landed: the totals say "not applied", but the attempt may still land.
    const early = await h.feature.service.runner.resolve(op.id);
    expect(early).toMatchObject({ state: 'unknown', resent: false });
    expect(early.message).toMatch(/could still land until/);
    expect(h.sb.control.order(p.reference)!.capturedAmount).toBe(0);
    // It lands; the next check finds it in the totals and finishes it without waiting for the bound.
    await expect.poll(() => h!.sb.control.order(p.reference)!.capturedAmount, { timeout: 5_000 }).toBe(4_000);
    const late = await h.feature.service.runner.resolve(op.id);
    expect(late).toMatchObject({ state: 'succeeded', resent: false });
    expect(captureOp(h, p.id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(appliedCaptures(h, p.reference)).toBe(1);
    expect((await h.call('payments.get', { paymentId: p.id })).payment.captured).toBe(4_000);
  });

  it('never arrived: still not applied past the bound, so it is sent again, once, and the gateway has it once', async () => {
    h = await startHarness({ timeoutMs: TIMEOUT, captureResendGraceMs: GRACE, retryDelaysMs: [] });
    const p = await authorized(h, 2_500);
    // The connection dies before the gateway reads the request: nothing applied.
    h.sb.control.injectFault({ kind: 'timeout_before_commit', match: { command: 'CAPTURE' }, delayMs: 500, times: 1 });
    expect((await h.call('payments.capture', { paymentId: p.id, amount: 2_500 })).outcome).toBe('unknown');
    const op = captureOp(h, p.id);
    expect(await h.feature.service.runner.resolve(op.id)).toMatchObject({ state: 'unknown', resent: false });
    // Just inside the bound: still no resend.
    h.advance(GRACE - 500);
    expect(await h.feature.service.runner.resolve(op.id)).toMatchObject({ state: 'unknown', resent: false });
    expect(appliedCaptures(h, p.reference)).toBe(0);
    // Past it: the totals still say "not applied", and nothing can land any more.
    h.advance(1_000);
    expect(await h.feature.service.runner.resolve(op.id)).toMatchObject({ state: 'succeeded', resent: true });
    expect(captureOp(h, p.id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(appliedCaptures(h, p.reference)).toBe(1);
  });

  it('a void that lands late is not resent while it may still land (the simulation found the resend meeting the late void, seed 303)', async () => {
    h = await startHarness({ timeoutMs: TIMEOUT, captureResendGraceMs: GRACE, retryDelaysMs: [] });
    const p = await authorized(h, 1_500);
    h.sb.control.injectFault({ kind: 'latency', match: { command: 'VOID_AUTHORIZATION' }, delayMs: 1_200, times: 1 });
    expect((await h.call('payments.void', { paymentId: p.id })).outcome).toBe('unknown');
    const op = h.db.prepare(`SELECT id FROM operations WHERE payment_id = ? AND type = 'void'`).get(p.id) as { id: string };
    // Asked before it landed: the order is still authorized, but the void may still land: no resend.
    const early = await h.feature.service.runner.resolve(op.id);
    expect(early).toMatchObject({ state: 'unknown', resent: false });
    expect(early.message).toMatch(/could still land until/);
    await expect.poll(() => h!.sb.control.order(p.reference)!.status, { timeout: 5_000 }).toBe('voided');
    expect(await h.feature.service.runner.resolve(op.id)).toMatchObject({ state: 'succeeded', resent: false });
    const voids = h.sb.control.order(p.reference)!.operations.filter((o) => o.kind === 'VOID_AUTHORIZATION');
    expect(voids.map((o) => o.applied)).toEqual([true]);
  });

  it('totals moved by someone else meanwhile: no proof either way, no resend, left for reconciliation', async () => {
    h = await startHarness({ timeoutMs: TIMEOUT, captureResendGraceMs: GRACE, retryDelaysMs: [] });
    const p = await authorized(h, 3_000);
    h.sb.control.injectFault({ kind: 'timeout_before_commit', match: { command: 'CAPTURE' }, delayMs: 500, times: 1 });
    expect((await h.call('payments.capture', { paymentId: p.id, amount: 2_000 })).outcome).toBe('unknown');
    // Another desk captures 500 at the gateway behind our back.
    const other = await h.deps.gateway.capture({ merchantReference: p.reference, amount: { amount: 500, currency: 'USD' } });
    expect(other.kind).toBe('succeeded');
    h.advance(GRACE + 1_000);
    const r = await h.feature.service.runner.resolve(captureOp(h, p.id).id);
    expect(r).toMatchObject({ state: 'unknown', resent: false });
    expect(h.sb.control.order(p.reference)!.capturedAmount).toBe(500);
  });
});
