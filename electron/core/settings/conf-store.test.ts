import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfSettingsStore } from './conf-store';
import { DEFAULT_SETTINGS } from './defaults';

describe('ConfSettingsStore', () => {
  it('starts with the defaults, persists updates and re-validates them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const store = new ConfSettingsStore(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.update({ stationName: 'Desk 7', currency: 'KWD' }).stationName).toBe('Desk 7');
    expect(new ConfSettingsStore(dir).get()).toMatchObject({ stationName: 'Desk 7', currency: 'KWD' });
    expect(() => store.update({ currency: 'XXQ' })).toThrow(/not valid/);
    expect(() => store.update({ idleLockMinutes: 99 })).toThrow(/not valid/);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).stationName).toBe('Desk 7');
  });

  it('refuses a settings file that breaks the schema instead of resetting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, idleLockMinutes: 'soon' }));
    expect(() => new ConfSettingsStore(dir)).toThrow();
  });
});
