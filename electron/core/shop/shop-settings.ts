import { SHOP_WIDE_SETTINGS, type Settings, type ShopWideSetting } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { CoreDeps } from '../deps';
import { shopState } from './outbox';

/**
 * Shop-wide settings (docs/decisions/shop-wide-settings.md). The settings store stays what every
 * feature reads; in a shop its shop-wide keys are mirrored in the ledger's `shop_settings`, which
 * replicates under the server's `latest` policy: the version with the highest server seq wins at
 * every desk, so two desks never disagree for longer than a pull.
 */

/** JSON with sorted keys: a value read back from the ledger compares equal to the store's. */
function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

function rows(db: Db): Map<string, string> {
  const all = db.prepare('SELECT key, value_json FROM shop_settings').all() as { key: string; value_json: string }[];
  return new Map(all.map((r) => [r.key, r.value_json]));
}

/**
 * Writes the shop-wide keys whose value differs from the ledger's into `shop_settings` (the
 * outbox triggers send them). Only in a shop: a single station, or one that left, writes nothing.
 * Returns the keys written.
 */
export function publishShopSettings(db: Db, settings: Settings, at: string, by: string | null): ShopWideSetting[] {
  if (!shopState(db)?.enabled) return [];
  const have = rows(db);
  const put = db.prepare(`INSERT INTO shop_settings (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  const written: ShopWideSetting[] = [];
  db.transaction(() => {
    for (const k of SHOP_WIDE_SETTINGS) {
      const v = canon(settings[k]);
      if (have.get(k) === v) continue;
      put.run(k, v, at, by);
      written.push(k);
    }
  })();
  return written;
}

export interface AdoptedSetting {
  key: ShopWideSetting;
  from: unknown;
  to: unknown;
}

/**
 * Brings the settings store in line with the shop's values in the ledger (after a pull that
 * wrote some, and at start-up, in case the process stopped between the two). A value this
 * version cannot take (a newer desk's shape) is left out and reported; the others still apply.
 */
export function adoptShopSettings(db: Db, store: CoreDeps['settings']): { adopted: AdoptedSetting[]; refused: { key: string; reason: string }[] } {
  const current = store.get();
  const adopted: AdoptedSetting[] = [];
  const refused: { key: string; reason: string }[] = [];
  const known = new Set<string>(SHOP_WIDE_SETTINGS);
  for (const [key, json] of rows(db)) {
    if (!known.has(key)) continue; // a key a newer version made shop-wide
    const k = key as ShopWideSetting;
    if (canon(current[k]) === json) continue;
    const to: unknown = JSON.parse(json);
    try {
      store.update({ [k]: to });
      adopted.push({ key: k, from: current[k], to });
    } catch (e) {
      refused.push({ key, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { adopted, refused };
}
