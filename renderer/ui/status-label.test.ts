import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { useTestLanguage } from '../i18n/test-i18n';
import { statusLabel } from './StatusBadge';

describe('statusLabel', () => {
  it("gives the status's word in the language in use, after a switch too", async () => {
    await useTestLanguage('en');
    expect(statusLabel('captured')).toBe(i18next.t('common:status.captured'));
    const english = statusLabel('partially_refunded');
    await useTestLanguage('ar');
    expect(statusLabel('partially_refunded')).toBe(i18next.t('common:status.partially_refunded'));
    expect(statusLabel('partially_refunded')).not.toBe(english);
    await useTestLanguage('en');
    expect(statusLabel('partially_refunded')).toBe(english);
  });

  it('follows a catalogue added after the first lookup', async () => {
    await useTestLanguage('en');
    const before = statusLabel('voided');
    i18next.addResourceBundle('en', 'common', { status: { voided: 'Cancelled (test)' } }, true, true);
    expect(statusLabel('voided')).toBe('Cancelled (test)');
    i18next.addResourceBundle('en', 'common', { status: { voided: before } }, true, true);
    expect(statusLabel('voided')).toBe(before);
  });
});
