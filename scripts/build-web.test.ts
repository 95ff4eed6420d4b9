import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeBundleOptions, WEB_BUNDLE, WEB_NODE_FLAGS, WEB_NPM_SCRIPT, buildWeb } from './build-web';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('web-mode bundle', () => {
  it('is what `npm run web` runs, with the flags the tests and benchmarks use', () => {
    expect(pkg.scripts.web).toBe(WEB_NPM_SCRIPT);
    expect(WEB_NPM_SCRIPT).toContain(WEB_NODE_FLAGS.join(' '));
  });

  it('keeps the native modules outside and finds files from its own location', async () => {
    const out = await build({ ...nodeBundleOptions('electron/web/cli.ts', WEB_BUNDLE), write: false, logLevel: 'silent' });
    expect(out.errors).toEqual([]);
    const text = out.outputFiles.map((f) => f.text).join('\n');
    expect(text).toMatch(/from ["']better-sqlite3-multiple-ciphers["']|require\(["']better-sqlite3-multiple-ciphers["']\)/);
    expect(text).not.toMatch(/import_meta\d*\.url/); // an ES module keeps a real import.meta.url
    expect(text).not.toContain('tsx/esm');
  });

  it('runs under plain node with the launch flags', async () => {
    await buildWeb();
    const usage = execFileSync(process.execPath, [...WEB_NODE_FLAGS, WEB_BUNDLE, '--help'], { encoding: 'utf8' });
    expect(usage).toMatch(/^Usage: npm run web/);
  });
});
