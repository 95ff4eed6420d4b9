import { beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../../i18n/test-i18n';
import type { OutputOf } from '../../../shared/contract';
import { paymentBalance } from '../../../shared/domain/payment-balance';
import type { PaymentTotals } from '../../../shared/domain/payment-state';
import { fmtMoney, plural } from '../../lib/format';
import { doneTitle, remainingRows, restNote } from './balance-text';

type Detail = OutputOf<'payments.get'>;
const NBSP = '\u00a0';
const usd = (s: string) => `USD${NBSP}${s}`;
const now = new Date('2026-03-10T12:00:00Z');
const until = '2026-03-13T12:00:00.000Z';

/** A payments.get answer as the core builds it: the balance from the shared rule. */
function detail(t: Partial<PaymentTotals>, status: Detail['payment']['status'], queued: { type: string; amount: number | null }[] = []): Detail {
  const totals: PaymentTotals = { method: 'card', authorized: 10_000, captured: 0, refunded: 0, voided: false, declined: false, unknown: false, expiresAt: until, ...t };
  return {
    payment: { currency: 'USD', authorized: totals.authorized, captured: totals.captured, refunded: totals.refunded, status, queued: queued.length, method: 'card' } as Detail['payment'],
    balance: paymentBalance(totals, queued, now),
  } as Detail;
}

beforeAll(() => useTestLanguage('en'));

const rows = (d: Detail) => remainingRows(d).map((r) => [r.label, r.amount, r.strong ?? false]);

describe('the summary says what is left, from the core', () => {
  it('a voided authorization: what was released, nothing "left to capture" (issue #13 item 6)', () => {
    const d = detail({ authorized: 5_500, voided: true }, 'voided');
    expect(rows(d)).toEqual([['Released by the void', 5_500, true]]);
    expect(restNote(d.balance, 'USD')!.text).toBe(`The authorization was voided: ${usd('55.00')} went back to the customer's card. Nothing is left to capture.`);
    expect(doneTitle('void', 5_500, d)).toBe(`Authorization voided: ${usd('55.00')} released to the customer's card`);
  });

  it('captured 40 + 30 of 100: USD 30.00 still authorized in the summary, with its deadline and that it cannot be voided (item 7)', () => {
    const d = detail({ captured: 7_000 }, 'partially_captured');
    expect(rows(d)).toEqual([
      ['Still authorized', 3_000, true],
      ['Refundable', 7_000, false],
    ]);
    const text = restNote(d.balance, 'USD')!.text;
    expect(text).toMatch(new RegExp(`^${usd('30.00')} still authorized: capture it before Mar 13, 2026, .+, or it lapses then\\. It can no longer be voided, because money was captured\\.$`));
    expect(doneTitle('capture', 3_000, d)).toBe(`Captured ${usd('30.00')}; ${usd('30.00')} still authorized`);
  });

  it('after a refund the rest only lapses, and the screen says so (item 7)', () => {
    const d = detail({ captured: 7_000, refunded: 1_000 }, 'partially_refunded');
    expect(rows(d)).toEqual([
      ['Still authorized', 3_000, true],
      ['Refundable', 6_000, false],
    ]);
    expect(restNote(d.balance, 'USD')).toMatchObject({ tone: 'warning', text: expect.stringMatching(/will not be captured: no capture is possible after a refund, and no void after a capture\. The bank releases it when the authorization lapses/) });
  });

  it('a refund queued: refundable is what the refund form offers, and says why (item 8)', () => {
    const d = detail({ authorized: 4_870, captured: 4_870, expiresAt: null }, 'captured', [{ type: 'refund', amount: 1_000 }]);
    const [r] = remainingRows(d);
    expect(r).toMatchObject({ label: 'Refundable', amount: 3_870, strong: true, note: `after ${usd('10.00')} of refunds queued` });
    expect(doneTitle('refund', 1_000, d)).toBe(`Refunded ${usd('10.00')}; ${usd('38.70')} can still be refunded`);
  });

  it('an authorization not captured yet: capture or void', () => {
    const d = detail({}, 'authorized');
    expect(rows(d)).toEqual([['Still authorized', 10_000, true]]);
    expect(restNote(d.balance, 'USD')!.text).toMatch(/nothing captured yet: capture it \(all or part\) before .+, or void it to release it now/);
  });
});

describe('plurals', () => {
  it('1 operation, 2 operations; 1 needs, 2 need', () => {
    expect(plural(1, 'operation')).toBe('1 operation');
    expect(plural(2, 'operation')).toBe('2 operations');
    expect(plural(0, 'operation')).toBe('0 operations');
    expect(plural(1, 'needs', 'need')).toBe('1 needs');
    expect(plural(3, 'needs', 'need')).toBe('3 need');
  });
});

describe('in Arabic (issue #17): the same figures, the glossary words, amounts still "USD 55.00"', () => {
  beforeAll(() => useTestLanguage('ar'));

  it('a voided authorization reads in Arabic, with the amount formatted by fmtMoney', () => {
    const d = detail({ authorized: 5_500, voided: true }, 'voided');
    expect(rows(d)).toEqual([['حُرِّر بإلغاء التفويض', 5_500, true]]);
    const amount = fmtMoney(5_500, 'USD');
    expect(amount).toContain('55.00');
    expect(restNote(d.balance, 'USD')!.text).toBe(`أُلغي التفويض: عاد ${amount} إلى بطاقة العميل. لم يبقَ شيء للتحصيل.`);
    expect(doneTitle('void', 5_500, d)).toBe(`أُلغي التفويض: عاد ${amount} إلى بطاقة العميل`);
  });

  it('Arabic-Indic digits when the user chose them', async () => {
    await useTestLanguage('ar', 'arab');
    const d = detail({ captured: 7_000 }, 'partially_captured');
    expect(fmtMoney(7_000, 'USD')).toContain('٧٠٫٠٠');
    expect(doneTitle('capture', 7_000, d)).toBe(`حُصِّل ${fmtMoney(7_000, 'USD')}؛ وما زال ${fmtMoney(3_000, 'USD')} مفوَّضًا`);
    await useTestLanguage('en');
  });
});
