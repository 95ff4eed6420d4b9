import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { useTestLanguage } from '../../i18n/test-i18n';
import { figureLabel, rowLabel } from './report-labels';

describe("end of day: the breakdowns' rows in the reader's language", () => {
  it('Arabic: channels, cash and an unknown brand are translated; card brands and names are kept', async () => {
    await useTestLanguage('ar', 'arab');
    const t = i18next.t.bind(i18next);
    expect(rowLabel(t, 'channel', 'counter', 'Counter')).toBe('حضوري');
    expect(rowLabel(t, 'brand', 'CASH', 'Cash')).toBe('نقدًا');
    expect(rowLabel(t, 'brand', 'UNKNOWN', 'Card (brand unknown)')).toBe('بطاقة (نوعها غير معروف)');
    expect(rowLabel(t, 'brand', 'VISA', 'Visa')).toBe('Visa');
    expect(rowLabel(t, 'user', 'u_1', 'Counter')).toBe('Counter'); // a person called Counter stays so
    // A closed day's figures name the row by the core's label only.
    expect(figureLabel(t, 'Counter taken', 'channel')).toBe('حضوري المقبوض');
    expect(figureLabel(t, 'Cash net', 'brand')).toBe('نقدًا الصافي');
    expect(figureLabel(t, 'Visa refunded', 'brand')).toBe('Visa المُسترد');
  });

  it('English: the same rows read as before', async () => {
    await useTestLanguage('en', 'latn');
    const t = i18next.t.bind(i18next);
    expect(rowLabel(t, 'channel', 'phone', 'Phone')).toBe('Phone');
    expect(figureLabel(t, 'Counter taken', 'channel')).toBe('Counter taken');
  });
});
