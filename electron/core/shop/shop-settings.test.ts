import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SHOP_WIDE_SETTINGS, type Settings } from '../../../shared/contract';
import { offlineGateway } from '../../gateway/offline-gateway';
import { createCore, type Core } from '../app';
import { ManualClock } from '../clock';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings';
import { cuttableProxy } from './test-proxy';
import { describePg, usePg } from './test-pg';

/**
 * Shop-wide settings (docs/decisions/shop-wide-settings.md) between two assembled cores on a real
 * PostgreSQL, through the contract. Desk 2 reaches the server through a proxy that can be cut.
 */
describePg('shop-wide settings: set at one desk, in effect at every desk', () => {
  const pgh = usePg();
  const protector = new PassphraseKeyProtector('shop settings tests', { N: 1 << 12 });
  const dirs: string[] = [];
  let a: Core;
  let b: Core;
  let url = '';
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  const ka = { sessionKey: 'web:a', origin: 'test' };
  const kb = { sessionKey: 'web:b', origin: 'test' };

  const start = async (station: string, initial: Partial<Settings>) => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-settings-'));
    dirs.push(dir);
    return createCore({ dataDir: dir, protector, gateway: offlineGateway, clock: new ManualClock(), station, settings: new MemorySettingsStore({ stationName: station, ...initial }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
  };
  const settingsOf = async (core: Core, k: typeof ka): Promise<Settings> => {
    const r = await core.dispatch('settings.get', {}, k);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.value as Settings;
  };
  const update = async (core: Core, k: typeof ka, patch: Partial<Settings>) => {
    const r = await core.dispatch('settings.update', patch, k);
    expect(r).toMatchObject({ ok: true });
  };
  const serverSettings = async (): Promise<Record<string, unknown>> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ pk: string; data: { value_json: string } }>(`SELECT pk, data FROM records WHERE tbl = 'shop_settings'`);
      return Object.fromEntries(rows.map((r) => [r.pk, JSON.parse(r.data.value_json) as unknown]));
    } finally {
      await c.end();
    }
  };
  const auditDetails = (core: Core): string[] => (core.db.prepare(`SELECT detail FROM audit WHERE action = 'settings.update' ORDER BY seq`).all() as { detail: string }[]).map((r) => r.detail);

  beforeAll(async () => {
    url = await pgh.freshDatabase();
    const database = new URL(url).pathname.slice(1);
    proxy = await cuttableProxy(pgh.cluster().port);
    a = await start('Desk 1', { merchantName: 'Corner Shop', timeZone: 'Europe/London' });
    b = await start('Desk 2', { merchantName: 'Desk Two Trading', timeZone: null, idleLockMinutes: 10 });
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);
    const conn = { host: '127.0.0.1', port: pgh.cluster().port, database, username: 'pos', password: 'x', tls: 'disable' };
    expect(await a.dispatch('shop.connect', conn, ka)).toMatchObject({ ok: true });
    // Desk 1's settings are on the server before Desk 2 joins (desks join one after the other).
    for (let i = 0; (await serverSettings().then((x) => Object.keys(x).length)) < SHOP_WIDE_SETTINGS.length; i++) {
      if (i > 100) throw new Error("Desk 1's settings did not reach the server");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await b.dispatch('shop.connect', { ...conn, port: proxy.port }, kb)).toMatchObject({ ok: true });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the first desk seeds the shop; a desk joining later takes the shop\'s values (audited there); the desk\'s own keys never leave it', async () => {
    await expect.poll(async () => {
      const s = await settingsOf(b, kb);
      return [s.merchantName, s.timeZone, s.idleLockMinutes, s.stationName];
    }, { timeout: 10_000, interval: 100 }).toEqual(['Corner Shop', 'Europe/London', 15, 'Desk 2']);
    expect((await settingsOf(a, ka)).stationName).toBe('Desk 1');
    const onServer = await serverSettings();
    expect(Object.keys(onServer).sort()).toEqual([...SHOP_WIDE_SETTINGS].sort());
    expect(onServer).not.toHaveProperty('stationName');
    expect(onServer).not.toHaveProperty('locale');
    // Desk 2's replaced values are in its own audit log, with what they were.
    expect(auditDetails(b).find((d) => d.startsWith('from the shop:'))).toMatch(/merchantName \("Desk Two Trading" → "Corner Shop"\).*timeZone \(null → "Europe\/London"\)/);
  });

  it('a setting changed at one desk takes effect at the other within seconds, both ways; recurring follows the shop\'s zone', async () => {
    const t0 = Date.now();
    await update(a, ka, { timeZone: 'Asia/Tokyo', stationName: 'Front desk' });
    await expect.poll(async () => (await settingsOf(b, kb)).timeZone, { timeout: 10_000, interval: 50 }).toBe('Asia/Tokyo');
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The zone a new schedule at Desk 2 is recorded in is read from this store (recurring/calendar.ts).
    expect(b.deps.settings.get().timeZone).toBe('Asia/Tokyo');
    expect((await settingsOf(b, kb)).stationName).toBe('Desk 2');
    expect(auditDetails(a).at(-1)).toBe('changed stationName ("Desk 1" → "Front desk"), timeZone ("Europe/London" → "Asia/Tokyo"); shop-wide: timeZone');

    const links = { defaultMinutes: 90, minMinutes: 30, maxMinutes: 600, warnMinutes: 20 };
    await update(b, kb, { paymentLinks: links, refundApprovalLimit: 1_000 });
    await expect.poll(async () => {
      const s = await settingsOf(a, ka);
      return [s.paymentLinks, s.refundApprovalLimit];
    }, { timeout: 10_000, interval: 50 }).toEqual([links, 1_000]);
    expect(auditDetails(a).at(-1)).toMatch(/^from the shop: changed .*refundApprovalLimit \(0 → 1000\)/);
  });

  it('two desks changing one setting at once: both stored, the later in the server\'s order wins at both, no conflict kept, both audited', async () => {
    await Promise.all([update(a, ka, { idleLockMinutes: 5 }), update(b, kb, { idleLockMinutes: 7 })]);
    await expect.poll(async () => {
      const [sa, sb, server] = await Promise.all([settingsOf(a, ka), settingsOf(b, kb), serverSettings()]);
      return sa.idleLockMinutes === sb.idleLockMinutes && sb.idleLockMinutes === server.idleLockMinutes ? sa.idleLockMinutes : null;
    }, { timeout: 10_000, interval: 100 }).not.toBeNull();
    expect([5, 7]).toContain((await settingsOf(a, ka)).idleLockMinutes);
    for (const core of [a, b]) {
      expect(core.db.prepare(`SELECT COUNT(*) AS n FROM shop_conflicts WHERE tbl = 'shop_settings'`).get()).toEqual({ n: 0 });
    }
    expect(auditDetails(a).some((d) => d.startsWith('changed idleLockMinutes (15 → 5)'))).toBe(true);
    expect(auditDetails(b).some((d) => d.startsWith('changed idleLockMinutes (15 → 7)'))).toBe(true);
  });

  it('a desk cut off from the server keeps its values and works; back, it catches up, and its own change made meanwhile (later in server order) wins', async () => {
    proxy.cut();
    await expect.poll(async () => ((await b.dispatch('shop.status', {}, kb)) as { value: { state: string } }).value.state, { timeout: 15_000, interval: 100 }).toBe('unreachable');
    await update(a, ka, { timeZone: 'America/Chicago', refundApprovalLimit: 5_000 });
    await expect.poll(async () => (await serverSettings()).timeZone, { timeout: 10_000, interval: 100 }).toBe('America/Chicago');
    // Desk 2 has not heard: it keeps the shop's values as it last had them, and saves its own.
    expect((await settingsOf(b, kb)).timeZone).toBe('Asia/Tokyo');
    await update(b, kb, { refundApprovalLimit: 2_500 });
    expect((await settingsOf(a, ka)).refundApprovalLimit).toBe(5_000);
    proxy.restore();
    await expect.poll(async () => {
      const [sa, sb] = await Promise.all([settingsOf(a, ka), settingsOf(b, kb)]);
      return [sa.timeZone, sb.timeZone, sa.refundApprovalLimit, sb.refundApprovalLimit];
    }, { timeout: 20_000, interval: 100 }).toEqual(['America/Chicago', 'America/Chicago', 2_500, 2_500]);
    expect((await serverSettings()).refundApprovalLimit).toBe(2_500);
  }, 40_000);
});
