import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../renderer/i18n/languages';

/**
 * The catalogue check (issue #17): every language has every key, with every plural form its
 * grammar needs (Arabic has six) and the same {{placeholders}}; every key the screen asks for
 * exists. A user-visible literal left in a component is caught by ESLint (i18next/no-literal-string).
 */
const DIR = resolve(import.meta.dirname, '../renderer/i18n/locales');
const RENDERER = resolve(import.meta.dirname, '../renderer');

type Flat = Map<string, string>;

function flatten(obj: unknown, prefix = '', out: Flat = new Map()): Flat {
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') flatten(v, key, out);
    else throw new Error(`${key}: not a string`);
  }
  return out;
}

function load(lang: string, ns: string): Flat {
  return flatten(JSON.parse(readFileSync(join(DIR, lang, `${ns}.json`), 'utf8')));
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

/** key → plural categories present (empty set for a key without plural forms). */
function baseKeys(flat: Flat): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of flat.keys()) {
    const m = PLURAL.exec(key);
    const base = m ? key.slice(0, -m[0].length) : key;
    const set = out.get(base) ?? new Set<string>();
    if (m) set.add(m[1]!);
    out.set(base, set);
  }
  return out;
}

const namespaces = readdirSync(join(DIR, 'en')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

describe('message catalogues', () => {
  it('every language has the same namespaces', () => {
    for (const lang of LANGUAGES) {
      expect(readdirSync(join(DIR, lang)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort(), lang).toEqual([...namespaces].sort());
    }
  });

  for (const ns of namespaces) {
    it(`${ns}: same keys, complete plurals, same placeholders, nothing empty`, () => {
      const english = baseKeys(load('en', ns));
      for (const lang of LANGUAGES) {
        const flat = load(lang, ns);
        const keys = baseKeys(flat);
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        expect([...keys.keys()].sort(), `${lang}/${ns} keys`).toEqual([...english.keys()].sort());
        for (const [base, forms] of keys) {
          if (english.get(base)!.size === 0) {
            expect(forms.size, `${lang}/${ns}: ${base} has no plural forms in English`).toBe(0);
            continue;
          }
          for (const c of categories) expect(forms.has(c), `${lang}/${ns}: ${base}_${c} missing`).toBe(true);
        }
        for (const [key, text] of flat) {
          expect(text.trim(), `${lang}/${ns}: ${key} is empty`).not.toBe('');
          const base = key.replace(PLURAL, '');
          const en = load('en', ns);
          const reference = en.get(base) ?? en.get(`${base}_other`)!;
          // A plural form may leave out its number, {{count}} or {{n}} (the count formatted in the user's
          // digits): "عملية واحدة"; every other placeholder stays.
          const want = placeholders(reference).filter((p) => !(PLURAL.test(key) && (p === 'count' || p === 'n')));
          const have = placeholders(text).filter((p) => !(PLURAL.test(key) && (p === 'count' || p === 'n')));
          expect(have, `${lang}/${ns}: ${key} placeholders`).toEqual(want);
        }
      }
    });
  }

  // A number in a sentence is a {{param}}, so the formatter writes it in the user's digits
  // (Latin or Arabic-Indic). Allowed as written: names with digits in them (3-D Secure, the F2 key,
  // sha256) and the digit sets the language settings name.
  const DIGITS_ALLOWED = /3-D Secure|\bF\d{1,2}\b|sha256|\(0–9\)|\(٠–٩\)/g;
  it('no literal digit in a sentence (numbers go in as params)', () => {
    const found: string[] = [];
    for (const lang of LANGUAGES) {
      for (const ns of namespaces) {
        for (const [key, text] of load(lang, ns)) {
          if (/[0-9\u0660-\u0669\u06f0-\u06f9]/.test(text.replace(/\{\{[^}]*\}\}/g, '').replace(DIGITS_ALLOWED, ''))) found.push(`${lang}/${ns}: ${key}: ${text}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('every key the screen asks for exists in English', () => {
    const english = new Map(namespaces.map((ns) => [ns, baseKeys(load('en', ns))]));
    const missing: string[] = [];
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(f) && !/\.test\./.test(f) ? [p] : [];
    });
    for (const file of walk(RENDERER)) {
      const code = readFileSync(file, 'utf8');
      const declared = [...code.matchAll(/useTranslation\(\s*(?:'([\w-]+)'|\[([^\]]*)\])/g)].flatMap((m) => (m[1] ? [m[1]] : [...m[2]!.matchAll(/'([\w-]+)'/g)].map((x) => x[1]!)));
      const fileNs = declared.length ? declared : ['common'];
      for (const m of code.matchAll(/\b(?:t|i18next\.t)\(\s*'([^'$`]+)'/g)) {
        const raw = m[1]!;
        const [ns, key] = raw.includes(':') ? [[raw.split(':')[0]!], raw.split(':')[1]!] : [fileNs, raw];
        if (!ns.some((n) => english.get(n)?.has(key))) missing.push(`${relative(RENDERER, file)}: ${raw}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
