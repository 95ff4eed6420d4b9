import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// electron-store imports 'electron' itself, and vitest does not apply vi.mock inside node_modules
// (externalised), so the real electron-store would load the missing binary. It is replaced by what
// it is: conf (its base class, real here) with electron-store's option mapping — cwd from
// app.getPath('userData'), projectVersion from app.getVersion(), `name` as the file name.
const userData = mkdtempSync(path.join(tmpdir(), 'settings-ud-'));
vi.mock('electron', () => ({ app: { getPath: () => userData, getVersion: () => '0.1.0' } }));
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  class ElectronStoreStandIn extends Conf<Record<string, unknown>> {
    constructor(options: Record<string, unknown> & { name?: string; cwd?: string; projectVersion?: string }) {
      const { name = 'config', ...rest } = options;
      super({ ...rest, configName: name, cwd: rest.cwd ?? userData, projectVersion: rest.projectVersion ?? '0.1.0' });
    }
  }
  return { default: ElectronStoreStandIn };
});

import { DEFAULT_SETTINGS } from '../core/settings/defaults';
import { ElectronSettingsStore, SETTINGS_MIGRATIONS, settingsJsonSchema } from './settings-store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ElectronSettingsStore', () => {
  it('starts with the defaults and persists updates to settings.json', () => {
    const s = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    const next = s.update({ stationName: 'Counter 2', offlineCharges: { ...DEFAULT_SETTINGS.offlineCharges, enabled: true } });
    expect(next.stationName).toBe('Counter 2');
    expect(s.path).toBe(path.join(dir, 'settings.json'));
    const again = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    expect(again.get().stationName).toBe('Counter 2');
    expect(again.get().offlineCharges.enabled).toBe(true);
  });

  it('defaults to app.getPath("userData") and app.getVersion()', () => {
    const s = new ElectronSettingsStore();
    expect(s.path).toBe(path.join(userData, 'settings.json'));
    rmSync(userData, { recursive: true, force: true });
  });

  it('refuses values the contract refuses, on update', () => {
    const s = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    expect(() => s.update({ idleLockMinutes: 60 })).toThrow();
    expect(() => s.update({ currency: 'XXZ' })).toThrow();
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('the JSON schema follows the contract (ranges, required nested fields)', () => {
    const schema = settingsJsonSchema() as Record<string, Record<string, unknown>>;
    expect(Object.keys(schema).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    expect(schema.idleLockMinutes).toMatchObject({ type: 'integer', minimum: 1, maximum: 15 });
    expect(schema.offlineCharges).toMatchObject({ type: 'object', additionalProperties: false });
  });

  it('the JSON schema is a valid draft 2020-12 schema (the store skips that check at start)', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    expect(ajv.validateSchema({ type: 'object', properties: settingsJsonSchema() }), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('a file edited by hand with an out-of-schema value is reset, not trusted', () => {
    new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' }).update({ stationName: 'Desk 9' });
    const file = path.join(dir, 'settings.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.idleLockMinutes = 999;
    writeFileSync(file, JSON.stringify(json));
    const s = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    expect(s.get().idleLockMinutes).toBe(DEFAULT_SETTINGS.idleLockMinutes);
  });

  it('a value the JSON schema cannot judge but the contract refuses falls back to its default', () => {
    const s = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    const file = path.join(dir, 'settings.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.currency = 'QQQ';
    writeFileSync(file, JSON.stringify(json));
    expect(s.get().currency).toBe(DEFAULT_SETTINGS.currency);
  });

  it('runs migrations keyed by app version, once, when the app is upgraded', () => {
    const step = vi.fn((store: { set(k: string, v: unknown): void }) => store.set('stationName', 'Migrated'));
    const migrations = { ...SETTINGS_MIGRATIONS, '0.2.0': step as never };
    new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0', migrations }).update({ stationName: 'Old' });
    expect(step).not.toHaveBeenCalled();
    const upgraded = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.2.0', migrations });
    expect(step).toHaveBeenCalledTimes(1);
    expect(upgraded.get().stationName).toBe('Migrated');
    new ElectronSettingsStore({ cwd: dir, projectVersion: '0.2.0', migrations });
    expect(step).toHaveBeenCalledTimes(1);
  });

  it('the 0.1.0 baseline migration completes a partial pre-release file', () => {
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ stationName: 'Pre' }));
    const s = new ElectronSettingsStore({ cwd: dir, projectVersion: '0.1.0' });
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, stationName: 'Pre' });
  });
});
