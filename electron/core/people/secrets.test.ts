import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashSecret, verifySecret } from './secrets';

describe('PIN hashing', () => {
  it('uses scrypt with a random salt and its parameters stored alongside', () => {
    const a = hashSecret('123456', DEFAULT_SCRYPT);
    const b = hashSecret('123456', DEFAULT_SCRYPT);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(verifySecret('123456', a)).toBe(true);
    expect(verifySecret('123457', a)).toBe(false);
  });

  it('verifies against a hash made with other parameters, and never matches a malformed one', () => {
    const cheap = hashSecret('pass phrase', { N: 1024, r: 8, p: 1 });
    expect(verifySecret('pass phrase', cheap)).toBe(true);
    for (const bad of ['', 'scrypt$', 'bcrypt$1$2$3$4$5', 'scrypt$0$8$1$AAAA$AAAA', cheap.replace(/\$[^$]+$/, '$AAAA')]) {
      expect(verifySecret('pass phrase', bad)).toBe(false);
    }
  });

  it('treats composed and decomposed accents in a password alike', () => {
    const h = hashSecret('café-2026', { N: 1024, r: 8, p: 1 });
    expect(verifySecret('cafe\u0301-2026', h)).toBe(true);
  });
});
