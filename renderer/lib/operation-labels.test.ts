import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestLanguage } from '../i18n/test-i18n';
import { lineAmountHeading } from './line-amounts';
import { operationState, operationType } from './operation-labels';

describe('operation words and the line heading, from the catalogue (issue #17)', () => {
  beforeAll(() => useTestLanguage('en'));
  afterAll(() => useTestLanguage('en'));

  it('English as before; unknown types and states as recorded', () => {
    expect(operationType('purchase')).toBe('Sale');
    expect(operationType('check_status')).toBe('Status check');
    expect(operationType('mystery')).toBe('mystery');
    expect(operationState('needs_attention')).toEqual({ label: 'Needs attention', glyph: '!', tone: 'warning' });
    expect(operationState('odd')).toEqual({ label: 'odd', glyph: '', tone: 'neutral' });
    expect(lineAmountHeading()).toBe('Net (before tax)');
  });

  it('Arabic: the glossary words; the glyph and tone do not change; a receipt can ask for another language', async () => {
    await useTestLanguage('ar');
    expect(operationType('authorize')).toBe('تفويض');
    expect(operationType('capture')).toBe('تحصيل');
    expect(operationType('void')).toBe('إلغاء التفويض');
    expect(operationType('refund')).toBe('استرداد');
    expect(operationState('queued')).toEqual({ label: 'في الانتظار', glyph: '⏸', tone: 'queued' });
    expect(lineAmountHeading()).toBe('الصافي (قبل الضريبة)');
    expect(lineAmountHeading('en')).toBe('Net (before tax)');
  });
});
