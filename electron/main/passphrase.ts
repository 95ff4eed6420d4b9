import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyUnwrapError, PassphraseKeyProtector } from '../core/db/key-protector';
import type { KeyProtector, WrappedKey } from '../core/db/key-protector';
import { PASSPHRASE_MIN_LENGTH } from '../../shared/unlock/api';
import type { UnlockMode, UnlockReason } from '../../shared/unlock/api';

/**
 * The passphrase path of the ledger key (Linux without a keyring, or a ledger created that way):
 * what main asks the unlock window (or POS_PASSPHRASE) for, and the protectors handed to the core.
 *
 * The passphrase itself is only ever a local variable: it is used once (scrypt) and dropped.
 * Strings cannot be overwritten in JavaScript, so "wiping" means no copies, no logs, no disk, no
 * long-lived references; the raw database key it unwraps is a Buffer and is zero-filled once the
 * ledger is open (`release()`).
 */

/** PassphraseKeyProtector's backend name (pinned against the real class by passphrase.test.ts). */
export const PASSPHRASE_BACKEND = 'passphrase-scrypt';

/** The passphrase does not unwrap the key. Nothing was written anywhere. */
export class WrongPassphraseError extends Error {
  constructor() {
    super('The passphrase does not unlock the ledger');
    this.name = 'WrongPassphraseError';
  }
}

/** The person closed the unlock window: the app quits without an error box. */
export class UnlockCancelledError extends Error {
  constructor() {
    super('The ledger was not unlocked');
    this.name = 'UnlockCancelledError';
  }
}

/** A protector that holds something sensitive until the ledger is open. */
export interface ReleasableKeyProtector extends KeyProtector {
  /** Zero-fills what can be zero-filled and drops the rest. Idempotent. */
  release(): void;
}

export function isReleasable(p: KeyProtector): p is ReleasableKeyProtector {
  return typeof (p as Partial<ReleasableKeyProtector>).release === 'function';
}

/**
 * What main asks for: on the first run a new passphrase (`create`), later the passphrase that
 * wrapped key.json (`unlock`). `attempt` checks a candidate and returns the protector for the
 * core, or throws WrongPassphraseError (unlock only). It writes nothing: on the first run the key
 * file is written by openLedger, after the person confirmed the passphrase.
 */
export interface PassphraseRequest {
  mode: UnlockMode;
  reason: UnlockReason;
  attempt(passphrase: string): Promise<ReleasableKeyProtector>;
}

/** Opens the unlock window (or reads POS_PASSPHRASE) and resolves once `attempt` succeeded. */
export type PassphrasePrompt = (request: PassphraseRequest) => Promise<ReleasableKeyProtector>;

export interface PassphraseRequestOptions {
  /** How a passphrase becomes a protector; tests pass a cheaper scrypt cost for the create path. */
  protectorFor?: (passphrase: string) => KeyProtector;
}

const defaultProtectorFor = (passphrase: string): KeyProtector => new PassphraseKeyProtector(passphrase);

/** key.json of a ledger directory, or null when there is none (first run). */
export function readWrappedKey(ledgerDir: string): WrappedKey | null {
  const file = path.join(ledgerDir, 'key.json');
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<WrappedKey> | null;
  if (!parsed || typeof parsed.backend !== 'string' || typeof parsed.data !== 'string') {
    throw new Error(`The ledger's key file (${file}) is damaged`);
  }
  return { backend: parsed.backend, data: parsed.data, ...(parsed.params ? { params: parsed.params } : {}) };
}

/**
 * The request for one ledger directory. Refuses up front what no passphrase can fix: a ledger
 * file without its key file, or a key file wrapped by something other than a passphrase.
 */
export function passphraseRequest(ledgerDir: string, reason: UnlockReason, opts: PassphraseRequestOptions = {}): PassphraseRequest {
  const protectorFor = opts.protectorFor ?? defaultProtectorFor;
  const wrapped = readWrappedKey(ledgerDir);
  if (!wrapped) {
    if (existsSync(path.join(ledgerDir, 'ledger.db'))) {
      throw new Error(`The ledger in ${ledgerDir} exists but its key file (key.json) is missing; restore it from the backup it came with`);
    }
    return {
      mode: 'create',
      reason,
      attempt: async (passphrase) => {
        assertLength(passphrase);
        return new OnceKeyProtector(protectorFor(passphrase));
      },
    };
  }
  if (wrapped.backend !== PASSPHRASE_BACKEND) {
    throw new Error(`The ledger's key is protected by "${wrapped.backend}", which a passphrase cannot open`);
  }
  return {
    mode: 'unlock',
    reason: 'stored-with-passphrase',
    attempt: async (passphrase) => {
      assertLength(passphrase);
      let key: Buffer;
      try {
        key = await protectorFor(passphrase).unwrap(wrapped);
      } catch (e) {
        if (e instanceof KeyUnwrapError) throw new WrongPassphraseError();
        throw e;
      }
      return new VerifiedKeyProtector(wrapped, key);
    },
  };
}

