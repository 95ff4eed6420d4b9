import type { SafeStorage } from 'electron';
import { KeyUnwrapError } from '../core/db/key-protector';
import type { KeyProtector, WrappedKey } from '../core/db/key-protector';

/**
 * Wraps the database key with Electron's safeStorage (OS keychain / DPAPI / libsecret / kwallet),
 * through the async API (Electron ≥ 36; the sync one is deprecated). The OS backend in use is
 * recorded in the wrapped key, so a later start can tell "the keyring changed" from "wrong key".
 *
 * On Linux without a keyring Chromium falls back to `basic_text`: a hard-coded password, i.e. no
 * protection at all. That backend (and `unknown`, which means "asked before ready") is refused
 * with SafeStorageUnavailableError, and main falls back to a passphrase (PassphraseKeyProtector).
 */

export const SAFE_STORAGE_BACKEND = 'electron-safe-storage';

/** Backends that give no real protection, or that we cannot vouch for. */
export const REFUSED_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export type SafeStorageLike = Pick<SafeStorage, 'encryptStringAsync' | 'decryptStringAsync' | 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'>;

export class SafeStorageUnavailableError extends Error {
  constructor(
    readonly reason: 'not-available' | 'insecure-backend',
    readonly osBackend: string,
    message: string,
  ) {
    super(message);
    this.name = 'SafeStorageUnavailableError';
  }
}

export class SafeStorageKeyProtector implements KeyProtector {
  readonly backend = SAFE_STORAGE_BACKEND;
  /** Set when the OS rotated its key: the caller should wrap the key again and save it. */
  shouldRewrap = false;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Which OS store protects the key, e.g. 'linux:gnome_libsecret', 'darwin:keychain', 'win32:dpapi'. */
  osBackend(): string {
    if (this.platform === 'linux') return `linux:${this.safeStorage.getSelectedStorageBackend()}`;
    if (this.platform === 'darwin') return 'darwin:keychain';
    if (this.platform === 'win32') return 'win32:dpapi';
    return `${this.platform}:unknown`;
  }

  /** Throws SafeStorageUnavailableError unless encryption is available on a real OS store. */
  async assertUsable(): Promise<string> {
    const os = this.osBackend();
    if (this.platform === 'linux') {
      const linux = os.slice('linux:'.length);
      if (REFUSED_LINUX_BACKENDS.has(linux)) {
        throw new SafeStorageUnavailableError('insecure-backend', os, `No OS keyring is available (safeStorage backend "${linux}"); a passphrase is needed instead`);
      }
    }
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      throw new SafeStorageUnavailableError('not-available', os, 'OS-level encryption is not available');
    }
    return os;
  }

  async wrap(key: Buffer): Promise<WrappedKey> {
    if (key.length !== 32) throw new RangeError('The database key must be 32 bytes');
    const os = await this.assertUsable();
    const sealed = await this.safeStorage.encryptStringAsync(key.toString('base64'));
    return { backend: this.backend, data: Buffer.from(sealed).toString('base64'), params: { osBackend: os } };
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    if (wrapped.backend !== this.backend) {
      throw new KeyUnwrapError(`The database key was protected with "${wrapped.backend}", not the OS keychain`);
    }
    const os = await this.assertUsable();
    const recorded = String(wrapped.params?.osBackend ?? '');
    let plain: { result: string; shouldReEncrypt: boolean };
    try {
      plain = await this.safeStorage.decryptStringAsync(Buffer.from(wrapped.data, 'base64'));
    } catch {
      const hint = recorded && recorded !== os ? ` (it was wrapped with ${recorded}, this session uses ${os})` : '';
      throw new KeyUnwrapError(`The OS keychain could not unwrap the database key${hint}`);
    }
    const key = Buffer.from(plain.result, 'base64');
    if (key.length !== 32) throw new KeyUnwrapError('The unwrapped database key has the wrong length');
    this.shouldRewrap = plain.shouldReEncrypt || (recorded !== '' && recorded !== os);
    return key;
  }
}

export type ProtectorChoice =
  | { kind: 'safe-storage' }
  | { kind: 'passphrase'; reason: 'stored-with-passphrase' | 'insecure-backend' | 'not-available' }
  | { kind: 'locked-out'; reason: string };

export interface ChoiceInput {
  platform: NodeJS.Platform;
  /** safeStorage.getSelectedStorageBackend() on Linux (after ready); ignored elsewhere. */
  linuxBackend?: string;
  asyncEncryptionAvailable: boolean;
  /** The backend recorded in key.json, or null on first run. */
  storedBackend: string | null;
}

/**
 * Which protector main should use. First run: safeStorage when it is real, else a passphrase.
 * Later runs: whatever wrapped the key; a key wrapped by safeStorage cannot be opened with a
 * passphrase, so losing the keyring is reported rather than silently starting a new database.
 */
export function chooseKeyProtector(input: ChoiceInput): ProtectorChoice {
  const secureBackend = input.platform !== 'linux' || !REFUSED_LINUX_BACKENDS.has(input.linuxBackend ?? 'unknown');
  const usable = secureBackend && input.asyncEncryptionAvailable;
  const unusableReason = !secureBackend ? 'insecure-backend' : 'not-available';
  if (input.storedBackend === null) return usable ? { kind: 'safe-storage' } : { kind: 'passphrase', reason: unusableReason };
  if (input.storedBackend === SAFE_STORAGE_BACKEND) {
    return usable
      ? { kind: 'safe-storage' }
      : { kind: 'locked-out', reason: 'The database key is in the OS keychain, which is not available in this session' };
  }
  return { kind: 'passphrase', reason: 'stored-with-passphrase' };
}
