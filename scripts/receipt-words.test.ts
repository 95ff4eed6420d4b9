import { describe, expect, it } from 'vitest';
import { RECEIPT_WORDS } from '../electron/core/printing/receipt-words';

/**
 * The printed receipt's words are the screen's words (one source of truth): each English word the
 * core prints is the catalogue's, word for word, and the key exists in every language.
 */
const catalogues = import.meta.glob<Record<string, unknown>>('../renderer/i18n/locales/*/{transactions,printing}.json', { eager: true, import: 'default' });

function lookup(lang: string, key: string): unknown {
  const [ns, path] = key.split(':') as [string, string];
  let v: unknown = catalogues[`../renderer/i18n/locales/${lang}/${ns}.json`];
  for (const part of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

describe('receipt words', () => {
  for (const [key, english] of Object.entries(RECEIPT_WORDS)) {
    it(`${key} is the catalogue's word`, () => {
      expect(lookup('en', key)).toBe(english);
      expect(typeof lookup('ar', key)).toBe('string');
    });
  }
});
