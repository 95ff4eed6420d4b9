import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { arabicIndicDigits, asciiDigits } from '../../../shared/domain/digits';

/**
 * PIN / password hashing with scrypt. The stored string carries its own salt and parameters
 * (`scrypt$N$r$p$salt$hash`, base64) so the cost can be raised later without breaking old hashes.
 * Asynchronous: one hash costs tens of milliseconds (about 80 ms at the default cost), which
 * crypto.scrypt spends on libuv's thread pool instead of the main process's event loop, so the
 * gateway, the timers and the other windows go on meanwhile. Callers that need a synchronous
 * ledger transaction verify first, then re-check inside it (docs/decisions/async-pin-hashing.md).
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 1 << 15, r: 8, p: 1 };
let current: ScryptParams = DEFAULT_SCRYPT;

/**
 * Tests lower the cost so hundreds of sign-ins stay fast; stored hashes carry their own
 * parameters, so nothing else changes. Production never calls this.
 */
export function useScryptParamsForTests(p: ScryptParams): void {
  current = p;
  decoy = undefined;
}
const KEY_LEN = 32;
const SALT_LEN = 16;

function derive(secret: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  // maxmem must cover 128 * N * r bytes plus headroom.
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + (1 << 20) };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashSecret(secret: string, params: ScryptParams = current): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(asciiDigits(secret), salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * Whichever digit set the PIN is typed in (a PIN of ٢٤٦٨١٠ is 246810): it is hashed with ASCII
 * digits. A hash made before that (2026-12-08) from Arabic-Indic digits as typed still matches:
 * that form is tried second, when the first does not match and the PIN has digits.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const ascii = asciiDigits(secret);
  if (await verifyExactly(ascii, stored)) return true;
  const asTypedBefore = arabicIndicDigits(ascii);
  return asTypedBefore !== ascii && verifyExactly(asTypedBefore, stored);
}

/** Constant-time comparison; a malformed stored value never matches. */
async function verifyExactly(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((x) => Number.isSafeInteger(x) && x > 0)) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await derive(secret, Buffer.from(saltB64, 'base64'), params);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash of nothing anyone knows: verified against when the user does not exist, so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashSecret(randomBytes(16).toString('hex')));
}
