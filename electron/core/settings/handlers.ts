import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';

/**
 * settings.get / settings.update over the injected SettingsStore (conf in web mode,
 * electron-store in Electron). The audit entry names the keys that changed, not their values.
 */
export function createSettingsFeature(deps: CoreDeps): { handlers: PartialHandlers } {
  return {
    handlers: {
      'settings.get': () => deps.settings.get(),
      'settings.update': (patch, ctx) => {
        const before = deps.settings.get();
        const after = deps.settings.update(patch);
        const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        auditAs(deps, ctx.user, { action: 'settings.update', outcome: 'success', target: null, detail: changed.length ? `changed ${changed.join(', ')}` : 'no change' });
        return after;
      },
    },
  };
}
