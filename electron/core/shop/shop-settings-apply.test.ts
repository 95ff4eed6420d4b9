import { describe, expect, it } from 'vitest';
import { MemorySettingsStore } from '../settings';
import { memoryDb } from '../people/test-kit';
import { applyPulled } from './apply';
import { enableReplication, outboxCount } from './outbox';
import type { PulledRecord } from './server-client';
import { adoptShopSettings, publishShopSettings } from './shop-settings';

const at = '2026-12-04T10:00:00.000Z';
const setting = (seq: number, key: string, value: unknown): PulledRecord => ({
  seq,
  tbl: 'shop_settings',
  pk: key,
  origin: 'st_other',
  writtenBy: 'st_other',
  deleted: false,
  data: { key, value_json: JSON.stringify(value), updated_at: at, updated_by: 'u_other' },
});

/** The ledger side of shop-wide settings (docs/decisions/shop-wide-settings.md), without a server. */
describe('shop-wide settings in the ledger', () => {
  it('a single station publishes nothing; in a shop only the shop-wide keys that differ are written (and so sent)', () => {
    const db = memoryDb();
    const store = new MemorySettingsStore({ timeZone: 'Europe/Paris' });
    expect(publishShopSettings(db, store.get(), at, 'u_1')).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM shop_settings').get()).toEqual({ n: 0 });
    enableReplication(db, at);
    const first = publishShopSettings(db, store.get(), at, 'u_1');
    expect(first).toContain('timeZone');
    expect(first).not.toContain('stationName');
    expect(outboxCount(db)).toBe(first.length);
    // Saved again unchanged: nothing written; one key changed: that key only.
    expect(publishShopSettings(db, store.get(), at, 'u_1')).toEqual([]);
    expect(publishShopSettings(db, store.update({ idleLockMinutes: 5, stationName: 'Desk 9' }), at, 'u_1')).toEqual(['idleLockMinutes']);
  });

  it("a pulled version does not replace this desk's change still waiting to be sent (it is the later one); otherwise it is taken", () => {
    const db = memoryDb();
    const store = new MemorySettingsStore();
    enableReplication(db, at);
    publishShopSettings(db, store.get(), at, 'u_1');
    db.prepare('DELETE FROM shop_outbox').run(); // sent and acknowledged
    publishShopSettings(db, store.update({ timeZone: 'Asia/Tokyo' }), at, 'u_1');
    const r = applyPulled(db, 'st_me', [setting(10, 'timeZone', 'America/Chicago'), setting(11, 'idleLockMinutes', 7)], at);
    expect(r).toMatchObject({ applied: 1, skipped: 1 });
    expect(db.prepare(`SELECT value_json FROM shop_settings WHERE key = 'timeZone'`).get()).toEqual({ value_json: '"Asia/Tokyo"' });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM shop_outbox WHERE tbl = 'shop_settings' AND pk = 'timeZone'`).get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get()).toEqual({ n: 0 });
    const { adopted } = adoptShopSettings(db, store);
    expect(adopted).toEqual([{ key: 'idleLockMinutes', from: 15, to: 7 }]);
    expect(store.get()).toMatchObject({ timeZone: 'Asia/Tokyo', idleLockMinutes: 7 });
  });

  it('a value this desk cannot take (a newer shape, out of range) is reported and left out; the others still apply', () => {
    const db = memoryDb();
    const store = new MemorySettingsStore();
    enableReplication(db, at);
    applyPulled(db, 'st_me', [setting(1, 'idleLockMinutes', 99), setting(2, 'merchantName', 'Corner Shop'), setting(3, 'someFutureKey', true)], at);
    const { adopted, refused } = adoptShopSettings(db, store);
    expect(adopted.map((a) => a.key)).toEqual(['merchantName']);
    expect(refused.map((r) => r.key)).toEqual(['idleLockMinutes']);
    expect(store.get()).toMatchObject({ idleLockMinutes: 15, merchantName: 'Corner Shop' });
  });
});
