import ElectronStore from 'electron-store';
import type { Options as StoreOptions } from 'electron-store';
import { z } from 'zod';
import { SettingsSchema } from '../../shared/contract';
import type { Settings } from '../../shared/contract';
import { SETTINGS_STORE_OPTIONS } from '../core/settings/conf-store';
import { DEFAULT_SETTINGS, frozenSettings } from '../core/settings/defaults';
import type { SettingsStore } from '../core/settings/defaults';

/**
 * Non-secret station settings in electron-store (settings.json in userData). The JSON schema is
 * generated from the contract's SettingsSchema, so the file, the IPC contract and web mode's
 * `conf` store cannot disagree on a field. Gateway credentials are NOT here: they are secrets and
 * live in the encrypted ledger.
 */

type Properties = NonNullable<StoreOptions<Settings>['schema']>;

/** JSON Schema (draft 2020-12, what conf's Ajv2020 speaks) of each settings key. */
export function settingsJsonSchema(): Properties {
  const root = z.toJSONSchema(SettingsSchema, { target: 'draft-2020-12' }) as { properties: Properties };
  return root.properties;
}

type Migrations = NonNullable<StoreOptions<Settings>['migrations']>;

/**
 * Keyed by the app version that introduced the change; conf runs each one once, in version order,
 * when the app is upgraded past it. Append new entries; never edit one that shipped.
 */
export const SETTINGS_MIGRATIONS: Migrations = {
  // 0.1.0: first release. Fills in any key a pre-release settings file lacked, so every later
  // migration can rely on a complete object.
  '0.1.0': (store) => {
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS) as [keyof Settings, Settings[keyof Settings]][]) {
      if (!store.has(key)) store.set(key, value);
    }
  },
};

export interface ElectronSettingsOptions {
  /** Absolute directory; defaults to app.getPath('userData'). */
  cwd?: string;
  /** Defaults to app.getVersion(); tests pin it to exercise migrations. */
  projectVersion?: string;
  migrations?: Migrations;
}

export class ElectronSettingsStore implements SettingsStore {
  private readonly store: ElectronStore<Settings>;

  constructor(opts: ElectronSettingsOptions = {}) {
    this.store = new ElectronStore<Settings>({
      name: 'settings',
      schema: settingsJsonSchema(),
      defaults: DEFAULT_SETTINGS,
      migrations: opts.migrations ?? SETTINGS_MIGRATIONS,
      // A damaged settings file is reset rather than stopping the till: every default is the
      // cautious one (each refund needs approval, offline charges off).
      clearInvalidConfig: true,
      ajvOptions: { ...SETTINGS_STORE_OPTIONS.ajvOptions },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.projectVersion ? { projectVersion: opts.projectVersion } : {}),
    });
  }

  /** Where the file lives (for the About screen and support). */
  get path(): string {
    return this.store.path;
  }

  /** electron-store (conf) hands out the same cached store until the file is written: parsed once per change. */
  private parsed: { raw: unknown; value: Settings } | null = null;

  get(): Settings {
    const raw = this.store.store as Record<string, unknown>;
    if (this.parsed?.raw === raw) return this.parsed.value;
    // The JSON schema cannot express zod's refinements (e.g. a known ISO 4217 code); a key that
    // fails them falls back to its default instead of reaching the core.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(SettingsSchema.shape) as (keyof Settings)[]) {
      const parsed = SettingsSchema.shape[key].safeParse(raw[key]);
      out[key] = parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS[key]);
    }
    this.parsed = { raw, value: frozenSettings(out as Settings) };
    return this.parsed.value;
  }

  update(patch: Partial<Settings>): Settings {
    // The dispatcher validated the patch against the contract; this parse keeps the store honest
    // when it is called from elsewhere, and the store's JSON schema checks once more on write.
    const next = SettingsSchema.parse({ ...this.get(), ...patch });
    this.store.set(next);
    return this.get();
  }
}
