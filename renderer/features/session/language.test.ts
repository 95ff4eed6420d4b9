import { beforeAll, describe, expect, it } from 'vitest';
import { bootLanguage, i18next, startI18n } from '../../i18n';
import { fmtMoney } from '../../lib/format';
import { effectiveLanguage, hasLastUsed, rememberForSignIn, switchLanguage } from './language';

// The screen's <html> and the station's storage, as the browser has them (this suite runs in Node).
const storage = new Map<string, string>();
const root = { lang: '', dir: '', dataset: {} as Record<string, string> };
beforeAll(async () => {
  Object.assign(globalThis, {
    document: { documentElement: root },
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
    },
  });
  await startI18n('en', 'latn');
});

describe('whose language the screen speaks', () => {
  it('the person\'s own, else the station\'s (settings locale), digits alike', () => {
    expect(effectiveLanguage({ language: 'ar', digits: 'arab' }, 'en-US')).toEqual({ lang: 'ar', digits: 'arab' });
    expect(effectiveLanguage({ language: null, digits: null }, 'ar-KW-u-nu-arab')).toEqual({ lang: 'ar', digits: 'arab' });
    expect(effectiveLanguage({ language: 'en', digits: null }, 'ar-KW-u-nu-arab')).toEqual({ lang: 'en', digits: 'arab' });
    expect(effectiveLanguage(null, 'ar-KW')).toEqual({ lang: 'ar', digits: 'latn' });
    expect(effectiveLanguage(null, undefined)).toEqual({ lang: 'en', digits: 'latn' });
  });
});

describe('switching without a restart', () => {
  it('turns the whole screen Arabic, right to left, amounts in the chosen digits, and remembers it for the sign-in screen', async () => {
    storage.clear();
    // The boot's own guess is not a person's choice: the sign-in screen takes the station's.
    await switchLanguage('en', 'latn');
    expect(hasLastUsed()).toBe(false);
    await switchLanguage('ar', 'latn');
    rememberForSignIn();
    expect(i18next.language).toBe('ar');
    expect(root).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(i18next.t('common:language.label')).toBe('اللغة');
    expect(fmtMoney(1250, 'KWD')).toContain('1.250');
    expect(hasLastUsed()).toBe(true);
    expect(bootLanguage()).toEqual({ lang: 'ar', digits: 'latn' });

    // Digits only: the language event still fires, so amounts on screen re-render.
    let rerendered = 0;
    const onChange = () => void rerendered++;
    i18next.on('languageChanged', onChange);
    await switchLanguage('ar', 'arab');
    i18next.off('languageChanged', onChange);
    expect(rerendered).toBe(1);
    expect(root.dataset['digits']).toBe('arab');
    expect(fmtMoney(1250, 'KWD')).toContain('١٫٢٥٠');
    expect(bootLanguage()).toEqual({ lang: 'ar', digits: 'arab' });

    await switchLanguage('en', 'latn');
    expect(root).toMatchObject({ lang: 'en', dir: 'ltr' });
    expect(fmtMoney(1250, 'KWD').replace(/\s/u, ' ')).toBe('KWD 1.250');
  });
});
