/**
 * The unlock window's API: what its preload exposes as `window.unlock`, what main answers, and the
 * passphrase rules the page and main share. It is NOT part of the point-of-sale contract
 * (shared/contract): the unlock window exists before the ledger is open, has its own preload, and
 * can do nothing but hand a passphrase to main. No zod here, so neither the preload nor the page
 * pulls it in; main validates with its own schemas (electron/main/unlock.ts).
 */

/** IPC channels, deliberately outside the contract's `area.action` names so they cannot collide. */
export const UNLOCK_CHANNELS = {
  state: 'unlock:state',
  unlock: 'unlock:unlock',
  create: 'unlock:create',
} as const;

/** The same minimum as PassphraseKeyProtector and POS_PASSPHRASE (electron/core/db/key-protector.ts). */
export const PASSPHRASE_MIN_LENGTH = 8;
/** Generous, but bounded: scrypt runs over whatever is sent. */
export const PASSPHRASE_MAX_LENGTH = 1024;

/** `create` on the first run (no key file yet); `unlock` when the key file was wrapped with a passphrase. */
export type UnlockMode = 'create' | 'unlock';

/** Why a passphrase is needed (electron/main/safe-storage-protector.ts chooseKeyProtector). */
export type UnlockReason = 'insecure-backend' | 'not-available' | 'stored-with-passphrase';

export interface UnlockState {
  mode: UnlockMode;
  reason: UnlockReason;
  /** Wrong passphrases so far in this run of the app. */
  failures: number;
  /** 0, or how long before main accepts the next attempt. */
  retryAfterMs: number;
}

export type UnlockErrorCode =
  /** The passphrase does not unwrap the key. Nothing was changed on disk. */
  | 'WRONG_PASSPHRASE'
  /** Too many wrong passphrases: wait `retryAfterMs`. */
  | 'TOO_SOON'
  /** First run: the confirmation differs from the passphrase. */
  | 'MISMATCH'
  /** Missing, too short or too long, or not a string. */
  | 'VALIDATION'
  /** An attempt is still being checked. */
  | 'BUSY'
  /** `create` on an existing ledger or `unlock` on the first run. */
  | 'WRONG_MODE'
  /** Already unlocked: the point of sale is opening. */
  | 'DONE'
  /** The call did not come from the unlock window's own page. */
  | 'BAD_SENDER'
  | 'INTERNAL';

export interface UnlockError {
  code: UnlockErrorCode;
  /** A sentence for the person at the screen. Never contains the passphrase. */
  message: string;
  /** Which field the message belongs to, when it belongs to one. */
  field?: 'passphrase' | 'confirm';
  failures?: number;
  retryAfterMs?: number;
}

export type UnlockEnvelope = { ok: true } | { ok: false; error: UnlockError };
export type UnlockStateEnvelope = { ok: true; value: UnlockState } | { ok: false; error: UnlockError };

/**
 * The station's locale ("en-US", "ar-KW"), from its settings, so the page speaks the station's
 * language: main passes it to the preload as a command-line switch of the window's renderer
 * (webPreferences.additionalArguments), the preload reads it back from process.argv.
 */
export const UNLOCK_LOCALE_SWITCH = '--pos-station-locale=';

const LOCALE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;

/** The switch for a locale; none for something that is not a plain BCP 47 tag. */
export function localeSwitch(locale: string | null | undefined): string[] {
  return locale && LOCALE.test(locale) ? [`${UNLOCK_LOCALE_SWITCH}${locale}`] : [];
}

/** The locale main passed, read back from the renderer's argv; undefined when absent or odd. */
export function localeFromArgv(argv: readonly string[] | undefined): string | undefined {
  const arg = argv?.find((a) => a.startsWith(UNLOCK_LOCALE_SWITCH));
  const locale = arg?.slice(UNLOCK_LOCALE_SWITCH.length);
  return locale && LOCALE.test(locale) ? locale : undefined;
}

/** `window.unlock` in the unlock window (electron/preload/unlock-preload.ts). */
export interface UnlockApi {
  /** The station's locale, for the page's language; absent when main did not know it. */
  readonly locale?: string;
  state(): Promise<UnlockStateEnvelope>;
  unlock(passphrase: string): Promise<UnlockEnvelope>;
  create(passphrase: string, confirm: string): Promise<UnlockEnvelope>;
}
