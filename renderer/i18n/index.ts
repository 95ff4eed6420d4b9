import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setLocale } from '../lib/format';
import { formatter, INTERPOLATION } from './formatter';
import { LATER_NAMESPACES } from './later-namespaces';
import { directionOf, intlLocale, isLanguage, languageOf, type Digits, type Language } from './languages';

export * from './languages';

/**
 * The screen's message catalogues (i18next + react-i18next, docs/decisions/i18n.md). One JSON file
 * per language and feature (namespace) under locales/; only the active language's files are
 * loaded, one chunk per language (vite.config.ts), so a desk working in English never downloads
 * Arabic; the namespaces of screens outside the entry come later (later-namespaces.ts).
 */
// 'unlock' is the Electron unlock window's own (renderer/unlock/text.ts): the app never needs it.
const catalogues = import.meta.glob<Record<string, unknown>>(['./locales/*/*.json', '!./locales/*/unlock.json'], { import: 'default' });

export const NAMESPACES = [...new Set(Object.keys(catalogues).map((p) => p.split('/')[3]!.replace(/\.json$/, '')))];

const nsOf = (path: string) => path.split('/')[3]!.replace(/\.json$/, '');

/** Whether the later namespaces (LATER_NAMESPACES) are wanted yet: then every language loads them too. */
let allNamespaces = false;

async function loadLanguage(i18n: I18n, lang: Language): Promise<void> {
  const files = Object.entries(catalogues).filter(([path]) => path.startsWith(`./locales/${lang}/`) && (allNamespaces || !LATER_NAMESPACES.includes(nsOf(path))));
  await Promise.all(
    files.map(async ([path, load]) => {
      const ns = nsOf(path);
      if (!i18n.hasResourceBundle(lang, ns)) i18n.addResourceBundle(lang, ns, await load(), true, true);
    }),
  );
}

/**
 * The namespaces of the screens outside the entry, in the language on screen (and in any language
 * loaded from now on): awaited with a screen's code (app/lazy-screen.tsx).
 */
export function loadLaterNamespaces(): Promise<void> {
  allNamespaces = true;
  return loadLanguage(i18next, isLanguage(i18next.language) ? i18next.language : 'en');
}

/**
 * Loads a language's catalogues without switching to it: a receipt prints in the station's
 * language whatever the clerk reads on screen.
 */
export function ensureLanguage(lang: Language): Promise<void> {
  return loadLanguage(i18next, lang);
}

let ready: Promise<void> | null = null;

/** Starts the catalogues in `lang` before the first render; later calls change the language. */
export function startI18n(lang: Language = 'en', digits: Digits = 'latn'): Promise<void> {
  ready ??= i18next
    .use(initReactI18next)
    .use(formatter)
    .init({
      lng: lang,
      fallbackLng: false,
      ns: NAMESPACES,
      defaultNS: 'common',
      resources: {},
      partialBundledLanguages: true,
      interpolation: INTERPOLATION, // React escapes; every value through our formatter
      returnNull: false,
    })
    .then(() => undefined);
  return ready.then(() => applyLanguage(lang, digits));
}

export const BOOT_KEY = 'pos.language';

/**
 * The language of the first screen (sign-in), before anyone is signed in: the last one used on
 * this station, else the browser's. Not a secret, nor anything about a card.
 */
export function bootLanguage(): { lang: Language; digits: Digits } {
  try {
    const saved = JSON.parse(localStorage.getItem(BOOT_KEY) ?? 'null') as { lang?: unknown; digits?: unknown } | null;
    if (saved && isLanguage(saved.lang)) return { lang: saved.lang, digits: saved.digits === 'arab' ? 'arab' : 'latn' };
  } catch {
    /* a damaged entry is ignored */
  }
  return { lang: languageOf(navigator.language), digits: 'latn' };
}

/** Switches the whole screen's language and digits, without a restart. */
export async function applyLanguage(lang: Language, digits: Digits): Promise<void> {
  await loadLanguage(i18next, lang);
  setLocale(intlLocale(lang, digits));
  if (i18next.language !== lang) await i18next.changeLanguage(lang);
  const root = document.documentElement;
  root.lang = lang;
  root.dir = directionOf(lang);
  root.dataset.digits = digits;
  try {
    localStorage.setItem(BOOT_KEY, JSON.stringify({ lang, digits }));
  } catch {
    /* storage unavailable: the next start uses the browser's language */
  }
}

export { i18next };
