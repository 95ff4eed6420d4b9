import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../aps/signature';
import { startSandbox } from './server';
import { M, api, charge, postRaw, ref, responseSignatureOk, signRequest, tokenName } from './test-support';
import type { MerchantConfig, SandboxHandle } from './types';

const OTHER: MerchantConfig = {
  merchantIdentifier: 'OTHERMID',
  accessCode: 'OTHERACCESS',
  requestPhrase: 'other-in',
  responsePhrase: 'other-out',
  shaType: 'HMAC-SHA512',
};

let sb: SandboxHandle;
let visa: string;

beforeAll(async () => {
  sb = await startSandbox({ merchants: [M, OTHER] });
  visa = await tokenName(sb);
});
afterAll(() => sb.close());

describe('charges (AUTHORIZATION / PURCHASE, eci MOTO)', () => {
  it('authorizes: echoes every parameter, adds the APS fields, signs with the response phrase', async () => {
    const req = charge('AUTHORIZATION', visa, '10000', { order_description: 'Two mugs', customer_ip: '10.0.0.1', merchant_extra: 'x' });
    const res = await api(sb, req);
    expect(res).toMatchObject({ ...Object.fromEntries(Object.entries(req).map(([k, v]) => [k, String(v)])), status: '02', response_code: '02000', response_message: 'Success' });
    expect(res['fort_id']).toMatch(/^\d{18}$/);
    expect(res['card_number']).toBe('400555******0001');
    expect(res['expiry_date']).toBe('3005');
    expect(res['payment_option']).toBe('VISA');
    expect(res['authorization_code']).toMatch(/^\d{6}$/);
    expect(res['access_code']).toBe(M.accessCode);
    expect(responseSignatureOk(res)).toBe(true);
    const order = sb.control.order(req['merchant_reference'] as string);
    expect(order).toMatchObject({ status: 'authorized', authorizedAmount: 10000, capturedAmount: 0, fortId: res['fort_id'] });
  });

  it('purchases (captured at once), amount as a JSON number, eci RECURRING', async () => {
    const res = await api(sb, charge('PURCHASE', visa, 2500, { eci: 'RECURRING' }));
    expect(res).toMatchObject({ status: '14', response_code: '14000', amount: '2500' });
    expect(responseSignatureOk(res)).toBe(true);
    expect(sb.control.order(res['merchant_reference'] as string)).toMatchObject({ status: 'captured', authorizedAmount: 2500, capturedAmount: 2500 });
  });

  it('refuses RECURRING on AUTHORIZATION and unknown eci', async () => {
    expect((await api(sb, charge('AUTHORIZATION', visa, '100', { eci: 'RECURRING' })))['response_code']).toBe('00113');
    expect((await api(sb, charge('PURCHASE', visa, '100', { eci: 'ECOMMERCE' })))['response_code']).toBe('00113');
  });

  it('refuses a duplicate merchant_reference with 00066 and leaves the order alone', async () => {
    const req = charge('PURCHASE', visa, '700');
    expect((await api(sb, req))['status']).toBe('14');
    const before = sb.control.operationCount();
    const again = await api(sb, { ...req, amount: '900' });
    expect(again).toMatchObject({ status: '00', response_code: '00066' });
    expect(again['fort_id']).toBeUndefined();
    expect(sb.control.operationCount()).toBe(before);
    expect(sb.control.order(req['merchant_reference'] as string)?.capturedAmount).toBe(700);
  });

  it('refuses an unknown token with 00044 without recording an order', async () => {
    const req = charge('PURCHASE', 'nosuchtoken', '100');
    expect(await api(sb, req)).toMatchObject({ status: '00', response_code: '00044', response_message: 'Token name does not exist' });
    expect(sb.control.order(req['merchant_reference'] as string)).toBeUndefined();
  });

  it('accepts any amount in 3-decimal currencies and 0-decimal currencies', async () => {
    expect((await api(sb, charge('PURCHASE', visa, '1235', { currency: 'KWD' })))['status']).toBe('14');
    expect((await api(sb, charge('PURCHASE', visa, '1500', { currency: 'JPY' })))['status']).toBe('14');
  });

  it('validates currency and amount', async () => {
    expect((await api(sb, charge('PURCHASE', visa, '100', { currency: 'XYZ' })))['response_code']).toBe('00013');
    expect((await api(sb, charge('PURCHASE', visa, '100', { currency: 'usd' })))['response_code']).toBe('00013');
    expect((await api(sb, charge('PURCHASE', visa, '12.50')))['response_code']).toBe('00005');
    expect((await api(sb, charge('PURCHASE', visa, '0')))['response_code']).toBe('00005');
    expect((await api(sb, charge('PURCHASE', visa, '12345678901')))['response_code']).toBe('00032');
    expect((await api(sb, charge('PURCHASE', visa, -5)))['response_code']).toBe('00005');
  });
});

