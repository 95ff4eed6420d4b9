import { ContractError, DEFAULT_LINK_EXPIRY, DEFAULT_SCANNER, SettingsSchema, type Settings } from '../../../shared/contract';

/** What a fresh station starts with; documented in docs/settings.md. */
export const DEFAULT_SETTINGS: Settings = {
  stationName: 'Desk 1',
  merchantName: 'Sandbox Trading Co.',
  merchantAddress: '1 Market Street',
  currency: 'USD',
  locale: 'en-US',
  defaultTaxRateBp: 0,
  idleLockMinutes: 15,
  refundApprovalLimit: 0,
  allowSelfApproval: false,
  // Ten minutes: the email API defaults to 60 s (seed 003), too short for a customer finding the
  // mail during a call; its own example asks for 600, and Settings allows 30 s to 1 hour.
  confirmationTimeoutSeconds: 600,
  offlineCharges: {
    enabled: false,
    perCharge: 10_000,
    totalOutstanding: 50_000,
    maxCount: 20,
    maxAgeHours: 24,
  },
  paymentLinks: DEFAULT_LINK_EXPIRY,
  scanner: DEFAULT_SCANNER,
  timeZone: null,
};

/**
 * Settings are read on every payment (limits, approval rules, the station's name): a store hands out
 * one deeply frozen object until the settings change, instead of a fresh copy per read (copying and
 * re-validating them was ~4 % of a forwarded operation's CPU, issue #21). A caller that wants to
 * change something makes its own copy; writing into the frozen object throws.
 */
export function frozenSettings(value: Settings): Settings {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

export interface SettingsStore {
  /** The current settings, frozen (see frozenSettings). */
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}

/** In-memory store for tests; the shells use conf / electron-store with the same schema. */
export class MemorySettingsStore implements SettingsStore {
  private value: Settings;
  constructor(initial: Partial<Settings> = {}) {
    this.value = frozenSettings({ ...DEFAULT_SETTINGS, ...initial });
  }
  get(): Settings {
    return this.value;
  }
  /** Validated like the conf store: a test cannot set what the station would refuse. */
  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.safeParse({ ...this.value, ...patch });
    if (!next.success) throw new ContractError('VALIDATION', 'Some settings are not valid', Object.fromEntries(next.error.issues.slice(0, 20).map((i) => [i.path.join('.') || '_', i.message])));
    this.value = frozenSettings(next.data);
    return this.get();
  }
}
