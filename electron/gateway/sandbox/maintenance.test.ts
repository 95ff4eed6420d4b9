import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from './server';
import { api, charge, ref, responseSignatureOk, tokenName } from './test-support';
import type { SandboxHandle } from './types';

let sb: SandboxHandle;
let visa: string;

beforeAll(async () => {
  sb = await startSandbox();
  visa = await tokenName(sb);
});
afterAll(() => sb.close());

async function authorize(amount = 10000, currency = 'USD'): Promise<{ reference: string; fortId: string }> {
  const req = charge('AUTHORIZATION', visa, String(amount), { currency });
  const res = await api(sb, req);
  expect(res['status']).toBe('02');
  return { reference: req['merchant_reference'] as string, fortId: res['fort_id'] as string };
}

const capture = (reference: string, amount: number, extra: Record<string, string> = {}) =>
  api(sb, { command: 'CAPTURE', merchant_reference: reference, amount: String(amount), currency: 'USD', ...extra });
const voidAuth = (reference: string, extra: Record<string, string> = {}) => api(sb, { command: 'VOID_AUTHORIZATION', merchant_reference: reference, ...extra });
const refund = (reference: string, amount: number, extra: Record<string, string> = {}) =>
  api(sb, { command: 'REFUND', merchant_reference: reference, amount: String(amount), currency: 'USD', ...extra });
const checkStatus = (params: Record<string, string>) => api(sb, { query_command: 'CHECK_STATUS', ...params });

describe('CAPTURE', () => {
  it('allows partial and repeated captures up to the authorized amount, then 05042', async () => {
    const { reference, fortId } = await authorize(10000);
    const first = await capture(reference, 4000);
    expect(first).toMatchObject({ status: '04', response_code: '04000', fort_id: fortId, amount: '4000' });
    expect(responseSignatureOk(first)).toBe(true);
    expect(sb.control.order(reference)).toMatchObject({ status: 'partially_captured', capturedAmount: 4000 });
    expect((await capture(reference, 6000, { fort_id: fortId }))['status']).toBe('04');
    const over = await capture(reference, 1);
    expect(over).toMatchObject({ status: '05', response_code: '05042', response_message: 'Operation amount exceeds the authorized amount' });
    expect(sb.control.order(reference)).toMatchObject({ status: 'captured', capturedAmount: 10000 });
  });

  it('refuses over-capture in one go, a purchase, an unknown order, another currency', async () => {
    const { reference } = await authorize(500);
    expect((await capture(reference, 501))['response_code']).toBe('05042');
    expect((await capture(reference, 100, { currency: 'EUR' }))['response_code']).toBe('05013');
    const purchase = charge('PURCHASE', visa, '100');
    await api(sb, purchase);
    expect((await capture(purchase['merchant_reference'] as string, 100))['response_code']).toBe('05034');
    expect(await capture('NO-SUCH-ORDER', 100)).toMatchObject({ status: '05', response_code: '05036', response_message: 'Order not found' });
  });

  it('finds the order by fort_id alone, and refuses a fort_id that contradicts the reference', async () => {
    const a = await authorize(300);
    const b = await authorize(300);
    expect((await api(sb, { command: 'CAPTURE', fort_id: a.fortId, amount: '100', currency: 'USD' }))['status']).toBe('04');
    expect((await capture(a.reference, 100, { fort_id: b.fortId }))['response_code']).toBe('00110');
  });

  it('magic amount ...666 declines a capture without applying it', async () => {
    const { reference } = await authorize(5000);
    expect((await capture(reference, 1666))['response_code']).toBe('05666');
    expect(sb.control.order(reference)?.capturedAmount).toBe(0);
  });
});

