import { describe, expect, it } from 'vitest';
import { paymentBalance } from './payment-balance';
import { allowedAction, AUTHORIZATION_LIFETIME_MS, type PaymentTotals } from './payment-state';

const now = new Date('2026-03-10T12:00:00Z');
const until = new Date(now.getTime() + 3 * 24 * 3600 * 1000).toISOString();
const auth = (over: Partial<PaymentTotals> = {}): PaymentTotals => ({
  method: 'card',
  authorized: 10_000,
  captured: 0,
  refunded: 0,
  voided: false,
  declined: false,
  unknown: false,
  expiresAt: until,
  ...over,
});
const sale = (over: Partial<PaymentTotals> = {}): PaymentTotals => auth({ captured: 10_000, expiresAt: null, ...over });

describe('paymentBalance: what is left and what becomes of it', () => {
  it('an authorization not yet captured: all of it can be captured or voided until it lapses', () => {
    expect(paymentBalance(auth(), [], now)).toEqual({ uncaptured: 10_000, fate: 'capturable', until, canVoid: true, refundable: 0, queuedCapture: 0, queuedRefund: 0 });
  });

  it('a voided authorization has nothing left: what it released is shown, nothing "left to capture"', () => {
    const b = paymentBalance(auth({ authorized: 5_500, voided: true }), [], now);
    expect(b).toMatchObject({ uncaptured: 5_500, fate: 'voided', until: null, canVoid: false, refundable: 0 });
  });

  it('a queued void: released once it reaches the gateway', () => {
    expect(paymentBalance(auth(), [{ type: 'void', amount: null }], now)).toMatchObject({ fate: 'void_queued', uncaptured: 10_000, canVoid: false });
  });

  it('captured 40 + 30 of 100: USD 30.00 still authorized, can be captured until it lapses, no longer voided', () => {
    const b = paymentBalance(auth({ captured: 7_000 }), [], now);
    expect(b).toEqual({ uncaptured: 3_000, fate: 'capturable', until, canVoid: false, refundable: 7_000, queuedCapture: 0, queuedRefund: 0 });
    expect(allowedAction('void', auth({ captured: 7_000 }), now)).toMatchObject({ allowed: false, code: 'VOID_NOT_ALLOWED' });
  });

  it('after a refund the rest can be neither captured nor voided: it lapses with the authorization', () => {
    const b = paymentBalance(auth({ captured: 7_000, refunded: 1_000 }), [], now);
    expect(b).toMatchObject({ uncaptured: 3_000, fate: 'lapses', until, canVoid: false, refundable: 6_000 });
    expect(allowedAction('capture', auth({ captured: 7_000, refunded: 1_000 }), now).allowed).toBe(false);
  });

  it('a queued refund already closes the rest to captures', () => {
    expect(paymentBalance(auth({ captured: 7_000 }), [{ type: 'refund', amount: 500 }], now)).toMatchObject({ fate: 'lapses', refundable: 6_500, queuedRefund: 500 });
  });

  it('the authorization lapsed with a rest never captured', () => {
    const lapsed = new Date(now.getTime() - 1).toISOString();
    expect(paymentBalance(auth({ captured: 4_000, expiresAt: lapsed }), [], now)).toMatchObject({ uncaptured: 6_000, fate: 'lapsed', until: lapsed });
    expect(paymentBalance(auth({ expiresAt: new Date(now.getTime() - AUTHORIZATION_LIFETIME_MS).toISOString() }), [], now)).toMatchObject({ fate: 'lapsed', canVoid: false });
  });

  it('refundable counts the queued refunds: one number for the summary and the refund form (issue #13: 48.70 vs 38.70)', () => {
    const t = sale({ authorized: 4_870, captured: 4_870 });
    const b = paymentBalance(t, [{ type: 'refund', amount: 1_000 }], now);
    expect(b).toMatchObject({ refundable: 3_870, queuedRefund: 1_000, fate: 'none', uncaptured: 0 });
    const withQueue = { ...t, refunded: 1_000 };
    expect(allowedAction('refund', withQueue, now)).toEqual({ allowed: true, max: b.refundable });
  });

  it('a queued capture moves the rest and what can be refunded', () => {
    expect(paymentBalance(auth(), [{ type: 'capture', amount: 4_000 }], now)).toMatchObject({ uncaptured: 6_000, refundable: 4_000, queuedCapture: 4_000, fate: 'capturable', canVoid: false });
  });

  it('a sale, a cash payment, a declined charge: nothing authorized is left', () => {
    expect(paymentBalance(sale(), [], now)).toMatchObject({ fate: 'none', uncaptured: 0, refundable: 10_000 });
    expect(paymentBalance(sale({ method: 'cash', refunded: 2_500 }), [], now)).toMatchObject({ fate: 'none', refundable: 7_500 });
    expect(paymentBalance(auth({ authorized: 0, declined: true }), [], now)).toMatchObject({ fate: 'none', uncaptured: 0, refundable: 0 });
  });

  it('an outcome still being checked does not change what the rest may become', () => {
    expect(paymentBalance(auth({ captured: 2_000, unknown: true }), [], now)).toMatchObject({ fate: 'capturable', uncaptured: 8_000 });
  });
});
