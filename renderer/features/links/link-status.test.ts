import { describe, expect, it } from 'vitest';
import { isExpiring, isLive, minutesLeft } from './link-status';

const expiry = { defaultMinutes: 1440, minMinutes: 15, maxMinutes: 10080, warnMinutes: 60 };

describe('link status on the screen', () => {
  it('keeps asking while the link can still change, stops once it is final and recorded', () => {
    expect(isLive({ state: 'sent', paymentId: null })).toBe(true);
    expect(isLive({ state: 'unknown', paymentId: null })).toBe(true);
    expect(isLive({ state: 'paid', paymentId: null })).toBe(true);
    expect(isLive({ state: 'paid', paymentId: 'pay_1' })).toBe(false);
    expect(isLive({ state: 'cancelled', paymentId: null })).toBe(false);
  });

  it('warns in the last warnMinutes of an open link only', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(isExpiring({ state: 'sent', expiresAt: '2026-12-04T10:30:00Z', expiry }, now)).toBe(true);
    expect(isExpiring({ state: 'sent', expiresAt: '2026-12-04T12:00:00Z', expiry }, now)).toBe(false);
    expect(isExpiring({ state: 'paid', expiresAt: '2026-12-04T10:30:00Z', expiry }, now)).toBe(false);
    expect(isExpiring({ state: 'opened', expiresAt: '2026-12-04T09:59:00Z', expiry }, now)).toBe(false);
    expect(minutesLeft('2026-12-04T10:30:00Z', now)).toBe(30);
  });
});
