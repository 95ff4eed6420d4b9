import { resolve } from 'node:path';
import stylelint from 'stylelint';
import { describe, expect, it } from 'vitest';

/**
 * The right-to-left lint (stylelint.config.js, docs/rtl.md) is only as good as what it catches:
 * each physical left/right declaration below must be reported, each logical one must pass.
 */
const ROOT = resolve(import.meta.dirname, '..');

async function problems(css: string): Promise<string[]> {
  const { results } = await stylelint.lint({ code: css, codeFilename: resolve(ROOT, 'renderer/rtl-lint-probe.css'), configBasedir: ROOT, cwd: ROOT });
  return results[0]!.warnings.map((w) => w.rule);
}

const PHYSICAL = [
  '.a { margin-left: 4px; }',
  '.a { padding-right: 0; }',
  '.a { border-left: 1px solid red; }',
  '.a { border-right-color: transparent; }',
  '.a { border-top-left-radius: 4px; }',
  '.a { left: 0; }',
  '.a { right: 12px; }',
  '.a { scroll-margin-left: 4px; }',
  '.a { text-align: left; }',
  '.a { text-align: right; }',
  '.a { float: right; }',
  '.a { clear: left; }',
  '.a { padding: 0 0 0 28px; }',
  '.a { margin: 1px 2px 3px 4px !important; }',
  '.a { border-width: 0 1px 0 0; }',
  '.a { border-radius: 4px 0 0 4px; }',
  '.a { box-shadow: inset 3px 0 0 red; }',
  '.a { box-shadow: 0 1px 2px #000, -2px 0 0 red; }',
  '.a { transform: translateX(8px); }',
  '.a { background: url(x.png) no-repeat right center; }',
];

const LOGICAL = [
  '.a { margin-inline-start: 4px; padding-inline: 5px; border-inline-end: 1px solid red; border-inline-end-color: transparent; }',
  '.a { border-start-start-radius: 4px; inset-inline: 0; inset: 0; text-align: start; text-align: end; text-align: center; float: inline-start; }',
  '.a { padding: 10px 12px 0; margin: 0 auto; padding: 1px 2px 3px 2px; border-color: rgba(255, 255, 255, 0.45); border-radius: 50%; }',
  '.a { box-shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08); box-shadow: inset calc(3px * var(--inline-sign)) 0 0 red; }',
  '.a { transform: translateY(3px) scaleX(-1); top: 0; bottom: 2px; border-top: 1px solid; }',
];

describe('renderer CSS: physical left/right is refused (stylelint)', () => {
  it.each(PHYSICAL)('reports %s', async (css) => {
    expect(await problems(css)).toHaveLength(1);
  });
  it.each(LOGICAL)('lets %s pass', async (css) => {
    expect(await problems(css)).toEqual([]);
  });
  it('the renderer stylesheets themselves pass', async () => {
    const { results } = await stylelint.lint({ files: ['renderer/**/*.css'], cwd: ROOT, configBasedir: ROOT });
    expect(results.length).toBeGreaterThanOrEqual(7);
    expect(results.flatMap((r) => r.warnings.map((w) => `${r.source}:${w.line} ${w.text}`))).toEqual([]);
  });
});
