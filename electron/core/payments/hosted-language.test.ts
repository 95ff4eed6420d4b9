import { describe, expect, it } from 'vitest';
import { setUserLanguage } from '../people/users-repo';
import { startHarness } from './test-harness';

/** Issue #17: the gateway's hosted card page opens in the clerk's language (APS `language`). */
describe('the hosted card page\'s language', () => {
  it('is the clerk\'s own, else the station\'s, and the sandbox page speaks it', async () => {
    const h = await startHarness({ settings: { locale: 'en-US' } });
    try {
      const station = await h.call('payments.hostedForm', {});
      expect(station.fields['language']).toBe('en');

      setUserLanguage(h.deps.db, h.clerk.user!.id, { language: 'ar' }, new Date().toISOString());
      const arabic = await h.call('payments.hostedForm', {});
      expect(arabic.fields['language']).toBe('ar');
      const page = await fetch(arabic.action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(arabic.fields).toString() });
      expect(await page.text()).toContain('<html lang="ar" dir="rtl">');

      // Back to the station's: an Arabic station opens the page in Arabic for her too.
      setUserLanguage(h.deps.db, h.clerk.user!.id, { language: null }, new Date().toISOString());
      h.deps.settings.update({ locale: 'ar-KW' });
      expect((await h.call('payments.hostedForm', {})).fields['language']).toBe('ar');
    } finally {
      await h.close();
    }
  });
});
