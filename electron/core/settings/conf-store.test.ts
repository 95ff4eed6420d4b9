import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfSettingsStore, SETTINGS_STORE_OPTIONS } from './conf-store';
import { DEFAULT_SETTINGS, MemorySettingsStore } from './defaults';

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

describe('settings are validated by what they mean, not only their length', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'settings-'));
  it('refuses a card number, a made-up tag or a sentence as the locale, and keeps the stored value', () => {
    const store = new ConfSettingsStore(dir());
    for (const locale of ['4005550000000001', 'english please', 'xx-YY-ZZ', 'en_US', 'EN-us', '']) {
      expect(() => store.update({ locale }), locale).toThrow(/not valid/);
    }
    expect(store.get().locale).toBe('en-US');
    for (const locale of ['en-US', 'fr-FR', 'ar-AE', 'zh-Hant-TW', 'es-419', 'de']) expect(store.update({ locale }).locale).toBe(locale);
  });

  it('names and the address are printed text: no control characters, no card numbers, names not blank', () => {
    const store = new ConfSettingsStore(dir());
    expect(() => store.update({ stationName: 'Desk\n2' })).toThrow(/not valid/);
    expect(() => store.update({ stationName: '   ' })).toThrow(/not valid/);
    expect(() => store.update({ merchantName: 'Shop \u202Eevil' })).toThrow(/not valid/);
    expect(() => store.update({ merchantName: 'Card 4005 5500 0000 0001' })).toThrow(/not valid/);
    expect(() => store.update({ merchantAddress: '4005550000000001' })).toThrow(/not valid/);
    expect(store.update({ merchantAddress: '1 Market Street\nSpringfield', stationName: '  Desk 2 ' })).toMatchObject({ merchantAddress: '1 Market Street\nSpringfield', stationName: 'Desk 2' });
    expect(store.update({ merchantAddress: '' }).merchantAddress).toBe('');
  });

  it('an offline charge cannot be allowed above the total allowed outstanding', () => {
    const store = new ConfSettingsStore(dir());
    const o = store.get().offlineCharges;
    expect(() => store.update({ offlineCharges: { ...o, perCharge: o.totalOutstanding + 1 } })).toThrow(/not valid/);
    expect(store.update({ offlineCharges: { ...o, perCharge: o.totalOutstanding } }).offlineCharges.perCharge).toBe(o.totalOutstanding);
  });

  it('the in-memory store (tests) refuses the same values', () => {
    const mem = new MemorySettingsStore();
    expect(() => mem.update({ locale: '4005550000000001' })).toThrow(/not valid/);
    expect(mem.get().locale).toBe('en-US');
  });
});

describe('the settings JSON schema', () => {
  // The stores skip Ajv's meta-schema check at start (it compiled the meta-schema each time): this is that check.
  it('is a valid draft 2020-12 schema', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const schema = { ...SETTINGS_STORE_OPTIONS.rootSchema, type: 'object', properties: SETTINGS_STORE_OPTIONS.schema };
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validateSchema({ type: 'object', properties: { a: { type: 'nonsense' } } })).toBe(false);
    expect(SETTINGS_STORE_OPTIONS.ajvOptions.validateSchema).toBe(false);
  });
});
