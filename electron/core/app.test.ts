import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_NAMES } from '../../shared/contract';
import { offlineGateway } from '../gateway/offline-gateway';
import { composeHandlers, createCore, type Core } from './app';
import { ManualClock } from './clock';
import type { PartialHandlers } from './context';
import { PassphraseKeyProtector } from './db/key-protector';
import { MemorySettingsStore } from './settings/defaults';

const protector = new PassphraseKeyProtector('core tests passphrase', { N: 1 << 12 });
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'core-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const all = (): PartialHandlers => Object.fromEntries(CHANNEL_NAMES.map((c) => [c, () => ({})]));

describe('composeHandlers', () => {
  it('needs exactly one handler per channel', () => {
    expect(Object.keys(composeHandlers([{ name: 'a', handlers: all() }])).sort()).toEqual([...CHANNEL_NAMES].sort());

    const { 'sync.status': _s, 'users.list': _u, ...some } = all();
    expect(() => composeHandlers([{ name: 'a', handlers: some }])).toThrow('Channels without a handler: users.list, sync.status');
    expect(() => composeHandlers([{ name: 'a', handlers: all() }, { name: 'b', handlers: { 'orders.get': () => ({}) } as unknown as PartialHandlers }])).toThrow(
      'Channels handled twice: orders.get (a and b)',
    );
    expect(() => composeHandlers([{ name: 'a', handlers: { ...all(), 'orders.steal': () => ({}) } as PartialHandlers }])).toThrow(/not a contract channel/);
  });
});

describe('createCore', () => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
    core = undefined;
  });

  const start = (dataDir: string) =>
    createCore({ dataDir, protector, gateway: offlineGateway, clock: new ManualClock(), settings: new MemorySettingsStore(), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });

  it('serves the contract end to end: first-run setup, status, role checks', async () => {
    const dir = tmp();
    core = await start(dir);
    const call = { sessionKey: 'web:tab', origin: 'test' };
    expect(await core.dispatch('session.status', {}, call)).toMatchObject({ ok: true, value: { setupRequired: true, user: null, gateway: { sandbox: true } } });
    expect(await core.dispatch('users.list', {}, call)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await core.dispatch('session.setup', { name: 'Ann', pin: '13572468' }, call)).toMatchObject({ ok: true, value: { role: 'admin' } });
    expect(await core.dispatch('users.list', {}, call)).toMatchObject({ ok: true, value: [{ name: 'Ann', role: 'admin' }] });
    expect(await core.dispatch('settings.update', { stationName: 'Desk 9' }, call)).toMatchObject({ ok: true, value: { stationName: 'Desk 9' } });
    expect(await core.dispatch('session.lock', {}, call)).toMatchObject({ ok: true });
    expect(await core.dispatch('users.list', {}, call)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
  });

  it("the shop's time zone: an admin sets an IANA zone (audited), nonsense is refused and changes nothing, other updates keep it, a clerk cannot", async () => {
    core = await start(tmp());
    const call = { sessionKey: 'web:tz', origin: 'test' };
    await core.dispatch('session.setup', { name: 'Ann', pin: '13572468' }, call);
    expect(await core.dispatch('settings.get', {}, call)).toMatchObject({ ok: true, value: { timeZone: null } });
    expect(await core.dispatch('settings.update', { timeZone: 'America/New_York' }, call)).toMatchObject({ ok: true, value: { timeZone: 'America/New_York' } });
    for (const bad of ['Mars/Olympus', '+05:00', '4005550000000001']) {
      expect(await core.dispatch('settings.update', { timeZone: bad }, call)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const links = { defaultMinutes: 120, minMinutes: 30, maxMinutes: 600, warnMinutes: 20 };
    await core.dispatch('settings.update', { paymentLinks: links }, call);
    // Saving another setting leaves the zone and the link expiry alone (a default used to reset them).
    expect(await core.dispatch('settings.update', { stationName: 'Desk 7' }, call)).toMatchObject({ ok: true, value: { timeZone: 'America/New_York', stationName: 'Desk 7', paymentLinks: links } });
    const audit = await core.dispatch('audit.list', { action: 'settings.update' }, call);
    expect(audit).toMatchObject({ ok: true });
    expect(JSON.stringify((audit as { value: unknown }).value)).toContain('changed timeZone');
    const clerk = await core.dispatch('users.create', { name: 'Cid', role: 'clerk', pin: '24681357' }, call);
    const clerkCall = { sessionKey: 'web:tz-clerk', origin: 'test' };
    await core.dispatch('session.login', { userId: (clerk as { value: { id: string } }).value.id, pin: '24681357' }, clerkCall);
    expect(await core.dispatch('settings.update', { timeZone: 'Asia/Tokyo' }, clerkCall)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await core.dispatch('settings.get', {}, call)).toMatchObject({ ok: true, value: { timeZone: 'America/New_York' } });
  });

  it('closes cleanly: WAL folded into the ledger, a second close is harmless, data survives', async () => {
    const dir = tmp();
    core = await start(dir);
    await core.dispatch('session.setup', { name: 'Ann', pin: '13572468' }, { sessionKey: 'k', origin: 'test' });
    await core.close();
    await core.close();
    const wal = join(dir, 'ledger.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    core = await start(dir);
    expect(await core.dispatch('session.status', {}, { sessionKey: 'k2', origin: 'test' })).toMatchObject({ ok: true, value: { setupRequired: false } });
  });

  it('refuses to start on a wrong passphrase', async () => {
    const dir = tmp();
    core = await start(dir);
    await core.close();
    core = undefined;
    await expect(
      createCore({ dataDir: dir, protector: new PassphraseKeyProtector('another passphrase', { N: 1 << 12 }), gateway: offlineGateway, hostedReturnUrl: 'x', settings: new MemorySettingsStore() }),
    ).rejects.toThrow(/passphrase/i);
  });
});