describe('VOID_AUTHORIZATION', () => {
  it('voids an uncaptured authorization; nothing is allowed afterwards', async () => {
    const { reference } = await authorize(800);
    const res = await voidAuth(reference);
    expect(res).toMatchObject({ status: '08', response_code: '08000' });
    expect(sb.control.order(reference)?.status).toBe('voided');
    expect((await capture(reference, 100))['response_code']).toBe('05034');
    expect((await voidAuth(reference))['response_code']).toBe('09034');
    expect((await refund(reference, 100))['response_code']).toBe('07034');
  });

  it('refuses to void once something is captured (09034)', async () => {
    const { reference } = await authorize(800);
    await capture(reference, 100);
    expect(await voidAuth(reference)).toMatchObject({ status: '09', response_code: '09034', response_message: 'Operation not allowed' });
  });

  it('refuses to capture the rest once a refund was made (05034): the rest can only lapse', async () => {
    const { reference } = await authorize(10000);
    await capture(reference, 4000);
    expect((await refund(reference, 1000))['response_code']).toBe('06000');
    expect(await capture(reference, 3000)).toMatchObject({ status: '05', response_code: '05034', response_message: 'Operation not allowed' });
    expect(sb.control.order(reference)).toMatchObject({ capturedAmount: 4000, refundedAmount: 1000 });
  });
});

describe('REFUND', () => {
  it('refunds partially and repeatedly up to the captured amount, then 07048', async () => {
    const { reference } = await authorize(10000);
    await capture(reference, 6000);
    expect((await refund(reference, 2000))['response_code']).toBe('06000');
    expect((await refund(reference, 4000))['response_code']).toBe('06000');
    expect(await refund(reference, 1)).toMatchObject({ status: '07', response_code: '07048', response_message: 'Operation amount exceeds captured amount' });
    expect(sb.control.order(reference)).toMatchObject({ status: 'refunded', capturedAmount: 6000, refundedAmount: 6000 });
  });

  it('refuses a refund before any capture (07034) and refunds a purchase', async () => {
    const { reference } = await authorize(1000);
    expect((await refund(reference, 100))['response_code']).toBe('07034');
    const purchase = charge('PURCHASE', visa, '1000');
    await api(sb, purchase);
    expect((await refund(purchase['merchant_reference'] as string, 250))['status']).toBe('06');
    expect(sb.control.order(purchase['merchant_reference'] as string)?.status).toBe('partially_refunded');
  });

  it('a refund retried with the same maintenance_reference is answered, not applied again', async () => {
    const { reference } = await authorize(1000);
    await capture(reference, 1000);
    const mref = ref('RF');
    const first = await refund(reference, 300, { maintenance_reference: mref });
    expect(first['response_code']).toBe('06000');
    const count = sb.control.operationCount();
    const retry = await refund(reference, 300, { maintenance_reference: mref });
    expect(retry).toMatchObject({ response_code: '06000', fort_id: first['fort_id'], maintenance_reference: mref });
    expect(sb.control.operationCount()).toBe(count);
    expect(sb.control.order(reference)?.refundedAmount).toBe(300);
    // Same reference, different amount: contradicting.
    expect((await refund(reference, 400, { maintenance_reference: mref }))['response_code']).toBe('00110');
  });

  it('a declined refund may be retried with the same maintenance_reference', async () => {
    const { reference } = await authorize(5000);
    await capture(reference, 5000);
    const mref = ref('RF');
    expect((await refund(reference, 1666, { maintenance_reference: mref }))['response_code']).toBe('07666');
    expect((await refund(reference, 1666 - 1, { maintenance_reference: mref }))['response_code']).toBe('06000');
    const status = await checkStatus({ merchant_reference: reference, maintenance_reference: mref });
    expect(status).toMatchObject({ transaction_status: '06', transaction_code: '06000', refunded_amount: '1665' });
  });
});

