import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeBundleOptions, WEB_APP, WEB_BUNDLE, WEB_NODE_FLAGS, WEB_NPM_SCRIPT, buildWeb } from './build-web';

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

  it('starts through a launcher that keeps V8 compiled code beside the bundle', async () => {
    await buildWeb();
    const cache = path.join(path.dirname(WEB_BUNDLE), 'compile-cache');
    rmSync(cache, { recursive: true, force: true });
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    execFileSync(process.execPath, [...WEB_NODE_FLAGS, WEB_BUNDLE, '--help'], { encoding: 'utf8', env });
    const files = readdirSync(cache, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    // The launcher is small: the app's code is in its own file, compiled (or read from the cache) after the cache is on.
    expect(readFileSync(WEB_BUNDLE, 'utf8').length).toBeLessThan(2_000);
    expect(readFileSync(WEB_APP, 'utf8')).toContain('Usage: npm run web');
  });
});
