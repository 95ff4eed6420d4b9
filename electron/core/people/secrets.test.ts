import { describe, expect, it } from 'vitest';
import { randomBytes, scryptSync } from 'node:crypto';
import { DEFAULT_SCRYPT, hashSecret, verifySecret } from './secrets';

describe('PIN hashing', async () => {
  it('uses scrypt with a random salt and its parameters stored alongside', async () => {
    const a = await hashSecret('123456', DEFAULT_SCRYPT);
    const b = await hashSecret('123456', DEFAULT_SCRYPT);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(await verifySecret('123456', a)).toBe(true);
    expect(await verifySecret('123457', a)).toBe(false);
  });

  it('verifies against a hash made with other parameters, and never matches a malformed one', async () => {
    const cheap = await hashSecret('pass phrase', { N: 1024, r: 8, p: 1 });
    expect(await verifySecret('pass phrase', cheap)).toBe(true);
    for (const bad of ['', 'scrypt$', 'bcrypt$1$2$3$4$5', 'scrypt$0$8$1$AAAA$AAAA', cheap.replace(/\$[^$]+$/, '$AAAA')]) {
      expect(await verifySecret('pass phrase', bad)).toBe(false);
    }
  });

  it('treats composed and decomposed accents in a password alike', async () => {
    const h = await hashSecret('café-2026', { N: 1024, r: 8, p: 1 });
    expect(await verifySecret('cafe\u0301-2026', h)).toBe(true);
  });
});

describe('PIN hashing off the event loop', () => {
  it('a timer fires while a PIN is verified at the production cost (scrypt runs on the thread pool)', async () => {
    const stored = await hashSecret('123456', DEFAULT_SCRYPT);
    const order: string[] = [];
    const timer = new Promise<void>((resolve) => setTimeout(() => {
      order.push('timer');
      resolve();
    }, 1));
    // With scryptSync the whole hash ran before the timer could: order was ['verified', 'timer'].
    const verified = verifySecret('123456', stored).then((ok) => order.push(`verified ${ok}`));
    await Promise.all([timer, verified]);
    expect(order).toEqual(['timer', 'verified true']);
  });
});

describe('PINs stored before the change keep working', () => {
  // Made by the synchronous implementation (scryptSync, same format) before hashing became
  // asynchronous; a ledger full of these must still sign everyone in.
  const STORED_BY_SYNC_CODE = {
    cheap: 'scrypt$1024$8$1$y/IcbZRC3GZKc1goDPQMlg==$no+c4tlr3JGC+6UkOtiS0gLEHjwvA2IkYuVa1yPDy3g=',
    production: 'scrypt$32768$8$1$y6IWZOoSs4FJ5HIRYY2kUA==$ieUz6Asqx6Em7ZdqHGoe3YFJloECsWTmUBjY65Ug9cE=',
  };

  it('a hash made by the old synchronous code verifies with the new code, and only for its own PIN', async () => {
    expect(await verifySecret('246810', STORED_BY_SYNC_CODE.cheap)).toBe(true);
    expect(await verifySecret('246811', STORED_BY_SYNC_CODE.cheap)).toBe(false);
    expect(await verifySecret('135790', STORED_BY_SYNC_CODE.production)).toBe(true);
    expect(await verifySecret('135791', STORED_BY_SYNC_CODE.production)).toBe(false);
  });

  it('a hash made now by scryptSync in the stored format verifies, and a new hash keeps that format', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('777777', salt, 32, { N: 1024, r: 8, p: 1, maxmem: 256 * 1024 * 8 + (1 << 20) });
    const old = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifySecret('777777', old)).toBe(true);
    const fresh = await hashSecret('777777', { N: 1024, r: 8, p: 1 });
    const [, n, r, p, s, k] = fresh.split('$');
    expect([n, r, p]).toEqual(['1024', '8', '1']);
    expect(scryptSync('777777', Buffer.from(s!, 'base64'), 32, { N: 1024, r: 8, p: 1 }).equals(Buffer.from(k!, 'base64'))).toBe(true);
  });
});

describe('a PIN typed in either digit set', () => {
  const cheap = { N: 1024, r: 8, p: 1 };

  it('is one PIN: set in Arabic-Indic digits, it signs in with Latin ones, and the other way round', async () => {
    const arabic = await hashSecret('٢٤٦٨١٠', cheap);
    expect(await verifySecret('246810', arabic)).toBe(true);
    expect(await verifySecret('٢٤٦٨١٠', arabic)).toBe(true);
    expect(await verifySecret('۲۴۶۸۱۰', arabic)).toBe(true); // Extended Arabic-Indic (a Persian layout)
    expect(await verifySecret('246811', arabic)).toBe(false);
    const latin = await hashSecret('246810', cheap);
    expect(await verifySecret('٢٤٦٨١٠', latin)).toBe(true);
    expect(await verifySecret('٢٤٦٨١١', latin)).toBe(false);
    expect(arabic.includes('246810') || arabic.includes('٢٤٦٨١٠')).toBe(false);
  });

  it('a hash made before, from Arabic-Indic digits as typed, still matches in both digit sets, and only its own PIN', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('٢٤٦٨١٠', salt, 32, { ...cheap, maxmem: 256 * 1024 * 8 + (1 << 20) });
    const before = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifySecret('٢٤٦٨١٠', before)).toBe(true);
    expect(await verifySecret('246810', before)).toBe(true);
    expect(await verifySecret('246811', before)).toBe(false);
    expect(await verifySecret('٢٤٦٨١١', before)).toBe(false);
  });
});