function assertLength(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length < PASSPHRASE_MIN_LENGTH) {
    throw new RangeError(`The passphrase must have at least ${PASSPHRASE_MIN_LENGTH} characters`);
  }
}

/**
 * The key as already unwrapped by the unlock attempt, so the ledger opens without a second scrypt
 * and without keeping the passphrase. It only answers for the exact key file it verified (if
 * key.json changed in between, the ledger refuses to open), never wraps a new key, and the key is
 * zero-filled on `release()`.
 */
export class VerifiedKeyProtector implements ReleasableKeyProtector {
  readonly backend = PASSPHRASE_BACKEND;
  private key: Buffer | null;

  constructor(
    private readonly verified: WrappedKey,
    key: Buffer,
  ) {
    this.key = key;
  }

  async wrap(): Promise<WrappedKey> {
    throw new KeyUnwrapError('The key file disappeared while the ledger was being unlocked');
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    if (!this.key) throw new KeyUnwrapError('The unlocked key was already used');
    if (wrapped.backend !== this.verified.backend || wrapped.data !== this.verified.data || JSON.stringify(wrapped.params ?? {}) !== JSON.stringify(this.verified.params ?? {})) {
      throw new KeyUnwrapError('The key file changed while the ledger was being unlocked');
    }
    return this.key;
  }

  release(): void {
    this.key?.fill(0);
    this.key = null;
  }
}

/**
 * First run: wraps the new database key with the chosen passphrase once, then lets go of the
 * passphrase protector (the core keeps its options object for its lifetime; this keeps the
 * passphrase out of it).
 */
export class OnceKeyProtector implements ReleasableKeyProtector {
  readonly backend: string;
  private inner: KeyProtector | null;

  constructor(inner: KeyProtector) {
    this.inner = inner;
    this.backend = inner.backend;
  }

  private take(): KeyProtector {
    const inner = this.inner;
    if (!inner) throw new KeyUnwrapError('The passphrase was already used');
    this.inner = null;
    return inner;
  }

  async wrap(key: Buffer): Promise<WrappedKey> {
    return this.take().wrap(key);
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    return this.take().unwrap(wrapped);
  }

  release(): void {
    this.inner = null;
  }
}

/**
 * Delay before the next attempt after `failures` wrong passphrases in a row: none for the first
 * three (typos), then 2 s, 4 s, 8 s… up to a minute. Kept in memory only: a wrong attempt changes
 * nothing on disk. (Someone who copied key.json can guess offline at scrypt speed anyway; this is
 * for the person at the screen.)
 */
export function retryDelayMs(failures: number): number {
  if (failures <= 3) return 0;
  return Math.min(60_000, 1000 * 2 ** (failures - 3));
}

/** The env variable for unattended starts (kiosk, service account, tests). */
export const PASSPHRASE_ENV = 'POS_PASSPHRASE';

/**
 * Reads POS_PASSPHRASE once and removes it from the environment, so it is not inherited by any
 * child process and not readable later from process.env. Empty means unset.
 */
export function takeEnvPassphrase(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[PASSPHRASE_ENV];
  delete env[PASSPHRASE_ENV];
  return value ? value : undefined;
}

/**
 * POS_PASSPHRASE first (unattended starts), else the interactive prompt. A configured passphrase
 * that is too short or wrong is an error naming the variable, not a silent fallback to a window
 * nobody may be watching.
 */
export function withEnvPassphrase(fromEnv: string | undefined, interactive: PassphrasePrompt): PassphrasePrompt {
  let pending = fromEnv;
  return async (request) => {
    const passphrase = pending;
    pending = undefined; // used once, then no reference is kept
    if (passphrase === undefined) return interactive(request);
    if (passphrase.length < PASSPHRASE_MIN_LENGTH) {
      throw new Error(`${PASSPHRASE_ENV} is set but shorter than ${PASSPHRASE_MIN_LENGTH} characters. Correct it, or start the app without it to type the passphrase.`);
    }
    try {
      return await request.attempt(passphrase);
    } catch (e) {
      if (e instanceof WrongPassphraseError) {
        throw new Error(`${PASSPHRASE_ENV} does not unlock this ledger. Correct it, or start the app without it to type the passphrase.`, { cause: e });
      }
      throw e;
    }
  };
}
