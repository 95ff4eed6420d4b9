import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { allowedAction } from '../../shared/domain/payment-state';
import { useTestLanguage } from '../i18n/test-i18n';
import { coreSentence } from './core-text';
import { errorText } from './error-text';
import { fmtDayMonth, TAX_EXAMPLES } from './format';

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
