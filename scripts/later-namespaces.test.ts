import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATER_NAMESPACES } from '../renderer/i18n/later-namespaces';

const RENDERER = resolve(import.meta.dirname, '../renderer');
const ROOT = resolve(RENDERER, '..');

/** Our modules the entry imports statically (not `import type`, not `import()`), from renderer/main.tsx. */
function entryModules(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\bfrom\s+)?'(\.[^']+)'/gm)) {
      const base = resolve(dirname(file), m[1]!);
      const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((p) => existsSync(p) && /\.tsx?$/.test(p));
      if (hit) visit(hit);
    }
  };
  visit(join(RENDERER, 'main.tsx'));
  return [...seen];
}

describe('catalogue namespaces loaded after the first screen', () => {
  it('are namespaces of every language', () => {
    for (const lang of ['en', 'ar']) for (const ns of LATER_NAMESPACES) expect(existsSync(join(RENDERER, 'i18n/locales', lang, `${ns}.json`)), `${lang}/${ns}.json`).toBe(true);
  });

  it('are used by no module of the entry (its screens would show raw keys until they load)', () => {
    const files = entryModules();
    expect(files.some((f) => f.endsWith('NewOrderScreen.tsx'))).toBe(true); // the walk reaches the screens
    expect(files.some((f) => f.endsWith('TxList.tsx'))).toBe(false); // lazy screens are not in the entry
    const uses: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      for (const ns of LATER_NAMESPACES) {
        const pattern = new RegExp(`useTranslation\\(\\[?[^)]*'${ns}'|['\`"]${ns}:[A-Za-z$]|ns: '${ns}'`);
        if (pattern.test(src)) uses.push(`${file.slice(ROOT.length + 1)} uses '${ns}'`);
      }
    }
    expect(uses).toEqual([]);
  });
});
