import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHA_TYPES, sign, signatureString, TOKENIZATION_UNSIGNED_FIELDS, verify, type ShaType } from './signature';

const worked = {
  command: 'PURCHASE',
  merchant_reference: 'Test010',
  amount: '1000',
  access_code: 'SILgpo7pWbmzuURp2qri',
  merchant_identifier: 'MxvOupuG',
  currency: 'USD',
  language: 'en',
  customer_email: 'test@gmail.com',
};

describe('APS signature', () => {
  it('matches the documented worked example (SHA-256)', () => {
    expect(signatureString(worked, 'PASS')).toBe(
      'PASSaccess_code=SILgpo7pWbmzuURp2qriamount=1000command=PURCHASEcurrency=USDcustomer_email=test@gmail.comlanguage=enmerchant_identifier=MxvOupuGmerchant_reference=Test010PASS',
    );
    expect(sign(worked, 'PASS', 'SHA-256')).toBe('94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882');
    expect(verify({ ...worked, signature: '94C38AFC7BDAE0114FC8C740EDF12416F22998241CE4B4EA70D5521233A2C882' }, 'PASS', 'SHA-256')).toBe(true);
    expect(verify({ ...worked, amount: '1001', signature: '94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882' }, 'PASS', 'SHA-256')).toBe(false);
  });
});

// Independent oracle: the expected phrase-wrapped strings below are written by hand from §5, and
// the digests are computed here with node:crypto, not through signature.ts.

function oracle(text: string, phrase: string, shaType: ShaType): string {
  switch (shaType) {
    case 'SHA-256':
      return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
    case 'SHA-512':
      return createHash('sha512').update(Buffer.from(text, 'utf8')).digest('hex');
    case 'HMAC-SHA256':
      return createHmac('sha256', Buffer.from(phrase, 'utf8')).update(Buffer.from(text, 'utf8')).digest('hex');
    case 'HMAC-SHA512':
      return createHmac('sha512', Buffer.from(phrase, 'utf8')).update(Buffer.from(text, 'utf8')).digest('hex');
  }
}

const WORKED_STRING =
  'PASSaccess_code=SILgpo7pWbmzuURp2qriamount=1000command=PURCHASEcurrency=USDcustomer_email=test@gmail.comlanguage=enmerchant_identifier=MxvOupuGmerchant_reference=Test010PASS';

describe('APS signature, every algorithm', () => {
  it('knows exactly the four back-office types', () => {
    expect([...SHA_TYPES]).toEqual(['SHA-256', 'SHA-512', 'HMAC-SHA256', 'HMAC-SHA512']);
  });

  it.each(SHA_TYPES.map((t) => [t]))('%s over the worked example: hash of the phrase-wrapped string (HMAC key = phrase)', (shaType) => {
    const expected = oracle(WORKED_STRING, 'PASS', shaType);
    expect(sign(worked, 'PASS', shaType)).toBe(expected);
    expect(expected).toHaveLength(shaType.endsWith('512') ? 128 : 64);
    expect(verify({ ...worked, signature: expected }, 'PASS', shaType)).toBe(true);
    expect(verify({ ...worked, signature: expected.toUpperCase() }, 'PASS', shaType)).toBe(true);
    expect(verify({ ...worked, signature: expected }, 'PASS2', shaType)).toBe(false);
  });

  it('pins the worked example digests for SHA-512 and the HMACs against fixed literals', () => {
    // Computed once with `openssl dgst -sha512` / `openssl dgst -sha256|-sha512 -hmac PASS` over
    // WORKED_STRING: fixed literals guard against the oracle and the code drifting together.
    expect(sign(worked, 'PASS', 'SHA-256')).toBe('94c38afc7bdae0114fc8c740edf12416f22998241ce4b4ea70d5521233a2c882');
    expect(sign(worked, 'PASS', 'SHA-512')).toBe(
      '01575815bbdb23a862855bf2087012e243215e6464b6239a422d9a85936adca90bf6c3227c180890ad13b00ddf3a248608053d7174cbe622f24bdf2d5f345638',
    );
    expect(sign(worked, 'PASS', 'HMAC-SHA256')).toBe('b592468a25c7292cdadb2e58c3c184e5b868eda03d8c2920f66fe16a587681f3');
    expect(sign(worked, 'PASS', 'HMAC-SHA512')).toBe(
      '4c3addc9583cdadb5861d22926c2e6735aa32e18a747981fdafe454b050c38651bf96ab468ce24619468d87b8dad45820803b95595c3dca5710604ce363e75a2',
    );
  });

  it('a different algorithm never verifies', () => {
    for (const a of SHA_TYPES) {
      for (const b of SHA_TYPES) {
        if (a === b) continue;
        expect(verify({ ...worked, signature: sign(worked, 'PASS', a) }, 'PASS', b)).toBe(false);
      }
    }
  });
});