describe('magic amounts and decline cards', () => {
  it.each([
    ['AUTHORIZATION', '1029', '03029', 'Insufficient funds'],
    ['PURCHASE', '1029', '13029', 'Insufficient funds'],
    ['PURCHASE', '2666', '13666', 'Transaction declined'],
    ['AUTHORIZATION', '3012', '03012', 'Card expired'],
  ] as const)('%s of %s declines with %s', async (command, amount, code, message) => {
    const req = charge(command, visa, amount);
    const res = await api(sb, req);
    expect(res).toMatchObject({ response_code: code, response_message: message, status: code.slice(0, 2) });
    expect(res['fort_id']).toMatch(/^\d{18}$/);
    expect(responseSignatureOk(res)).toBe(true);
    expect(sb.control.order(req['merchant_reference'] as string)).toMatchObject({ status: 'declined', authorizedAmount: 0 });
    const status = await api(sb, { query_command: 'CHECK_STATUS', merchant_reference: req['merchant_reference'] as string });
    expect(status).toMatchObject({ response_code: '12000', transaction_status: code.slice(0, 2), transaction_code: code });
  });

  it('...777 answers 15 uncertain, yet the charge is made and CHECK_STATUS shows the success', async () => {
    const req = charge('PURCHASE', visa, '4777');
    const before = sb.control.operationCount();
    expect(await api(sb, req)).toMatchObject({ status: '15', response_code: '15777' });
    expect(sb.control.operationCount()).toBe(before + 1);
    const status = await api(sb, { query_command: 'CHECK_STATUS', merchant_reference: req['merchant_reference'] as string });
    expect(status).toMatchObject({ status: '12', transaction_status: '14', transaction_code: '14000', captured_amount: '4777' });
  });

  it.each([
    ['4000000000009995', '13029'],
    ['4000000000000101', '13666'],
    ['4000000000000069', '13012'],
  ])('a token of decline card %s declines with %s', async (number, code) => {
    const token = await tokenName(sb, { number });
    expect((await api(sb, charge('PURCHASE', token, '1000')))['response_code']).toBe(code);
  });
});

