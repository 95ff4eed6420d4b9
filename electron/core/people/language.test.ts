import { describe, expect, it } from 'vitest';
import type { ChannelName, InputOf, OutputOf } from '../../../shared/contract';
import { stationLanguage } from '../../../shared/contract/locale';
import type { Handlers } from '../context';
import { createDispatcher } from '../dispatch';
import { createCustomersFeature } from '../customers';
import { createSettingsFeature } from '../settings/handlers';
import { createPeopleFeature } from './index';
import { testDeps } from './test-kit';

/** Issue #17: each person's language and digits, the station's default, a customer's language. */
function setup() {
  const deps = testDeps();
  const people = createPeopleFeature(deps);
  const dispatch = createDispatcher({
    handlers: { ...people.handlers, ...createCustomersFeature(deps).handlers, ...createSettingsFeature(deps).handlers } as Handlers,
    resolveCaller: (k) => people.sessions.resolveCaller(k),
    onActivity: (k) => people.sessions.touch(k),
    log: deps.log,
    validateOutput: true,
  });
  async function call<K extends ChannelName>(channel: K, input: InputOf<K>, sessionKey = 'w1') {
    return dispatch(channel, input, { sessionKey, origin: `test:${sessionKey}` });
  }
  async function ok<K extends ChannelName>(channel: K, input: InputOf<K>, sessionKey = 'w1') {
    const r = await call(channel, input, sessionKey);
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value as OutputOf<K>;
  }
  return { deps, call, ok };
}

