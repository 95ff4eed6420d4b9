import { describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import type { ChargeRequest } from '../types';
import { ApsValidationError } from './errors';
import { toApsText } from './fields';
import {
  buildCapture,
  buildCharge,
  buildCheckStatus,
  buildRefund,
  buildTokenizationForm,
  buildUpdateToken,
  buildVoid,
  type ApsCredentials,
} from './requests';
import { sign, signatureString, TOKENIZATION_UNSIGNED_FIELDS } from './signature';

const creds: ApsCredentials = {
  accessCode: 'SILgpo7pWbmzuURp2qri',
  merchantIdentifier: 'MxvOupuG',
  requestPhrase: 'REQ-phrase',
  shaType: 'SHA-256',
  language: 'en',
};

const charge: ChargeRequest = {
  merchantReference: 'ORD-2024.001_a',
  amount: money(1250, 'KWD'),
  tokenName: '5540cb3b9e6a40e38227ab9141e7342a',
  eci: 'MOTO',
  customerEmail: 'jane.doe+pos@example.com',
};

function expectValidation(fn: () => unknown, field: string, code?: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApsValidationError);
    expect((e as ApsValidationError).field).toBe(field);
    if (code) expect((e as ApsValidationError).code).toBe(code);
    return;
  }
  expect.unreachable(`expected an ApsValidationError on ${field}`);
}

function unsigned(params: Readonly<Record<string, string>>): Record<string, string> {
  const { signature: _s, ...rest } = params;
  return rest;
}

