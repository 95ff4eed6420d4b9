import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { allowedAction } from '../../shared/domain/payment-state';
import { useTestLanguage } from '../i18n/test-i18n';
import { coreSentence } from './core-text';
import { errorText } from './error-text';
import { fmtDayMonth, fmtMoney, TAX_EXAMPLES } from './format';

describe('numbers inside catalogue sentences follow the digits setting', () => {
  it('Arabic-Indic: counts, limits, codes made of digits and the core rules', async () => {
    await useTestLanguage('ar', 'arab');
    expect(i18next.t('transactions:filters.week', { n: 7 })).toBe('آخر ٧ أيام');
    expect(i18next.t('settings:problem.taxRate', TAX_EXAMPLES)).toBe('نسبة مئوية مثل ٥ أو ٧٫٧٥');
    expect(i18next.t('printing:field.port', { min: 1, max: 65535 })).toBe('أدخل رقم منفذ من ١ إلى ٦٥٥٣٥.');
    expect(i18next.t('customers:search.placeholder', { phone: '0555', last4: '0001', reference: 'ORD-2025' })).toBe('مثال: سارة، ٠٥٥٥، ٠٠٠١، ORD-2025…');
    expect(errorText('ACCOUNT_LOCKED')).toContain('٣٠ دقيقة');
    const expired = allowedAction('capture', { method: 'card', authorized: 100, captured: 0, refunded: 0, voided: false, declined: false, unknown: false, expiresAt: '2020-01-01T00:00:00Z' }, new Date());
    expect(expired.allowed ? null : coreSentence(expired.text)).toContain('(٧ أيام)');
    expect(fmtDayMonth(2, 29)).toMatch(/^٢٩ /);
  });

  it('Latin digits and English keep the sentences as they were', async () => {
    await useTestLanguage('en', 'latn');
    expect(i18next.t('transactions:filters.week', { n: 7 })).toBe('Last 7 days');
    expect(i18next.t('printing:panel.intro', { port: 9100 })).toContain('usually port 9100)');
    expect(errorText('ACCOUNT_LOCKED')).toBe('This account is locked after too many wrong PINs. Try again in 30 minutes or ask an admin.');
    expect(fmtDayMonth(2, 29)).toBe('Feb 29');
  });
});

describe('the printer panel\'s introduction', () => {
  it('names both ways to connect (network and USB) in both languages; the device path is isolated on an Arabic screen', async () => {
    await useTestLanguage('en', 'latn');
    const en = i18next.t('printing:panel.intro', { port: 9100, example: '/dev/usb/lp0' });
    expect(en).toContain('network');
    expect(en).toContain('USB port (a device path such as /dev/usb/lp0)');
    expect(en).not.toContain('\u2066');
    await useTestLanguage('ar', 'arab');
    const ar = i18next.t('printing:panel.intro', { port: 9100, example: '/dev/usb/lp0' });
    expect(ar).toContain('الشبكة');
    expect(ar).toContain('USB');
    expect(ar).toContain('٩١٠٠');
    expect(ar).toContain('\u2066/dev/usb/lp0\u2069');
    expect(i18next.t('printing:panel.deviceHint', { example: '/dev/usb/lp0' })).toContain('\u2066/dev/usb/lp0\u2069');
  });
});