describe('CHECK_STATUS', () => {
  it('returns the last operation and the three totals, by reference or fort_id', async () => {
    const { reference, fortId } = await authorize(9000);
    await capture(reference, 5000);
    await refund(reference, 1000);
    const res = await checkStatus({ merchant_reference: reference });
    expect(res).toMatchObject({
      status: '12',
      response_code: '12000',
      fort_id: fortId,
      transaction_status: '06',
      transaction_code: '06000',
      transaction_message: 'Success',
      authorized_amount: '9000',
      captured_amount: '5000',
      refunded_amount: '1000',
    });
    expect(res['authorization_code']).toMatch(/^\d{6}$/);
    expect(responseSignatureOk(res)).toBe(true);
    expect((await checkStatus({ fort_id: fortId }))['captured_amount']).toBe('5000');
    expect((await checkStatus({ merchant_reference: reference, return_third_party_response_codes: 'YES' }))['processor_response_code']).toBe('00');
  });

  it('a failed operation is the last operation too', async () => {
    const { reference } = await authorize(100);
    await capture(reference, 200);
    expect(await checkStatus({ merchant_reference: reference })).toMatchObject({ transaction_code: '05042', captured_amount: '0' });
  });

  it('unknown order → status 12, 12036 Order not found, no fort_id', async () => {
    const res = await checkStatus({ merchant_reference: 'NEVER-SENT' });
    expect(res).toMatchObject({ status: '12', response_code: '12036', response_message: 'Order not found' });
    expect(res['fort_id']).toBeUndefined();
    expect((await checkStatus({}))['response_code']).toBe('00001');
  });
});

describe('7-day authorization expiry (sandbox clock)', () => {
  it('capture → 05773 and void → 09773 after 7 days; refund of a capture still works', async () => {
    const a = await authorize(1000);
    const b = await authorize(1000);
    await capture(b.reference, 600);
    sb.control.clock.advance(7 * 24 * 3600 * 1000 - 60_000);
    expect((await capture(a.reference, 100))['status']).toBe('04');
    sb.control.clock.advance(2 * 60_000);
    expect(await capture(a.reference, 100)).toMatchObject({ status: '05', response_code: '05773', response_message: 'Transaction closed' });
    expect((await voidAuth(a.reference))['response_code']).toBe('09034');
    const c = sb.control.order(b.reference);
    expect(c?.authorizationExpired).toBe(true);
    expect((await refund(b.reference, 600))['status']).toBe('06');
    const d = await authorize(1000);
    sb.control.clock.advance(8 * 24 * 3600 * 1000);
    expect((await voidAuth(d.reference))['response_code']).toBe('09773');
  });
});

describe('UPDATE_TOKEN', () => {
  const update = (params: Record<string, string>) => api(sb, { service_command: 'UPDATE_TOKEN', merchant_reference: ref('UT'), ...params });

  it('updates expiry and holder, answers 58000 with the token details', async () => {
    const token = await tokenName(sb, { number: '5123456789012346' });
    const res = await update({ token_name: token, expiry_date: '3112', card_holder_name: 'Jane Doe' });
    expect(res).toMatchObject({ status: '58', response_code: '58000', card_number: '512345******2346', card_bin: '512345', card_brand: 'MASTERCARD', token_status: 'ACTIVE', expiry_date: '3112' });
    expect(res['creation_date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(responseSignatureOk(res)).toBe(true);
  });

  it('INACTIVE tokens cannot be charged; ACTIVE again can', async () => {
    const token = await tokenName(sb);
    expect((await update({ token_name: token, token_status: 'INACTIVE' }))['token_status']).toBe('INACTIVE');
    expect((await api(sb, charge('PURCHASE', token, '100')))['response_code']).toBe('00044');
    await update({ token_name: token, token_status: 'ACTIVE' });
    expect((await api(sb, charge('PURCHASE', token, '100')))['status']).toBe('14');
  });

  it('renames with new_token_name; unknown token 59044; taken name 59114; bad status 00002', async () => {
    const token = await tokenName(sb);
    const other = await tokenName(sb);
    const name = `renamed-${Date.now()}`;
    expect((await update({ token_name: token, new_token_name: name }))['status']).toBe('58');
    expect((await api(sb, charge('PURCHASE', name, '100')))['status']).toBe('14');
    expect((await update({ token_name: token }))['response_code']).toBe('59044');
    expect((await update({ token_name: name, new_token_name: other }))['response_code']).toBe('59114');
    expect((await update({ token_name: name, token_status: 'DELETED' }))['response_code']).toBe('00002');
  });

  it('a token whose card has expired (by the sandbox clock) declines with x3012', async () => {
    const token = await tokenName(sb);
    await update({ token_name: token, expiry_date: '2001' });
    expect((await api(sb, charge('AUTHORIZATION', token, '100')))['response_code']).toBe('03012');
  });
});
