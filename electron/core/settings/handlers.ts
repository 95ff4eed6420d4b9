import type { Settings } from '../../../shared/contract';
import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';

export interface SettingsFeatureOptions {
  /**
   * In a shop, the shop-wide keys of what was just saved are shared with the other desks
   * (shop/shop-settings.ts); returns the keys that went to the shop.
   */
  shareWithShop?: (after: Settings, by: string | null) => string[];
}

/** "key (old → new)" when both are short; long values (addresses, objects) are named only. */
export function describeSettingChange(key: string, from: unknown, to: unknown): string {
  const short = (v: unknown) => {
    const s = JSON.stringify(v ?? null);
    return s.length <= 40 ? s : null;
  };
  const [a, b] = [short(from), short(to)];
  return a !== null && b !== null ? `${key} (${a} → ${b})` : key;
}

/**
 * settings.get / settings.update over the injected SettingsStore (conf in web mode,
 * electron-store in Electron). The audit entry names the keys that changed, with old → new when
 * short (no setting is a secret: those live in the encrypted ledger).
 */
export function createSettingsFeature(deps: CoreDeps, opts: SettingsFeatureOptions = {}): { handlers: PartialHandlers } {
  return {
    handlers: {
      'settings.get': () => deps.settings.get(),
      'settings.update': (patch, ctx) => {
        const before = deps.settings.get();
        const after = deps.settings.update(patch);
        const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        const shared = opts.shareWithShop?.(after, ctx.user?.id ?? null) ?? [];
        const detail = changed.length ? `changed ${changed.map((k) => describeSettingChange(k, before[k], after[k])).join(', ')}` : 'no change';
        auditAs(deps, ctx.user, { action: 'settings.update', outcome: 'success', target: null, detail: shared.length ? `${detail}; shop-wide: ${shared.join(', ')}` : detail });
        return after;
      },
    },
  };
}
