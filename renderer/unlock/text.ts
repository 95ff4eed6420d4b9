import { directionOf, isLanguage, languageOf, type Language } from '../i18n/languages';

/**
 * The unlock page's words: the 'unlock' catalogue of ONE language, fetched as its own small chunk
 * (no i18next here: the page is a form and a few messages, and stays a few kilobytes). Keys are
 * written 'unlock:…' like the app's, so the catalogue check verifies them; plurals follow
 * i18next's suffixes (_one, _other; Arabic's six) through Intl.PluralRules.
 */
export type Translate = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

type Catalogue = { readonly [key: string]: string | Catalogue };

const catalogues = import.meta.glob<Catalogue>('../i18n/locales/*/unlock.json', { import: 'default' });

/**
 * The page's language: the station's (its settings' locale, handed over by the unlock window's
 * preload), else the last one used on this station (the app's 'pos.language', read only), else
 * the browser's.
 */
export function unlockLanguage(stationLocale: string | null | undefined, saved: string | null, browser: string): Language {
  if (stationLocale) return languageOf(stationLocale);
  try {
    const lang = (JSON.parse(saved ?? 'null') as { lang?: unknown } | null)?.lang;
    if (isLanguage(lang)) return lang;
  } catch {
    /* a damaged entry is ignored */
  }
  return languageOf(browser);
}

function lookup(catalogue: Catalogue, path: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A translate function over one language's catalogue; a missing key reads as the key (tests catch it). */
export function translator(lang: Language, catalogue: Catalogue): Translate {
  const plural = new Intl.PluralRules(lang);
  return (key, vars = {}) => {
    const path = key.replace(/^unlock:/, '');
    const count = vars['count'];
    const text = (typeof count === 'number' ? lookup(catalogue, `${path}_${plural.select(count)}`) : undefined) ?? lookup(catalogue, path) ?? path;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

/** Loads the language's catalogue and marks the page's language and direction. */
export async function loadUnlockText(doc: Document, lang: Language): Promise<Translate> {
  const load = catalogues[`../i18n/locales/${lang}/unlock.json`] ?? catalogues['../i18n/locales/en/unlock.json']!;
  const t = translator(lang, await load());
  doc.documentElement.lang = lang;
  doc.documentElement.dir = directionOf(lang);
  return t;
}
