import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 13, item 16: the README tells a newcomer what they will meet, and stays true to the code.
const ROOT = resolve(import.meta.dirname, '..');
const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const cli = readFileSync(resolve(ROOT, 'electron/web/cli.ts'), 'utf8');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };

describe('README for a newcomer', () => {
  it('keeps its first lines: the two set-up commands', () => {
    expect(readme.split('\n').slice(0, 6).join('\n')).toBe(
      [
        '# MOTO point-of-sale',
        '',
        '```sh',
        'npm ci && npm run web    # run the app in your browser, on the embedded sandbox gateway (no credentials)',
        'npm ci && npm test       # lint, typecheck, unit and integration tests, security scan, end-to-end tests',
        '```',
      ].join('\n'),
    );
  });

  it('says what npm ci warns about and why it is fine', () => {
    expect(readme).toContain('EBADENGINE');
    expect(readme).toMatch(/Node 24 comes as a dev dependency and `npm run`/);
    expect(pkg.engines.node).toMatch(/24/);
    expect(Object.keys(pkg.devDependencies)).toContain('node');
  });

  it('says the end-to-end tests need Chromium', () => {
    expect(readme).toContain('apt-get install chromium');
  });

  it('says where the data lives and names the --port and --data options the CLI has', () => {
    expect(readme).toContain('.data/web/');
    expect(readme).toContain('--data DIR');
    expect(readme).toMatch(/--port \d+/);
    expect(readme).toContain('default 5180');
    expect(cli).toMatch(/--port N\s+web port \(default 5180/);
    expect(cli).toMatch(/--data DIR\s+data directory: ledger, settings, sandbox\/ \(default \.data\/web\)/);
  });

  it('says creating the admin signs you in and where staff are added', () => {
    expect(readme).toContain('Creating the admin signs you in');
    expect(readme).toContain('Settings → People');
  });
});