describe('charge builders', () => {
  it('PURCHASE MOTO: every value a string, amount in minor units, signed over exactly what is sent', () => {
    const req = buildCharge(creds, 'PURCHASE', { ...charge, customerIp: '203.0.113.9', orderDescription: 'Phone order #12' });
    expect(req.command).toBe('PURCHASE');
    expect(unsigned(req.params)).toEqual({
      command: 'PURCHASE',
      access_code: 'SILgpo7pWbmzuURp2qri',
      merchant_identifier: 'MxvOupuG',
      merchant_reference: 'ORD-2024.001_a',
      language: 'en',
      amount: '1250',
      currency: 'KWD',
      customer_email: 'jane.doe+pos@example.com',
      eci: 'MOTO',
      token_name: '5540cb3b9e6a40e38227ab9141e7342a',
      customer_ip: '203.0.113.9',
      order_description: 'Phone order #12',
    });
    for (const v of Object.values(req.params)) expect(typeof v).toBe('string');
    expect(req.params['signature']).toBe(sign(unsigned(req.params), 'REQ-phrase', 'SHA-256'));
    expect(req.params['signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('AUTHORIZATION MOTO with the language override', () => {
    const req = buildCharge(creds, 'AUTHORIZATION', { ...charge, language: 'ar', amount: money(500, 'JPY') });
    expect(req.params['command']).toBe('AUTHORIZATION');
    expect(req.params['language']).toBe('ar');
    expect(req.params['amount']).toBe('500');
    expect(req.params['currency']).toBe('JPY');
  });

  it('RECURRING only with PURCHASE, agreement_id only with RECURRING', () => {
    const rec = buildCharge(creds, 'PURCHASE', { ...charge, eci: 'RECURRING', agreementId: 'AGR-1' });
    expect(rec.params['eci']).toBe('RECURRING');
    expect(rec.params['agreement_id']).toBe('AGR-1');
    expectValidation(() => buildCharge(creds, 'AUTHORIZATION', { ...charge, eci: 'RECURRING' }), 'eci', 'NOT_ALLOWED');
    expectValidation(() => buildCharge(creds, 'PURCHASE', { ...charge, agreementId: 'AGR-1' }), 'agreement_id', 'NOT_ALLOWED');
    expectValidation(() => buildCharge(creds, 'PURCHASE', { ...charge, eci: 'ECOMMERCE' as 'MOTO' }), 'eci');
  });

  it('never sends empty optionals', () => {
    const req = buildCharge(creds, 'PURCHASE', { ...charge, customerName: '', phoneNumber: undefined, orderDescription: '', customerIp: '' });
    for (const k of ['customer_name', 'phone_number', 'order_description', 'customer_ip']) expect(req.params).not.toHaveProperty(k);
    expect(signatureString(req.params, 'x')).not.toMatch(/customer_name|phone_number/);
  });

  it.each([
    ['merchant_reference', { merchantReference: 'a'.repeat(41) }, 'TOO_LONG'],
    ['merchant_reference', { merchantReference: 'ORD 1' }, 'BAD_CHARSET'],
    ['merchant_reference', { merchantReference: 'ORD/1' }, 'BAD_CHARSET'],
    ['merchant_reference', { merchantReference: '' }, 'REQUIRED'],
    ['customer_email', { customerEmail: 'not-an-email' }, 'BAD_CHARSET'],
    ['customer_email', { customerEmail: 'a b@example.com' }, 'BAD_CHARSET'],
    ['customer_email', { customerEmail: `${'a'.repeat(250)}@x.io` }, 'TOO_LONG'],
    ['token_name', { tokenName: 'tok en' }, 'BAD_CHARSET'],
    ['token_name', { tokenName: 't'.repeat(101) }, 'TOO_LONG'],
    ['customer_ip', { customerIp: '999.1.1.1' }, 'BAD_FORMAT'],
    ['customer_name', { customerName: 'Jane <script>' }, 'BAD_CHARSET'],
    ['customer_name', { customerName: 'J'.repeat(41) }, 'TOO_LONG'],
    ['phone_number', { phoneNumber: '+1 (555) 010-0000 ext 12345' }, 'TOO_LONG'],
    ['phone_number', { phoneNumber: '+1;555' }, 'BAD_CHARSET'],
    ['order_description', { orderDescription: 'shirt, blue' }, 'BAD_CHARSET'],
    ['order_description', { orderDescription: 'x'.repeat(151) }, 'TOO_LONG'],
    ['amount', { amount: money(0, 'USD') }, 'BAD_AMOUNT'],
    ['amount', { amount: { amount: 1.5, currency: 'USD' } }, 'BAD_AMOUNT'],
    ['amount', { amount: { amount: -5, currency: 'USD' } }, 'BAD_AMOUNT'],
    ['amount', { amount: { amount: 10_000_000_000, currency: 'USD' } }, 'BAD_AMOUNT'],
    ['currency', { amount: { amount: 5, currency: 'XYZ' } }, 'BAD_CURRENCY'],
  ] as const)('refuses bad %s before sending (%j)', (field, patch, code) => {
    expectValidation(() => buildCharge(creds, 'PURCHASE', { ...charge, ...(patch as Partial<ChargeRequest>) }), field, code);
  });

  it('accepts Arabic names and IPv6', () => {
    const req = buildCharge(creds, 'PURCHASE', { ...charge, customerName: "محمد O'Neil", customerIp: '2001:db8::1', phoneNumber: '+966 (55) 123-4567' });
    expect(req.params['customer_name']).toBe("محمد O'Neil");
  });

  it('refuses bad credentials', () => {
    expectValidation(() => buildCharge({ ...creds, accessCode: 'bad code!' }, 'PURCHASE', charge), 'access_code');
  });
});

describe('maintenance and query builders', () => {
  it('CAPTURE with fort_id and amount', () => {
    const req = buildCapture(creds, { merchantReference: 'R1', fortId: '149295435400084008', amount: money(700, 'USD') });
    expect(unsigned(req.params)).toEqual({
      command: 'CAPTURE',
      access_code: creds.accessCode,
      merchant_identifier: creds.merchantIdentifier,
      merchant_reference: 'R1',
      language: 'en',
      fort_id: '149295435400084008',
      amount: '700',
      currency: 'USD',
    });
    expectValidation(() => buildCapture(creds, { merchantReference: 'R1', fortId: 'abc', amount: money(1, 'USD') }), 'fort_id');
  });

  it('VOID_AUTHORIZATION carries no amount or currency (new docs)', () => {
    const req = buildVoid(creds, { merchantReference: 'R1' });
    expect(unsigned(req.params)).toEqual({
      command: 'VOID_AUTHORIZATION',
      access_code: creds.accessCode,
      merchant_identifier: creds.merchantIdentifier,
      merchant_reference: 'R1',
      language: 'en',
    });
  });

  it('REFUND always carries our maintenance_reference', () => {
    const req = buildRefund(creds, { merchantReference: 'R1', amount: money(100, 'USD'), maintenanceReference: 'R1-RF1' });
    expect(req.params['command']).toBe('REFUND');
    expect(req.params['maintenance_reference']).toBe('R1-RF1');
    expect(req.params['amount']).toBe('100');
    expectValidation(() => buildRefund(creds, { merchantReference: 'R1', amount: money(100, 'USD'), maintenanceReference: '' }), 'maintenance_reference', 'REQUIRED');
    expectValidation(() => buildRefund(creds, { merchantReference: 'R1', amount: money(100, 'USD'), maintenanceReference: 'x'.repeat(41) }), 'maintenance_reference', 'TOO_LONG');
  });

  it('CHECK_STATUS uses query_command', () => {
    const req = buildCheckStatus(creds, { merchantReference: 'R1', maintenanceReference: 'R1-RF1' });
    expect(req.params['query_command']).toBe('CHECK_STATUS');
    expect(req.params).not.toHaveProperty('command');
    expect(req.params['maintenance_reference']).toBe('R1-RF1');
  });

  it('UPDATE_TOKEN uses service_command and token_status', () => {
    const req = buildUpdateToken(creds, { merchantReference: 'U1', tokenName: 'tok_1', status: 'INACTIVE', expiryDate: '3005' });
    expect(unsigned(req.params)).toEqual({
      service_command: 'UPDATE_TOKEN',
      access_code: creds.accessCode,
      merchant_identifier: creds.merchantIdentifier,
      merchant_reference: 'U1',
      language: 'en',
      token_name: 'tok_1',
      token_status: 'INACTIVE',
      expiry_date: '3005',
    });
    expectValidation(() => buildUpdateToken(creds, { merchantReference: 'U1', tokenName: 'tok_1', expiryDate: '0530' }), 'expiry_date');
  });
});

describe('hosted TOKENIZATION form', () => {
  it('is signed, carries no card field, and its signature ignores card fields the page adds', () => {
    const req = buildTokenizationForm(creds, { merchantReference: 'T-1', returnUrl: 'http://127.0.0.1:5173/aps/return?x=1' });
    expect(req.params['service_command']).toBe('TOKENIZATION');
    for (const f of TOKENIZATION_UNSIGNED_FIELDS) expect(req.params).not.toHaveProperty(f);
    const withCard = { ...req.params, card_number: '4005550000000001', expiry_date: '3005', card_security_code: '123', card_holder_name: 'J', remember_me: 'YES' };
    expect(sign(withCard, 'REQ-phrase', 'SHA-256', TOKENIZATION_UNSIGNED_FIELDS)).toBe(req.params['signature']);
  });

  it('carries the merchant\'s save-card answer as remember_me, outside the signature like the card fields', () => {
    const plain = buildTokenizationForm(creds, { merchantReference: 'T-2', returnUrl: 'http://127.0.0.1:5173/aps/return' });
    for (const [rememberMe, posted] of [[true, 'YES'], [false, 'NO']] as const) {
      const req = buildTokenizationForm(creds, { merchantReference: 'T-2', returnUrl: 'http://127.0.0.1:5173/aps/return', rememberMe });
      expect(req.params['remember_me']).toBe(posted);
      expect(req.params['signature']).toBe(plain.params['signature']);
    }
  });

  it('validates return_url', () => {
    expectValidation(() => buildTokenizationForm(creds, { merchantReference: 'T-1', returnUrl: 'javascript:alert(1)' }), 'return_url');
    expectValidation(() => buildTokenizationForm(creds, { merchantReference: 'T-1', returnUrl: 'https://x.example/a b' }), 'return_url');
  });
});

describe('toApsText', () => {
  it('turns free text into what APS accepts', () => {
    expect(toApsText('2 x T-shirt, blue; size "M"', 'order_description')).toBe('2 x T-shirt blue size M');
    expect(toApsText('x'.repeat(200), 'order_description')).toHaveLength(150);
    expect(toApsText('Jane  Doe-Smith 3rd', 'customer_name')).toBe('Jane Doe-Smith rd');
  });
});
