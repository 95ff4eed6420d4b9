import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('./electron-builder.config.cjs') as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  files: string[];
  asarUnpack: string[];
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
};

describe('electron-builder config', () => {
  it('names the app and its directories', () => {
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/i);
    expect(config.productName).toBe('MOTO POS');
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' });
  });

  it('packs the renderer, the Electron bundles and package.json into asar', () => {
    expect(config.asar).toBe(true);
    for (const f of ['dist/renderer/**/*', 'dist-electron/**/*', 'package.json']) expect(config.files).toContain(f);
    // What main.cjs expects: package.json "main" points into dist-electron.
    expect((require('../package.json') as { main: string }).main).toBe('dist-electron/main.cjs');
  });

  it('unpacks the native prebuilds (SQLite, the receipt image) and has no rebuild step', () => {
    expect(config.asarUnpack).toEqual(['**/node_modules/better-sqlite3-multiple-ciphers/prebuilds/*.node', '**/node_modules/@napi-rs/canvas-*/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    // The prebuild the glob must match is really there (one per platform, Node-API).
    expect(existsSync(require.resolve('better-sqlite3-multiple-ciphers/package.json').replace('package.json', 'prebuilds/linux-x64.node'))).toBe(true);
    // The receipt image's binary is where the second glob looks: the platform package's root.
    const canvasDir = require.resolve('@napi-rs/canvas-linux-x64-gnu/package.json').replace('package.json', '');
    expect(readdirSync(canvasDir).some((f) => f.endsWith('.node'))).toBe(true);
  });

  it('builds AppImage and deb, NSIS, dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('flips the Electron fuses: no RunAsNode, NODE_OPTIONS or inspect; asar integrity; asar only', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("is valid against electron-builder's own JSON schema", () => {
    const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } }).default;
    const schema = require('app-builder-lib/scheme.json') as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? null).toBeNull();
    expect(ok).toBe(true);
  });

  it('electron-builder in this tree supports the electronFuses key (bundles @electron/fuses)', () => {
    expect(existsSync(require.resolve('@electron/fuses/package.json'))).toBe(true);
    const schema = require('app-builder-lib/scheme.json') as { properties: Record<string, unknown> };
    expect(schema.properties).toHaveProperty('electronFuses');
  });
});
