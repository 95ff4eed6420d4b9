import { describe, expect, it } from 'vitest';
import { RECEIPT_LANGUAGES } from '../electron/core/printing/receipt-words';

/**
 * The printed receipt's words are the screen's words (one source of truth): each word the core
 * prints, in each language it prints in, is the catalogue's, word for word.
 */
const catalogues = import.meta.glob<Record<string, unknown>>('../renderer/i18n/locales/*/{transactions,printing}.json', { eager: true, import: 'default' });

function lookup(lang: string, key: string): unknown {
  const [ns, path] = key.split(':') as [string, string];
  let v: unknown = catalogues[`../renderer/i18n/locales/${lang}/${ns}.json`];
  for (const part of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

describe('receipt words', () => {
  for (const [lang, words] of Object.entries(RECEIPT_LANGUAGES)) {
    for (const [key, text] of Object.entries(words)) {
      it(`${lang} ${key} is the catalogue's word`, () => {
        expect(lookup(lang, key)).toBe(text);
      });
    }
  }
});
