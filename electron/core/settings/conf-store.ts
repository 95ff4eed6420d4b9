import Conf from 'conf';
import { z } from 'zod';
import { ContractError, SettingsSchema, type Settings } from '../../../shared/contract';
import { privateDir } from '../../gateway/private-files';
import { DEFAULT_SETTINGS, frozenSettings, type SettingsStore } from './defaults';

/**
 * Non-secret station settings on `conf` (web mode). The Electron shell uses electron-store, which
 * is conf underneath: it must pass the same SETTINGS_STORE_OPTIONS so both shells read and write
 * the same file format, validated by the same schema and upgraded by the same migrations.
 */

/** Bump (semver) when the stored shape changes, and add a migration keyed by the new version. */
export const SETTINGS_VERSION = '1.0.0';

/**
 * Store migrations, keyed by the version that introduced them. Each receives the store before the
 * schema's defaults are applied and must leave it valid for SettingsSchema. Never edit a shipped one.
 */
export const SETTINGS_MIGRATIONS: Record<string, (store: Conf<Settings>) => void> = {
  // '1.1.0': (store) => { store.set('newKey', DEFAULT_SETTINGS.newKey); },
};

/**
 * The JSON schema is derived from the contract's zod schema (one source of truth). Refinements
 * zod cannot express in JSON schema (the currency list) are re-checked with zod on every read.
 */
function jsonSchemaParts() {
  const schema = z.toJSONSchema(SettingsSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as {
    properties: Record<string, object>;
    required?: string[];
  };
  return {
    properties: schema.properties,
    rootSchema: { required: schema.required ?? [], additionalProperties: false },
  };
}

const parts = jsonSchemaParts();

export const SETTINGS_STORE_OPTIONS = {
  configName: 'settings',
  // conf passes `schema` as the object's `properties`; the root keywords go in `rootSchema`.
  schema: parts.properties,
  rootSchema: parts.rootSchema,
  defaults: DEFAULT_SETTINGS,
  projectVersion: SETTINGS_VERSION,
  migrations: SETTINGS_MIGRATIONS,
  // A damaged settings file is reported, not silently replaced by defaults.
  clearInvalidConfig: false,
  // Keys are plain names; no dot paths (and so no "__proto__.x" surprises).
  accessPropertiesByDotNotation: false,
  configFileMode: 0o600,
  // The schema is zod's output, checked against the 2020-12 meta-schema in the tests
  // (conf-store.test.ts); checking it at every start compiled the meta-schema, ~70 ms of the start.
  ajvOptions: { validateSchema: false },
} as const;

export class ConfSettingsStore implements SettingsStore {
  private readonly conf: Conf<Settings>;

  constructor(dataDir: string) {
    privateDir(dataDir);
    this.conf = new Conf<Settings>({
      ...SETTINGS_STORE_OPTIONS,
      // Spread copies so conf never holds on to (or freezes) our shared constants.
      schema: structuredClone(SETTINGS_STORE_OPTIONS.schema),
      rootSchema: structuredClone(SETTINGS_STORE_OPTIONS.rootSchema),
      defaults: structuredClone(DEFAULT_SETTINGS),
      migrations: { ...SETTINGS_MIGRATIONS },
      ajvOptions: { ...SETTINGS_STORE_OPTIONS.ajvOptions },
      cwd: dataDir,
    });
  }

  /** conf hands out the same (cached, frozen) store until the file is written: parsed once per change. */
  private parsed: { raw: unknown; value: Settings } | null = null;

  get(): Settings {
    const raw = this.conf.store;
    if (this.parsed?.raw !== raw) this.parsed = { raw, value: frozenSettings(SettingsSchema.parse(structuredClone(raw))) };
    return this.parsed.value;
  }

  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.safeParse({ ...this.get(), ...patch });
    if (!next.success) {
      throw new ContractError('VALIDATION', 'Some settings are not valid', Object.fromEntries(next.error.issues.slice(0, 20).map((i) => [i.path.join('.') || '_', i.message])));
    }
    // One write of the whole object: conf validates it against the schema before touching the file.
    this.conf.store = next.data;
    return this.get();
  }

  /** Where the file lives (for docs and support). */
  get path(): string {
    return this.conf.path;
  }
}