describe('negative amounts and differences', () => {
  const visible = (s: string) => s.replace(/[\u200e\u200f\u061c\u2066\u2068\u2069]/g, '');

  it('English: U+2212 before the code, + for a gain, zero without a sign, no isolation marks', async () => {
    await useTestLanguage('en', 'latn');
    expect(fmtMoney(-1250, 'KWD')).toBe('\u2212KWD\u00a01.250');
    expect(fmtMoney(1250, 'KWD', 'always')).toBe('+KWD\u00a01.250');
    expect(fmtMoney(0, 'KWD', 'always')).toBe('KWD\u00a00.000');
    expect(fmtMoney(1250, 'KWD')).toBe('KWD\u00a01.250');
  });

  it('Arabic: the minus stays with the number (the locale\'s place) and the amount is isolated, in both digit sets', async () => {
    await useTestLanguage('ar', 'latn');
    const latn = fmtMoney(-1250, 'KWD');
    expect(latn.startsWith('\u2068') && latn.endsWith('\u2069')).toBe(true);
    expect(visible(latn)).toBe('\u22121.250\u00a0KWD');
    expect(latn).not.toContain('-');
    // Laid out like the unsigned amount (the number, then the code, in reading order), the sign
    // held to the number in a left-to-right isolate.
    expect(latn).toBe(`\u2068${fmtMoney(1250, 'KWD').replace('1.250', '\u2066\u22121.250\u2069')}\u2069`);
    // The first strong character inside the isolate is the locale's own mark, so the isolate is
    // laid out the way CLDR intends for Arabic: minus, number, then the code.
    expect(visible(fmtMoney(-1250, 'KWD', 'always'))).toBe('\u22121.250\u00a0KWD');
    expect(visible(fmtMoney(1250, 'KWD', 'always'))).toBe('+1.250\u00a0KWD');
    expect(fmtMoney(1250, 'KWD')).not.toContain('\u2068');
    await useTestLanguage('ar', 'arab');
    expect(visible(fmtMoney(-1250, 'KWD'))).toBe('\u2212١٫٢٥٠\u00a0KWD');
  });
});

describe('sentences the ledger stores as keys', () => {
  it('say the queue and recurring reasons in Arabic with the chosen digits, a nested rule included', async () => {
    await useTestLanguage('ar', 'arab');
    expect(coreSentence({ key: 'attention.refundAboveCaptured', params: { rest: { amount: 4_000, currency: 'KWD' } } })).toBe(`الاسترداد الآن أكبر مما تبقى محصَّلًا (المتبقي ${fmtMoney(4_000, 'KWD')}): تجاهله، أو استرد ما تبقى على الأكثر.`);
    expect(fmtMoney(4_000, 'KWD')).toContain('٤٫٠٠٠');
    expect(coreSentence({ key: 'attention.ruleNoLonger', params: { rule: { sentence: 'rule.declined' } } })).toBe(`${i18next.t('core:rule.declined')} تجاهلها، أو أعد المحاولة حين تسمح الدفعة بذلك.`);
    expect(coreSentence({ key: 'period.notCharged', params: { why: { sentence: 'refuse.offlineCount', params: { n: 3, limit: 20 } } } })).toContain('٣');
    expect(coreSentence({ key: 'attention.offlineTooOld', params: { hours: 24 } })).toContain('٢٤ ساعة');
    // Two levels: a bulk row that needs attention because a rule no longer holds.
    expect(coreSentence({ key: 'bulk.needsAttention', params: { why: { sentence: 'attention.ruleNoLonger', params: { rule: { sentence: 'rule.declined' } } } } })).toBe(`تحتاج إلى متابعة: ${i18next.t('core:rule.declined')} تجاهلها، أو أعد المحاولة حين تسمح الدفعة بذلك.`);
  });

  it('a row written before the key (English only) keeps its English in every language', async () => {
    const { periodResult } = await import('../features/recurring/recurring-text');
    await useTestLanguage('ar', 'latn');
    const old = { state: 'needs_attention', reason: 'Declined: 14666 Transaction declined', reasonText: null } as Parameters<typeof periodResult>[0];
    expect(periodResult(old)).toBe('Declined: 14666 Transaction declined');
    const keyed = { ...old, reasonText: { key: 'period.declined', params: { bank: { responseCode: '14666', message: 'Transaction declined' } } } } as Parameters<typeof periodResult>[0];
    expect(periodResult(keyed)).toBe(`مرفوض: ${i18next.t('bank:message.666')}`);
  });
});
