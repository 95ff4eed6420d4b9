import { describe, expect, it } from 'vitest';
import { allowedAction, checkAmount, paymentStatus, AUTHORIZATION_LIFETIME_MS, type PaymentTotals } from './payment-state';
import { orderTotals } from './order-totals';
import { roleAtLeast } from './roles';

const now = new Date('2026-03-10T12:00:00Z');
const base: PaymentTotals = { method: 'card', authorized: 0, captured: 0, refunded: 0, voided: false, declined: false, unknown: false, expiresAt: null };
const auth = (over: Partial<PaymentTotals> = {}): PaymentTotals => ({
  ...base,
  authorized: 10_000,
  expiresAt: new Date(now.getTime() + AUTHORIZATION_LIFETIME_MS).toISOString(),
  ...over,
});

describe('payment state machine', () => {
  it('names every state', () => {
    expect(paymentStatus(auth(), now)).toBe('authorized');
    expect(paymentStatus(auth({ captured: 4_000 }), now)).toBe('partially_captured');
    expect(paymentStatus(auth({ captured: 10_000 }), now)).toBe('captured');
    expect(paymentStatus(auth({ captured: 10_000, refunded: 1 }), now)).toBe('partially_refunded');
    expect(paymentStatus(auth({ captured: 10_000, refunded: 10_000 }), now)).toBe('refunded');
    expect(paymentStatus(auth({ voided: true }), now)).toBe('voided');
    expect(paymentStatus({ ...base, declined: true }, now)).toBe('declined');
    expect(paymentStatus(auth({ unknown: true }), now)).toBe('unknown');
    expect(paymentStatus(auth({ expiresAt: now.toISOString() }), now)).toBe('expired');
  });

  it('capture: up to what remains authorized, never after expiry, void or refund', () => {
    expect(allowedAction('capture', auth({ captured: 4_000 }), now)).toEqual({ allowed: true, max: 6_000 });
    expect(checkAmount('capture', 6_001, auth({ captured: 4_000 }), now)).toMatchObject({ allowed: false, code: 'AMOUNT_EXCEEDS_AUTHORIZED' });
    expect(checkAmount('capture', 6_000, auth({ captured: 4_000 }), now)).toMatchObject({ allowed: true });
    expect(checkAmount('capture', 0, auth(), now)).toMatchObject({ allowed: false });
    expect(allowedAction('capture', auth({ expiresAt: new Date(now.getTime() - 1).toISOString() }), now)).toMatchObject({ allowed: false, code: 'AUTHORIZATION_EXPIRED' });
    expect(allowedAction('capture', auth({ voided: true }), now)).toMatchObject({ allowed: false });
    expect(allowedAction('capture', auth({ captured: 5_000, refunded: 100 }), now)).toMatchObject({ allowed: false });
    expect(allowedAction('capture', { ...base, method: 'cash', authorized: 500, captured: 500 }, now)).toMatchObject({ allowed: false });
  });

  it('void: only with nothing captured and before expiry', () => {
    expect(allowedAction('void', auth(), now)).toEqual({ allowed: true, max: 10_000 });
    expect(allowedAction('void', auth({ captured: 1 }), now)).toMatchObject({ allowed: false, code: 'VOID_NOT_ALLOWED' });
    expect(allowedAction('void', auth({ expiresAt: now.toISOString() }), now)).toMatchObject({ allowed: false, code: 'AUTHORIZATION_EXPIRED' });
  });

  it('refund: up to captured minus refunded, partial and repeated, cash too', () => {
    const p = auth({ captured: 8_000, refunded: 3_000 });
    expect(allowedAction('refund', p, now)).toEqual({ allowed: true, max: 5_000 });
    expect(checkAmount('refund', 5_001, p, now)).toMatchObject({ allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED' });
    expect(allowedAction('refund', auth(), now)).toMatchObject({ allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED' });
    expect(allowedAction('refund', auth({ captured: 8_000, refunded: 8_000 }), now)).toMatchObject({ allowed: false });
    expect(allowedAction('refund', { ...base, method: 'cash', authorized: 500, captured: 500 }, now)).toEqual({ allowed: true, max: 500 });
  });

  it('nothing but check status while the outcome is unknown', () => {
    const u = auth({ unknown: true });
    for (const a of ['capture', 'void', 'refund'] as const) expect(allowedAction(a, u, now).allowed).toBe(false);
    expect(allowedAction('checkStatus', u, now).allowed).toBe(true);
  });
});

describe('order totals', () => {
  it('sums lines with per-line tax rounded half away from zero', () => {
    const t = orderTotals('USD', [
      { description: 'a', quantity: 2, unitPrice: 1250, taxRateBp: 500 }, // 2500 + 125
      { description: 'b', quantity: 3, unitPrice: 333, taxRateBp: 775 }, // 999 + 77.4225 -> 77
      { description: 'c', quantity: 1, unitPrice: 10, taxRateBp: 500 }, // 10 + 0.5 -> 1
    ]);
    expect(t.net).toEqual({ amount: 3509, currency: 'USD' });
    expect(t.tax).toEqual({ amount: 203, currency: 'USD' });
    expect(t.total).toEqual({ amount: 3712, currency: 'USD' });
    expect(t.lines.map((l) => l.gross.amount)).toEqual([2625, 1076, 11]);
  });
  it('works in three-decimal currencies', () => {
    expect(orderTotals('KWD', [{ description: 'x', quantity: 1, unitPrice: 1250, taxRateBp: 1000 }]).total.amount).toBe(1375);
  });
});

describe('roles', () => {
  it('orders clerk < supervisor < admin', () => {
    expect(roleAtLeast('admin', 'supervisor')).toBe(true);
    expect(roleAtLeast('supervisor', 'supervisor')).toBe(true);
    expect(roleAtLeast('clerk', 'supervisor')).toBe(false);
  });
});
