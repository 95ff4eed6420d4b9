import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { KeyUnwrapError, PassphraseKeyProtector } from '../core/db/key-protector';
import {
  OnceKeyProtector,
  PASSPHRASE_BACKEND,
  passphraseRequest,
  retryDelayMs,
  takeEnvPassphrase,
  VerifiedKeyProtector,
  withEnvPassphrase,
  WrongPassphraseError,
} from './passphrase';
import type { PassphraseRequest } from './passphrase';

const RIGHT = 'correct horse battery staple';
// A cheap scrypt for tests; the cost is recorded in key.json, so unwrapping uses it too.
const cheap = (p: string) => new PassphraseKeyProtector(p, { N: 1 << 10 });

const dirs: string[] = [];
function ledgerDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pos-passphrase-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withKeyFile(passphrase = RIGHT): Promise<{ dir: string; key: Buffer; text: string }> {
  const dir = ledgerDir();
  const key = randomBytes(32);
  const text = JSON.stringify(await cheap(passphrase).wrap(key));
  writeFileSync(path.join(dir, 'key.json'), text, { mode: 0o600 });
  return { dir, key, text };
}

describe('passphraseRequest', () => {
  it('names the same backend as PassphraseKeyProtector', () => {
    expect(PASSPHRASE_BACKEND).toBe(new PassphraseKeyProtector('12345678').backend);
  });

  it('first run (no key.json): create mode; the attempt writes nothing and yields a one-shot protector', async () => {
    const dir = ledgerDir();
    const req = passphraseRequest(dir, 'insecure-backend', { protectorFor: cheap });
    expect(req).toMatchObject({ mode: 'create', reason: 'insecure-backend' });
    const protector = await req.attempt(RIGHT);
    expect(protector).toBeInstanceOf(OnceKeyProtector);
    expect(protector.backend).toBe(PASSPHRASE_BACKEND);
    expect(readdirSync(dir)).toEqual([]);
    const key = randomBytes(32);
    const wrapped = await protector.wrap(key);
    expect(await cheap(RIGHT).unwrap(wrapped)).toEqual(key);
    // Used once: the passphrase protector is gone.
    await expect(protector.wrap(key)).rejects.toThrow(KeyUnwrapError);
  });

  it('refuses a passphrase shorter than 8 characters', async () => {
    await expect(passphraseRequest(ledgerDir(), 'insecure-backend').attempt('1234567')).rejects.toThrow(RangeError);
  });

  it('refuses up front a ledger without its key file, and a key no passphrase can open', async () => {
    const orphan = ledgerDir();
    writeFileSync(path.join(orphan, 'ledger.db'), 'x');
    expect(() => passphraseRequest(orphan, 'insecure-backend')).toThrow(/key file \(key\.json\) is missing/);
    const keychain = ledgerDir();
    writeFileSync(path.join(keychain, 'key.json'), JSON.stringify({ backend: 'electron-safe-storage', data: 'AAAA' }));
    expect(() => passphraseRequest(keychain, 'stored-with-passphrase')).toThrow(/"electron-safe-storage", which a passphrase cannot open/);
    const damaged = ledgerDir();
    writeFileSync(path.join(damaged, 'key.json'), '{"nope":1}');
    expect(() => passphraseRequest(damaged, 'stored-with-passphrase')).toThrow(/damaged/);
  });

  it('later run: a wrong passphrase throws WrongPassphraseError and changes nothing on disk', async () => {
    const { dir, text } = await withKeyFile();
    const before = statSync(path.join(dir, 'key.json')).mtimeMs;
    const req = passphraseRequest(dir, 'stored-with-passphrase');
    expect(req.mode).toBe('unlock');
    await expect(req.attempt('not the passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(readdirSync(dir)).toEqual(['key.json']);
    expect(readFileSync(path.join(dir, 'key.json'), 'utf8')).toBe(text);
    expect(statSync(path.join(dir, 'key.json')).mtimeMs).toBe(before);
  });

  it('later run: the right passphrase yields the verified key, for that key file only, zero-filled on release', async () => {
    const { dir, key, text } = await withKeyFile();
    const protector = await passphraseRequest(dir, 'stored-with-passphrase').attempt(RIGHT);
    expect(protector).toBeInstanceOf(VerifiedKeyProtector);
    const unwrapped = await protector.unwrap(JSON.parse(text));
    expect(unwrapped).toEqual(key);
    // Another key file (changed between the check and the open) is refused, and so is a new key.
    const other = await cheap(RIGHT).wrap(randomBytes(32));
    await expect(protector.unwrap(other)).rejects.toThrow(/changed while the ledger was being unlocked/);
    await expect(protector.wrap(randomBytes(32))).rejects.toThrow(KeyUnwrapError);
    protector.release();
    expect(unwrapped.equals(Buffer.alloc(32))).toBe(true);
    await expect(protector.unwrap(JSON.parse(text))).rejects.toThrow(KeyUnwrapError);
  });
});

describe('retryDelayMs', () => {
  it('lets three typos pass, then doubles from 2 s up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(retryDelayMs)).toEqual([0, 0, 0, 0, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
  });
});

describe('POS_PASSPHRASE', () => {
  it('is read once and removed from the environment; empty means unset', () => {
    const env: NodeJS.ProcessEnv = { POS_PASSPHRASE: RIGHT, OTHER: '1' };
    expect(takeEnvPassphrase(env)).toBe(RIGHT);
    expect(env).toEqual({ OTHER: '1' });
    expect(takeEnvPassphrase(env)).toBeUndefined();
    expect(takeEnvPassphrase({ POS_PASSPHRASE: '' })).toBeUndefined();
  });

  function request(mode: 'create' | 'unlock', right = RIGHT): PassphraseRequest & { attempt: ReturnType<typeof vi.fn> } {
    return {
      mode,
      reason: 'insecure-backend',
      attempt: vi.fn(async (p: string) => {
        if (p !== right) throw new WrongPassphraseError();
        return new OnceKeyProtector(cheap(p));
      }),
    };
  }

  it('answers instead of the window (unattended start), once', async () => {
    const interactive = vi.fn();
    const ask = withEnvPassphrase(RIGHT, interactive);
    const req = request('unlock');
    await expect(ask(req)).resolves.toBeInstanceOf(OnceKeyProtector);
    expect(req.attempt).toHaveBeenCalledWith(RIGHT);
    expect(interactive).not.toHaveBeenCalled();
    // A second request (never made today) would go to the window: the value is not kept.
    await ask(req);
    expect(interactive).toHaveBeenCalledTimes(1);
  });

  it('without it, the window asks', async () => {
    const interactive = vi.fn(async () => new OnceKeyProtector(cheap(RIGHT)));
    const req = request('create');
    await withEnvPassphrase(undefined, interactive)(req);
    expect(interactive).toHaveBeenCalledWith(req);
  });

  it('too short or wrong: an error naming the variable, never the value, and no window', async () => {
    const interactive = vi.fn();
    const short = withEnvPassphrase('short', interactive)(request('unlock'));
    await expect(short).rejects.toThrow(/POS_PASSPHRASE is set but shorter than 8 characters/);
    const wrong = withEnvPassphrase('the wrong passphrase', interactive)(request('unlock'));
    await expect(wrong).rejects.toThrow(/POS_PASSPHRASE does not unlock this ledger/);
    await wrong.catch((e: Error) => expect(e.message).not.toContain('the wrong passphrase'));
    expect(interactive).not.toHaveBeenCalled();
  });
});
