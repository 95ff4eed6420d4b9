import i18next from 'i18next';
import { setLocale } from '../lib/format';
import { formatter, INTERPOLATION } from './formatter';
import { intlLocale, type Digits, type Language } from './languages';

/**
 * For unit tests of helpers that read the catalogues: every language's files loaded at once (no
 * DOM, no storage), then the language and digits switched like the screen does.
 */
const all = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { import: 'default', eager: true });

let started: Promise<unknown> | null = null;

export async function useTestLanguage(lang: Language = 'en', digits: Digits = 'latn'): Promise<void> {
  started ??= i18next.use(formatter).init({
    lng: lang,
    fallbackLng: false,
    defaultNS: 'common',
    resources: {},
    interpolation: INTERPOLATION,
  });
  await started;
  for (const [path, bundle] of Object.entries(all)) {
    const [, , l, file] = path.split('/');
    const ns = file!.replace(/\.json$/, '');
    if (!i18next.hasResourceBundle(l!, ns)) i18next.addResourceBundle(l!, ns, bundle, true, true);
  }
  await i18next.changeLanguage(lang);
  setLocale(intlLocale(lang, digits));
}