describe('request validation and authentication', () => {
  it('missing mandatory parameter → 00001; bad format → 00002; unexpected parameter → 00027', async () => {
    const { customer_email: _drop, ...missing } = charge('PURCHASE', visa, '100');
    expect((await api(sb, missing))['response_code']).toBe('00001');
    expect((await api(sb, charge('PURCHASE', visa, '100', { customer_email: 'not-an-email' })))['response_code']).toBe('00002');
    expect((await api(sb, charge('PURCHASE', visa, '100', { merchant_reference: 'has spaces' })))['response_code']).toBe('00002');
    expect((await api(sb, charge('PURCHASE', visa, '100', { favourite_colour: 'blue' })))['response_code']).toBe('00027');
    expect((await api(sb, { command: 'NOPE', merchant_reference: ref() }))['response_code']).toBe('00004');
    expect((await api(sb, { merchant_reference: ref() }))['response_code']).toBe('00001');
  });

  it('bad or missing signature → 00008 Signature mismatch (signed reply)', async () => {
    const body = signRequest({ ...charge('PURCHASE', visa, '100'), access_code: M.accessCode, merchant_identifier: M.merchantIdentifier, language: 'en' });
    const tampered = await postRaw(sb.paymentApiUrl, JSON.stringify({ ...body, amount: '999' }));
    expect(tampered.status).toBe(200);
    expect(tampered.body).toMatchObject({ status: '00', response_code: '00008', response_message: 'Signature mismatch' });
    expect(tampered.body['signature']).toBeDefined();
    expect(responseSignatureOk(tampered.body)).toBe(true);
    expect((await api(sb, charge('PURCHASE', visa, '100'), { sign: false }))['response_code']).toBe('00008');
    // A signature made with the response phrase is not a request signature.
    const wrongPhrase = { ...body, signature: sign({ ...body, signature: undefined }, M.responsePhrase, 'SHA-256') };
    expect((await postRaw(sb.paymentApiUrl, JSON.stringify(wrongPhrase))).body['response_code']).toBe('00008');
  });

  it('upper-case hex request signatures are accepted', async () => {
    const body = signRequest({ ...charge('PURCHASE', visa, '100'), access_code: M.accessCode, merchant_identifier: M.merchantIdentifier, language: 'en' });
    const res = await postRaw(sb.paymentApiUrl, JSON.stringify({ ...body, signature: String(body['signature']).toUpperCase() }));
    expect(res.body['status']).toBe('14');
  });

  it('unknown merchant → 00009 unsigned; wrong access code → 00010 signed', async () => {
    const unknown = await api(sb, charge('PURCHASE', visa, '100'), { merchant: { ...M, merchantIdentifier: 'NOBODY' } });
    expect(unknown).toMatchObject({ response_code: '00009' });
    expect(unknown['signature']).toBeUndefined();
    const wrong = await api(sb, charge('PURCHASE', visa, '100'), { merchant: { ...M, accessCode: 'WRONGCODE' } });
    expect(wrong).toMatchObject({ response_code: '00010' });
    expect(responseSignatureOk(wrong)).toBe(true);
  });

  it('merchants are isolated: another merchant cannot use the token, and uses its own SHA type', async () => {
    expect((await api(sb, charge('PURCHASE', visa, '100'), { merchant: OTHER }))['response_code']).toBe('00044');
    const token = await tokenName(sb, undefined, OTHER);
    const res = await api(sb, charge('PURCHASE', token, '100'), { merchant: OTHER });
    expect(res['status']).toBe('14');
    expect(responseSignatureOk(res, OTHER)).toBe(true);
    expect(sb.control.orders('OTHERMID').length).toBeGreaterThan(0);
    expect(sb.control.orders('OTHERMID').every((o) => o.merchantIdentifier === 'OTHERMID')).toBe(true);
  });

  it('never reflects a card number or CVV sent to paymentApi', async () => {
    const res = await api(sb, charge('PURCHASE', visa, '100', { card_number: '4005550000000001', card_security_code: '123' }));
    expect(res['response_code']).toBe('00027');
    expect(res['card_number']).toBe('400555******0001');
    expect(res['card_security_code']).toBeUndefined();
  });
});

describe('malformed requests never crash the sandbox', () => {
  it.each([
    ['not JSON', '{"command": ', 'application/json'],
    ['a JSON array', '[1,2,3]', 'application/json'],
    ['a JSON string', '"hello"', 'application/json'],
    ['null', 'null', 'application/json'],
    ['empty body', '', 'application/json'],
    ['text/plain', '{"command":"PURCHASE"}', 'text/plain'],
  ])('%s → 00073 Invalid request format', async (_name, body, type) => {
    const res = await postRaw(sb.paymentApiUrl, body, type);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: '00', response_code: '00073', response_message: 'Invalid request format' });
  });

  it('a form post naming a known merchant is refused with a signed 00073', async () => {
    const form = new URLSearchParams({ command: 'PURCHASE', merchant_identifier: M.merchantIdentifier }).toString();
    const res = await postRaw(sb.paymentApiUrl, form, 'application/x-www-form-urlencoded');
    expect(res.body['response_code']).toBe('00073');
    expect(responseSignatureOk(res.body)).toBe(true);
  });

  it('nested values → 00002; huge body → 00073; the server is still alive', async () => {
    const nested = await api(sb, { ...charge('PURCHASE', visa, '100'), order_description: 'x' }, { sign: false });
    expect(nested['response_code']).toBe('00008');
    const withObject = await postRaw(sb.paymentApiUrl, JSON.stringify({ merchant_identifier: M.merchantIdentifier, amount: { a: 1 } }));
    expect(withObject.body['response_code']).toBe('00002');
    const huge = await postRaw(sb.paymentApiUrl, JSON.stringify({ merchant_identifier: M.merchantIdentifier, pad: 'x'.repeat(200_000) }));
    expect(huge.body).toMatchObject({ response_code: '00073' });
    const health = await fetch(`${sb.url}/__sandbox/health`);
    expect(health.status).toBe(200);
    expect((await api(sb, charge('PURCHASE', visa, '100')))['status']).toBe('14');
  });

  it('GET on paymentApi is refused, unknown paths are 404', async () => {
    expect((await fetch(sb.paymentApiUrl)).status).toBe(405);
    expect((await fetch(`${sb.url}/nope`)).status).toBe(404);
  });
});
