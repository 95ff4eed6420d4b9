import { describe, expect, it } from 'vitest';
import { translator, unlockLanguage } from './text';

describe('the unlock page language', () => {
  it("is the station's first, then the last one used on this station, then the browser's", () => {
    expect(unlockLanguage('ar-KW', JSON.stringify({ lang: 'en', digits: 'latn' }), 'en-US')).toBe('ar');
    expect(unlockLanguage('en-US', JSON.stringify({ lang: 'ar', digits: 'arab' }), 'ar')).toBe('en');
    expect(unlockLanguage(undefined, JSON.stringify({ lang: 'ar', digits: 'latn' }), 'en-US')).toBe('ar');
    expect(unlockLanguage(undefined, '{damaged', 'ar-SA')).toBe('ar');
    expect(unlockLanguage(undefined, null, 'fr-FR')).toBe('en');
  });
});

describe('the unlock page translator', () => {
  const catalogue = { a: { b: 'Hello {{name}}' }, n_one: 'one {{count}}', n_other: 'many {{count}}', n_two: 'two' };

  it('reads nested keys, with or without the namespace, and fills placeholders', () => {
    const t = translator('en', catalogue);
    expect(t('unlock:a.b', { name: 'Aisha' })).toBe('Hello Aisha');
    expect(t('a.b')).toBe('Hello {{name}}');
    expect(t('unlock:missing.key')).toBe('missing.key');
  });

  it("picks the plural form of the language's rules", () => {
    expect(translator('en', catalogue)('n', { count: 1 })).toBe('one 1');
    expect(translator('en', catalogue)('n', { count: 2 })).toBe('many 2');
    expect(translator('ar', catalogue)('n', { count: 2 })).toBe('two');
  });
});
