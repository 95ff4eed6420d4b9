import { describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import { ApsGateway } from './gateway';
import type { ApsLogger } from './log';
import { sign, TOKENIZATION_UNSIGNED_FIELDS } from './signature';
import { carriesCardData } from './tokenization';

const RESPONSE_PHRASE = 'resp-phrase';
const logs: unknown[] = [];
const logger: ApsLogger = { info: (o) => logs.push(o), warn: (o) => logs.push(o) };

const g = new ApsGateway({
  paymentApiUrl: 'https://sbpaymentservices.payfort.com/FortAPI/paymentApi',
  paymentPageUrl: 'https://sbcheckout.payfort.com/FortAPI/paymentPage',
  accessCode: 'ACCESS123',
  merchantIdentifier: 'MERCH1',
  requestPhrase: 'req-phrase',
  responsePhrase: RESPONSE_PHRASE,
  shaType: 'SHA-256',
  language: 'en',
  isSandbox: false,
  name: 'aps',
  logger,
});

function signedReturn(fields: Record<string, string>, phrase = RESPONSE_PHRASE): Record<string, string> {
  return { ...fields, signature: sign(fields, phrase, 'SHA-256') };
}

const success = {
  service_command: 'TOKENIZATION',
  access_code: 'ACCESS123',
  merchant_identifier: 'MERCH1',
  merchant_reference: 'TOK-1',
  language: 'en',
  return_url: 'https://pos.example/aps/return',
  token_name: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  card_number: '400555******0001',
  expiry_date: '3005',
  card_holder_name: 'Jane Doe',
  remember_me: 'YES',
  payment_option: 'VISA',
  response_code: '18000',
  response_message: 'Success',
  status: '18',
};

describe('hostedForm', () => {
  it('returns the page URL, POST and signed fields without any card field', () => {
    const form = g.hostedForm({ merchantReference: 'TOK-1', returnUrl: 'https://pos.example/aps/return' });
    expect(form.action).toBe('https://sbcheckout.payfort.com/FortAPI/paymentPage');
    expect(form.method).toBe('POST');
    expect(form.fields).toMatchObject({ service_command: 'TOKENIZATION', access_code: 'ACCESS123', merchant_identifier: 'MERCH1', merchant_reference: 'TOK-1', language: 'en', return_url: 'https://pos.example/aps/return' });
    for (const f of TOKENIZATION_UNSIGNED_FIELDS) expect(form.fields).not.toHaveProperty(f);
    const { signature, ...rest } = form.fields;
    expect(signature).toBe(sign(rest, 'req-phrase', 'SHA-256'));
  });
});

describe('verifyTokenizationReturn', () => {
  it('status 18 with a valid signature: token, masked card, last 4, brand, expiry, holder, remember_me', () => {
    logs.length = 0;
    expect(g.verifyTokenizationReturn(signedReturn(success))).toEqual({
      ok: true,
      value: {
        merchantReference: 'TOK-1',
        tokenName: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        maskedCard: '400555******0001',
        last4: '0001',
        brand: 'VISA',
        expiryDate: '3005',
        cardHolderName: 'Jane Doe',
        rememberMe: true,
      },
    });
    const text = JSON.stringify(logs);
    expect(text).not.toContain('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(text).not.toMatch(/400555|0001|3005|Jane|VISA/);
  });

  it('remember_me NO or absent is false', () => {
    const { remember_me: _r, ...rest } = success;
    const r = g.verifyTokenizationReturn(signedReturn(rest));
    expect(r.ok && r.value.rememberMe).toBe(false);
  });

  it('the signature covers the card fields of the return too (tampered masked card = bad signature)', () => {
    const tampered = { ...signedReturn(success), card_number: '400555******9999' };
    const r = g.verifyTokenizationReturn(tampered);
    expect(r).toMatchObject({ ok: false, reason: 'bad_signature' });
    // An unverified return names no session: it cannot be aimed at one.
    expect(r).not.toHaveProperty('merchantReference');
  });

  it('bad or missing signature', () => {
    expect(g.verifyTokenizationReturn(signedReturn(success, 'other'))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(g.verifyTokenizationReturn({ ...success })).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(g.verifyTokenizationReturn(signedReturn({ ...success }, 'req-phrase'))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('status 17 or any other status is failed, with code and message', () => {
    const failed = { ...success, status: '17', response_code: '17666', response_message: 'Transaction declined' };
    expect(g.verifyTokenizationReturn(signedReturn(failed))).toEqual({ ok: false, reason: 'failed', responseCode: '17666', message: 'Transaction declined', merchantReference: 'TOK-1' });
    const other = { ...success, status: '00', response_code: '00016', response_message: 'Invalid card number' };
    expect(g.verifyTokenizationReturn(signedReturn(other))).toMatchObject({ ok: false, reason: 'failed', responseCode: '00016' });
    const contradict = { ...success, response_code: '17000' };
    expect(g.verifyTokenizationReturn(signedReturn(contradict))).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('missing fields are malformed', () => {
    for (const f of ['token_name', 'card_number', 'expiry_date', 'payment_option']) {
      const { [f as keyof typeof success]: _x, ...rest } = success;
      expect(g.verifyTokenizationReturn(signedReturn(rest))).toMatchObject({ ok: false, reason: 'malformed' });
    }
    const { status: _s, ...noStatus } = success;
    expect(g.verifyTokenizationReturn(signedReturn(noStatus))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(g.verifyTokenizationReturn(signedReturn({ ...success, expiry_date: '3013' }))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a return carrying a full card number or a CVV, even when signed, and says nothing about it', () => {
    logs.length = 0;
    const full = g.verifyTokenizationReturn(signedReturn({ ...success, card_number: '4005550000000001' }));
    expect(full).toMatchObject({ ok: false, reason: 'malformed' });
    expect(JSON.stringify(full)).not.toContain('4005550000000001');
    expect(g.verifyTokenizationReturn(signedReturn({ ...success, card_number: '4005550000**0001' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(g.verifyTokenizationReturn(signedReturn({ ...success, card_security_code: '123' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(g.verifyTokenizationReturn(signedReturn({ ...success, card_holder_name: '4005 5500 0000 0001' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(JSON.stringify(logs)).not.toMatch(/4005|0001/);
  });

  it('an unsigned return carrying a card number is a bad signature naming no session, and no reference is logged', () => {
    logs.length = 0;
    const forged = g.verifyTokenizationReturn({ ...success, card_number: '4005550000000001' });
    expect(forged).toEqual({ ok: false, reason: 'bad_signature', message: 'the return has no signature' });
    const badSig = g.verifyTokenizationReturn({ ...success, card_number: '4005550000000001', signature: 'f'.repeat(64) });
    expect(badSig).toEqual({ ok: false, reason: 'bad_signature', message: 'the return signature does not verify' });
    g.verifyTokenizationReturn(signedReturn(success));
    expect(JSON.stringify(logs)).not.toContain('TOK-1');
  });

  it('carriesCardData ignores long identifiers', () => {
    expect(carriesCardData({ fort_id: '4005550000000001', merchant_reference: '4005550000000001', card_number: '400555******0001' })).toBe(false);
    expect(carriesCardData({ response_message: 'card 5123456789012346' })).toBe(true);
    expect(carriesCardData({ response_message: 'ref 1234567890123' })).toBe(false); // not Luhn-valid
  });

  it('never throws on junk', () => {
    expect(g.verifyTokenizationReturn({})).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(g.verifyTokenizationReturn(null as unknown as Record<string, string>)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(g.verifyTokenizationReturn({ signature: 'x', status: 5 } as unknown as Record<string, string>)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('confirmation not configured', () => {
  it('throws a validation error (nothing sent)', async () => {
    await expect(
      g.startConfirmation({ emailAddress: 'a@b.co', tokenName: 'tok', amount: money(356, 'USD'), orderDescription: 'x', firstName: 'J', lastName: 'D' }),
    ).rejects.toMatchObject({ name: 'ApsValidationError', code: 'NOT_CONFIGURED' });
  });
});
