import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateElectron, MISSING_BINARY_MESSAGE } from './start-electron';

const pkg = '/nm/electron';
const files = (...present: string[]) => ({ exists: (p: string) => present.includes(p) || p === path.join(pkg, 'path.txt'), readText: () => 'electron' });

describe('locateElectron', () => {
  it('finds dist/<path.txt> like require("electron") does, without requiring it', () => {
    expect(locateElectron({ packageDir: pkg, env: {}, ...files(path.join(pkg, 'dist', 'electron')) })).toBe(path.join(pkg, 'dist', 'electron'));
  });
  it('is null when the package or the binary is missing (no download attempted)', () => {
    expect(locateElectron({ packageDir: null, env: {}, ...files() })).toBeNull();
    expect(locateElectron({ packageDir: pkg, env: {}, ...files() })).toBeNull();
    expect(locateElectron({ packageDir: pkg, env: {}, exists: () => false, readText: () => '' })).toBeNull();
  });
  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    expect(locateElectron({ packageDir: pkg, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' }, ...files('/opt/e/electron') })).toBe('/opt/e/electron');
  });
  it('the message is one line and points to web mode', () => {
    expect(MISSING_BINARY_MESSAGE).not.toContain('\n');
    expect(MISSING_BINARY_MESSAGE).toContain('npm run web');
  });
});
