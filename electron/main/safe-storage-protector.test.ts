import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ safeStorage: {} }));

import { KeyUnwrapError, PassphraseKeyProtector } from '../core/db/key-protector';
import { chooseKeyProtector, SAFE_STORAGE_BACKEND, SafeStorageKeyProtector, SafeStorageUnavailableError, type SafeStorageLike } from './safe-storage-protector';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** A stand-in for safeStorage: AES-like sealing is irrelevant here, only that it is reversible and keyed. */
function fakeSafeStorage(backend: Backend = 'gnome_libsecret', available = true, secret = randomBytes(8).toString('hex')) {
  const s = {
    getSelectedStorageBackend: vi.fn(() => backend),
    isAsyncEncryptionAvailable: vi.fn(async () => available),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(`${secret}:${Buffer.from(plain).toString('hex')}`)),
    decryptStringAsync: vi.fn(async (sealed: Buffer) => {
      const [k, hex] = sealed.toString().split(':');
      if (k !== secret) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: Buffer.from(hex!, 'hex').toString(), shouldReEncrypt: false };
    }),
  };
  return s;
}

describe('SafeStorageKeyProtector', () => {
  it('round-trips the database key through the async API and records the backend', async () => {
    const ss = fakeSafeStorage('kwallet6');
    const p = new SafeStorageKeyProtector(ss, 'linux');
    const key = randomBytes(32);
    const wrapped = await p.wrap(key);
    expect(wrapped.backend).toBe(SAFE_STORAGE_BACKEND);
    expect(wrapped.params).toEqual({ osBackend: 'linux:kwallet6' });
    expect(wrapped.data).not.toContain(key.toString('base64'));
    expect((await p.unwrap(wrapped)).equals(key)).toBe(true);
    expect(ss.encryptStringAsync).toHaveBeenCalledTimes(1);
    expect(ss.decryptStringAsync).toHaveBeenCalledTimes(1);
    expect(p.shouldRewrap).toBe(false);
  });

  it('records the store on macOS and Windows', async () => {
    expect((await new SafeStorageKeyProtector(fakeSafeStorage(), 'darwin').wrap(randomBytes(32))).params).toEqual({ osBackend: 'darwin:keychain' });
    expect((await new SafeStorageKeyProtector(fakeSafeStorage(), 'win32').wrap(randomBytes(32))).params).toEqual({ osBackend: 'win32:dpapi' });
  });

  it('refuses basic_text and unknown on Linux with a typed error, before encrypting anything', async () => {
    for (const backend of ['basic_text', 'unknown'] as const) {
      const ss = fakeSafeStorage(backend);
      const p = new SafeStorageKeyProtector(ss, 'linux');
      const err = await p.wrap(randomBytes(32)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SafeStorageUnavailableError);
      expect(err).toMatchObject({ reason: 'insecure-backend', osBackend: `linux:${backend}` });
      expect(ss.encryptStringAsync).not.toHaveBeenCalled();
    }
  });

  it('refuses when async encryption is not available', async () => {
    const p = new SafeStorageKeyProtector(fakeSafeStorage('gnome_libsecret', false), 'linux');
    await expect(p.wrap(randomBytes(32))).rejects.toMatchObject({ reason: 'not-available' });
  });

  it('reports a key it cannot open as KeyUnwrapError, naming a keyring change', async () => {
    const wrapped = await new SafeStorageKeyProtector(fakeSafeStorage('kwallet5', true, 'one'), 'linux').wrap(randomBytes(32));
    const other = new SafeStorageKeyProtector(fakeSafeStorage('gnome_libsecret', true, 'two'), 'linux');
    const err = await other.unwrap(wrapped).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyUnwrapError);
    expect((err as Error).message).toContain('linux:kwallet5');
    const pass = await new PassphraseKeyProtector('correct horse', { N: 1 << 10 }).wrap(randomBytes(32));
    await expect(other.unwrap(pass)).rejects.toBeInstanceOf(KeyUnwrapError);
  });

  it('asks for a re-wrap when the OS rotated its key', async () => {
    const ss = fakeSafeStorage();
    const p = new SafeStorageKeyProtector(ss, 'linux');
    const wrapped = await p.wrap(randomBytes(32));
    const original = ss.decryptStringAsync.getMockImplementation()!;
    ss.decryptStringAsync.mockImplementation(async (b: Buffer) => ({ ...(await original(b)), shouldReEncrypt: true }));
    await p.unwrap(wrapped);
    expect(p.shouldRewrap).toBe(true);
  });

  it('refuses keys that are not 32 bytes', async () => {
    await expect(new SafeStorageKeyProtector(fakeSafeStorage(), 'linux').wrap(randomBytes(16))).rejects.toThrow(RangeError);
  });
});

describe('chooseKeyProtector', () => {
  it('first run: safeStorage on a real keyring, a passphrase on basic_text / unknown / unavailable', () => {
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'gnome_libsecret', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'safe-storage' });
    expect(chooseKeyProtector({ platform: 'darwin', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'safe-storage' });
    expect(chooseKeyProtector({ platform: 'win32', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'safe-storage' });
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'basic_text', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'passphrase', reason: 'insecure-backend' });
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'unknown', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'passphrase', reason: 'insecure-backend' });
    expect(chooseKeyProtector({ platform: 'linux', asyncEncryptionAvailable: true, storedBackend: null })).toEqual({ kind: 'passphrase', reason: 'insecure-backend' });
    expect(chooseKeyProtector({ platform: 'win32', asyncEncryptionAvailable: false, storedBackend: null })).toEqual({ kind: 'passphrase', reason: 'not-available' });
  });

  it('later runs: whatever wrapped the key; a lost keyring is reported, never a silent new ledger', () => {
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'kwallet6', asyncEncryptionAvailable: true, storedBackend: SAFE_STORAGE_BACKEND })).toEqual({ kind: 'safe-storage' });
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'basic_text', asyncEncryptionAvailable: true, storedBackend: SAFE_STORAGE_BACKEND })).toMatchObject({ kind: 'locked-out' });
    expect(chooseKeyProtector({ platform: 'linux', linuxBackend: 'gnome_libsecret', asyncEncryptionAvailable: true, storedBackend: 'passphrase-scrypt' })).toEqual({ kind: 'passphrase', reason: 'stored-with-passphrase' });
  });
});
