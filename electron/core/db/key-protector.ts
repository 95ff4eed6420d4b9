import { randomBytes, scrypt as scryptCb, timingSafeEqual, createCipheriv, createDecipheriv } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string | Buffer, salt: Buffer, keylen: number, opts: object) => Promise<Buffer>;

/**
 * Wraps the 32-byte database key. The wrapped form is what goes to disk (key.json beside the
 * database); the raw key only ever lives in memory. Electron's safeStorage protector lives in
 * electron/main; this passphrase one serves web mode and tests.
 */
export interface KeyProtector {
  /** Recorded with the wrapped key so the right protector is used to unwrap it. */
  readonly backend: string;
  wrap(key: Buffer): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey): Promise<Buffer>;
}

export interface WrappedKey {
  backend: string;
  /** base64 */
  data: string;
  params?: Record<string, string | number>;
}

export class KeyUnwrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnwrapError';
  }
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** scrypt-derived key-encryption key, AES-256-GCM around the database key. */
export class PassphraseKeyProtector implements KeyProtector {
  readonly backend = 'passphrase-scrypt';
  constructor(
    private readonly passphrase: string,
    private readonly cost: { N: number } = { N: SCRYPT.N },
  ) {
    if (passphrase.length < 8) throw new RangeError('The passphrase must have at least 8 characters');
  }

  async wrap(key: Buffer): Promise<WrappedKey> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kek = await scrypt(this.passphrase, salt, 32, { ...SCRYPT, N: this.cost.N });
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    const tag = cipher.getAuthTag();
    kek.fill(0); // the cipher holds its own copy; ours need not outlive the call
    return {
      backend: this.backend,
      data: Buffer.concat([iv, tag, body]).toString('base64'),
      params: { salt: salt.toString('base64'), N: this.cost.N, r: SCRYPT.r, p: SCRYPT.p },
    };
  }

  async unwrap(wrapped: WrappedKey): Promise<Buffer> {
    if (wrapped.backend !== this.backend) {
      throw new KeyUnwrapError(`The database key was protected with "${wrapped.backend}", not a passphrase`);
    }
    const salt = Buffer.from(String(wrapped.params?.salt ?? ''), 'base64');
    const N = Number(wrapped.params?.N ?? SCRYPT.N);
    const raw = Buffer.from(wrapped.data, 'base64');
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(12, 28);
    const body = raw.subarray(28);
    const kek = await scrypt(this.passphrase, salt, 32, { ...SCRYPT, N });
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, iv);
      decipher.setAuthTag(tag);
      const key = Buffer.concat([decipher.update(body), decipher.final()]);
      if (key.length !== 32) throw new Error('bad length');
      return key;
    } catch {
      throw new KeyUnwrapError('Wrong passphrase: the database key cannot be unwrapped');
    } finally {
      kek.fill(0);
    }
  }
}

export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