describe('a person\'s language and digits', () => {
  it('start as the station\'s (null), are set by the person, and come back at the next sign-in', async () => {
    const { ok } = setup();
    const admin = await ok('session.setup', { name: 'Amal', pin: '111111' });
    expect(admin).toMatchObject({ language: null, digits: null });
    const clerk = await ok('users.create', { name: 'Badr', role: 'clerk', pin: '333333' });

    await ok('session.login', { userId: clerk.id, pin: '333333' }, 'w2');
    const changed = await ok('session.preferences', { language: 'ar', digits: 'arab' }, 'w2');
    expect(changed).toMatchObject({ id: clerk.id, language: 'ar', digits: 'arab' });
    // Only the digits change: the language stays.
    expect(await ok('session.preferences', { digits: 'latn' }, 'w2')).toMatchObject({ language: 'ar', digits: 'latn' });

    await ok('session.logout', {}, 'w2');
    expect(await ok('session.login', { userId: clerk.id, pin: '333333' }, 'w3')).toMatchObject({ language: 'ar', digits: 'latn' });
    expect((await ok('session.status', {}, 'w3')).user).toMatchObject({ language: 'ar', digits: 'latn' });
    // The admin's own stays the station's: one person's choice is theirs only.
    expect((await ok('session.status', {}, 'w1')).user).toMatchObject({ language: null, digits: null });
    // Back to the station's default.
    expect(await ok('session.preferences', { language: null }, 'w3')).toMatchObject({ language: null, digits: 'latn' });
  });

  it('refuses a language the screen does not speak, and needs someone signed in', async () => {
    const { ok, call } = setup();
    await ok('session.setup', { name: 'Amal', pin: '111111' });
    const bad = await call('session.preferences', { language: 'fr' } as never);
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
    expect((await ok('session.status', {})).user).toMatchObject({ language: null });
    const nobody = await call('session.preferences', { language: 'ar' }, 'elsewhere');
    expect(nobody.ok ? 'ok' : nobody.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('the station\'s default language (settings locale)', () => {
  it('is on session.status before anyone signs in', async () => {
    const { ok } = setup();
    expect((await ok('session.status', {})).locale).toBe('en-US');
    await ok('session.setup', { name: 'Amal', pin: '111111' });
    await ok('settings.update', { locale: 'ar-KW' });
    const status = await ok('session.status', {}, 'signed-out');
    expect(stationLanguage(status.locale)).toEqual({ language: 'ar', digits: 'latn' });
  });

  it('reads a locale as our language and digits', () => {
    expect(stationLanguage('ar-KW')).toEqual({ language: 'ar', digits: 'latn' });
    expect(stationLanguage('en-US')).toEqual({ language: 'en', digits: 'latn' });
    expect(stationLanguage('ar-KW-u-nu-arab')).toEqual({ language: 'ar', digits: 'arab' });
    expect(stationLanguage('fr-FR')).toEqual({ language: 'en', digits: 'latn' });
    expect(stationLanguage('nonsense')).toEqual({ language: 'en', digits: 'latn' });
  });
});

describe('a customer\'s preferred language', () => {
  it('is kept on create, changed on update, and left alone when an update does not say', async () => {
    const { ok } = setup();
    await ok('session.setup', { name: 'Amal', pin: '111111' });
    const c = await ok('customers.create', { name: 'فاطمة العلي', email: 'f@example.com', phone: '', language: 'ar' });
    expect(c.language).toBe('ar');
    expect((await ok('customers.get', { id: c.id })).customer.language).toBe('ar');
    // An edit that says nothing about the language leaves it.
    expect((await ok('customers.update', { id: c.id, name: 'فاطمة العلي', email: 'f2@example.com', phone: '' })).language).toBe('ar');
    expect((await ok('customers.update', { id: c.id, name: 'فاطمة العلي', email: 'f2@example.com', phone: '', language: null })).language).toBeNull();
    const plain = await ok('customers.create', { name: 'Sam', email: '', phone: '' });
    expect(plain.language).toBeNull();
    const hits = await ok('customers.search', { query: 'Sam', limit: 5, offset: 0 });
    expect(hits.hits[0]?.customer.language).toBeNull();
  });
});

describe('the language chosen on the set-up screen', () => {
  it('becomes the station default (settings locale), audited; without a choice the locale stays', async () => {
    const { ok, deps } = setup();
    expect(deps.settings.get().locale).toBe('en-US');
    const admin = await ok('session.setup', { name: 'أمل', pin: '111111', language: 'ar' });
    expect(admin).toMatchObject({ language: null });
    expect(deps.settings.get().locale).toBe('ar');
    const status = await ok('session.status', {});
    expect(stationLanguage(status.locale)).toEqual({ language: 'ar', digits: 'latn' });
    const entry = deps.db.prepare("SELECT detail FROM audit WHERE action = 'session.setup'").get() as { detail: string };
    expect(entry.detail).toContain('station language ar');

    const other = setup();
    await other.ok('session.setup', { name: 'Amal', pin: '111111' });
    expect(other.deps.settings.get().locale).toBe('en-US');
  });

  it('names a fresh station in that language and keeps a name someone chose', async () => {
    const { ok, deps } = setup();
    expect(deps.settings.get().stationName).toBe('Desk 1');
    await ok('session.setup', { name: 'أمل', pin: '111111', language: 'ar' });
    expect(deps.settings.get().stationName).toBe('مكتب 1');

    const { defaultStationName, isDefaultStationName } = await import('../../../shared/contract/locale');
    expect(defaultStationName('ar', 'arab')).toBe('مكتب ١');
    expect(isDefaultStationName('مكتب ١') && isDefaultStationName('Desk 1') && !isDefaultStationName('Desk 2')).toBe(true);

    const named = setup();
    named.deps.settings.update({ stationName: 'Front counter' });
    await named.ok('session.setup', { name: 'أمل', pin: '111111', language: 'ar' });
    expect(named.deps.settings.get().stationName).toBe('Front counter');

    const english = setup();
    await english.ok('session.setup', { name: 'Amal', pin: '111111', language: 'en' });
    expect(english.deps.settings.get().stationName).toBe('Desk 1');
  });

  it('keeps a locale that already speaks the language (region and digits)', async () => {
    const { stationLocaleFor } = await import('../../../shared/contract/locale');
    expect(stationLocaleFor('ar-KW-u-nu-arab', 'ar')).toBe('ar-KW-u-nu-arab');
    expect(stationLocaleFor('en-GB', 'en')).toBe('en-GB');
    expect(stationLocaleFor('en-GB', 'ar')).toBe('ar');
    expect(stationLocaleFor('ar-KW', 'en')).toBe('en-US');
    expect(stationLocaleFor('fr-FR', 'en')).toBe('en-US');
  });
});