describe('APS signature string encodings (§5.2)', () => {
  it('nested object: name={k1=v1, k2=v2} in insertion order, not sorted', () => {
    const params = {
      command: 'PURCHASE',
      apple_header: { transactionId: 't1', ephemeralPublicKey: 'k', publicKeyHash: 'h' },
    };
    const expected = 'Papple_header={transactionId=t1, ephemeralPublicKey=k, publicKeyHash=h}command=PURCHASEP';
    expect(signatureString(params, 'P')).toBe(expected);
    for (const t of SHA_TYPES) expect(sign(params, 'P', t)).toBe(oracle(expected, 'P', t));
  });

  it('list of objects: name=[{k=v, k=v}, {k=v}]', () => {
    const params = {
      products: [
        { product_name: 'pen', product_price: '100' },
        { product_name: 'ink' },
      ],
      amount: '100',
    };
    const expected = 'Xamount=100products=[{product_name=pen, product_price=100}, {product_name=ink}]X';
    expect(signatureString(params, 'X')).toBe(expected);
    expect(sign(params, 'X', 'SHA-512')).toBe(oracle(expected, 'X', 'SHA-512'));
  });

  it('list of scalars: name=[a, b, c]', () => {
    const params = { columns: ['fort_id', 'amount', 'currency'], query_command: 'GENERATE_REPORT' };
    const expected = 'Zcolumns=[fort_id, amount, currency]query_command=GENERATE_REPORTZ';
    expect(signatureString(params, 'Z')).toBe(expected);
    expect(sign(params, 'Z', 'HMAC-SHA256')).toBe(oracle(expected, 'Z', 'HMAC-SHA256'));
  });

  it('tokenization: the card fields, signature and installment_detail are excluded', () => {
    const form = {
      service_command: 'TOKENIZATION',
      access_code: 'AC1',
      merchant_identifier: 'MID',
      merchant_reference: 'R-1',
      language: 'en',
      return_url: 'https://pos.example/return',
      card_number: '4005550000000001',
      expiry_date: '3005',
      card_security_code: '123',
      card_holder_name: 'Jane Doe',
      remember_me: 'YES',
      installment_detail: 'x',
      signature: 'ignored',
    };
    const expected =
      'Saccess_code=AC1language=enmerchant_identifier=MIDmerchant_reference=R-1return_url=https://pos.example/returnservice_command=TOKENIZATIONS';
    expect(signatureString(form, 'S', TOKENIZATION_UNSIGNED_FIELDS)).toBe(expected);
    expect(sign(form, 'S', 'HMAC-SHA512', TOKENIZATION_UNSIGNED_FIELDS)).toBe(oracle(expected, 'S', 'HMAC-SHA512'));
    // Without the exclusion list the card fields would count: the exclusion is opt-in per form.
    expect(signatureString(form, 'S')).toContain('card_number=4005550000000001');
  });

  it('skips empty, undefined and null values', () => {
    const params = { b: '2', a: '', c: undefined, d: null, e: '0' };
    expect(signatureString(params, 'Q')).toBe('Qb=2e=0Q');
    expect(sign(params, 'Q', 'SHA-256')).toBe(oracle('Qb=2e=0Q', 'Q', 'SHA-256'));
  });

  it('sorts names by UTF-16 code unit: upper case before "_" before lower case, never by locale', () => {
    // Code units: 'B' 0x42 < 'Z' 0x5A < '_' 0x5F < 'a' 0x61 < 'b' 0x62.
    const params = { b: '1', a_b: '2', ab: '3', Z: '4', B: '5', a: '6', aB: '7' };
    expect(signatureString(params, '')).toBe('B=5Z=4a=6aB=7a_b=2ab=3b=1');
    // merchant_extra sorts before merchant_extra1 (prefix first); "_" after uppercase letters.
    const extra = { merchant_extra1: 'x', merchant_extra: 'y', merchant_Extra: 'z' };
    expect(signatureString(extra, 'P')).toBe('Pmerchant_Extra=zmerchant_extra=ymerchant_extra1=xP');
    // localeCompare would put 'a' before 'B': exactly the order APS does not use.
    expect(['B', 'a'].sort((x, y) => x.localeCompare(y, 'en'))).toEqual(['a', 'B']);
  });

  it('hashes UTF-8 bytes (Arabic text)', () => {
    const params = { customer_name: 'محمد', amount: '1' };
    const expected = 'Pamount=1customer_name=محمدP';
    expect(sign(params, 'P', 'SHA-256')).toBe(oracle(expected, 'P', 'SHA-256'));
  });

  it('verify refuses a missing, empty or non-hex signature', () => {
    expect(verify({ ...worked }, 'PASS', 'SHA-256')).toBe(false);
    expect(verify({ ...worked, signature: '' }, 'PASS', 'SHA-256')).toBe(false);
    expect(verify({ ...worked, signature: 'zz' }, 'PASS', 'SHA-256')).toBe(false);
    expect(verify({ ...worked, signature: sign(worked, 'PASS', 'SHA-256').slice(0, 63) }, 'PASS', 'SHA-256')).toBe(false);
  });
});
