/**
 * Payment Link: the APS adapter against the sandbox over real HTTP, and the customer's side
 * (payer page, 3-D Secure challenge, mailbox / SMS outbox) driven with fetch like a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import { DEFAULT_MERCHANT, startSandbox } from '../sandbox';
import { api } from '../sandbox/test-support';
import type { PaymentLinkRequest } from '../types';
import { ApsGateway } from './gateway';
import { buildPaymentLink, buildPaymentLinkStatus } from './payment-link';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const HOUR = 3_600_000;
let sb: Sandbox;
let g: ApsGateway;
let gf: ApsGateway;
let seq = 0;
const run = Date.now().toString(36);
const ref = (): string => `LNK-${run}-${++seq}`;

function gateway(timeoutMs: number): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: sb.paymentApiUrl,
    paymentPageUrl: sb.paymentPageUrl,
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs,
    language: 'en',
    isSandbox: true,
    name: 'Sandbox',
  });
}

beforeAll(async () => {
  sb = await startSandbox({});
  g = gateway(2_000);
  gf = gateway(400);
});
afterAll(async () => sb?.close());

function linkReq(over: Partial<PaymentLinkRequest> = {}): PaymentLinkRequest {
  return {
    merchantReference: ref(),
    amount: money(12_500, 'USD'),
    customerEmail: 'layla@example.com',
    notificationType: 'EMAIL',
    expiresAt: new Date(sb.control.clock.now().getTime() + 24 * HOUR).toISOString(),
    orderDescription: 'Order R1 two lamps',
    ...over,
  };
}

const CREDS = { accessCode: 'AC1', merchantIdentifier: 'MID1', requestPhrase: 'REQ', shaType: 'SHA-256' as const, language: 'en' as const };

describe('request builders', () => {
  it('builds a signed PAYMENT_LINK with every documented field and no empty optionals', () => {
    const r = buildPaymentLink(CREDS, { ...linkReq(), expiresAt: '2026-12-27T06:55:42.123Z', customerPhone: '+971500000001', notificationType: 'EMAIL_SMS' });
    expect(r.params).toMatchObject({
      service_command: 'PAYMENT_LINK', amount: '12500', currency: 'USD', customer_email: 'layla@example.com', customer_phone: '+971500000001',
      notification_type: 'EMAIL_SMS', request_expiry_date: '2026-12-27T06:55:42Z', order_description: 'Order R1 two lamps', language: 'en',
    });
    expect(r.params['signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses bad input before sending: SMS without a phone, zero amount, bad phone, bad expiry', () => {
    expect(() => buildPaymentLink(CREDS, linkReq({ notificationType: 'SMS' }))).toThrow(/customer_phone/);
    expect(() => buildPaymentLink(CREDS, linkReq({ amount: money(0, 'USD') }))).toThrow(/amount/);
    expect(() => buildPaymentLink(CREDS, linkReq({ customerPhone: 'call me' }))).toThrow(/customer_phone/);
    expect(() => buildPaymentLink(CREDS, linkReq({ expiresAt: 'tomorrow' }))).toThrow(/request_expiry_date/);
  });

  it('status query carries the link id only when known', () => {
    expect(buildPaymentLinkStatus(CREDS, { merchantReference: 'A1' }).params['payment_link_id']).toBeUndefined();
    expect(buildPaymentLinkStatus(CREDS, { merchantReference: 'A1', paymentLinkId: '123' }).params['payment_link_id']).toBe('123');
  });
});

async function openFromMailbox(linkId: string): Promise<string> {
  const res = await fetch(`${sb.url}/__sandbox/link-messages`);
  const { messages } = (await res.json()) as { messages: { payment_link_id: string; url: string; channel: string }[] };
  const m = messages.find((x) => x.payment_link_id === linkId && x.channel === 'EMAIL');
  if (!m) throw new Error('no mail for the link');
  return m.url;
}

async function payWith(url: string, card: string, cvv = '123'): Promise<{ status: number; html: string }> {
  const res = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card_number: card, expiry: '05/30', cvv }).toString() });
  return { status: res.status, html: await res.text() };
}

async function answer(html: string, otp: string): Promise<string> {
  const action = /action="(\/link\/3ds\/[0-9a-f-]{36})"/.exec(html)?.[1];
  if (!action) throw new Error('no challenge form');
  const res = await fetch(`${sb.url}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `otp=${otp}` });
  return res.text();
}

describe('Payment Link against the sandbox', () => {
  it('creates a link, mails it, counts opens, takes a 3-D Secure payment; paid link is an order that refunds', async () => {
    const req = linkReq();
    const created = await g.createPaymentLink(req);
    expect(created.kind).toBe('succeeded');
    if (created.kind !== 'succeeded') return;
    expect(created.responseCode).toBe('48000');
    expect(created.value.url).toMatch(/\/link\/[0-9a-f-]{36}$/);
    const url = await openFromMailbox(created.value.paymentLinkId);
    expect(url).toBe(created.value.url);

    let st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference, paymentLinkId: created.value.paymentLinkId });
    expect(st.kind === 'succeeded' && st.value).toMatchObject({ found: true, status: 'Open', openedCount: 0 });

    const page = await (await fetch(url)).text();
    expect(page).toContain('USD 125.00');
    expect(page).toMatch(/autocomplete="off" spellcheck="false"/);
    const step = await payWith(url, '4557012345678902');
    expect(step.html).toContain('verify this payment');
    expect(step.html).not.toContain('4557012345678902');
    const done = await answer(step.html, '1234');
    expect(done).toContain('data-testid="link-paid"');

    st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value).toMatchObject({ found: true, status: 'Paid', openedCount: 1 });
    const fortId = st.kind === 'succeeded' ? st.value.fortId : undefined;
    expect(fortId).toMatch(/^[0-9]{18}$/);

    const order = await g.checkStatus({ merchantReference: req.merchantReference });
    expect(order.kind === 'succeeded' && order.value).toMatchObject({ found: true, capturedAmount: 12_500 });
    const refund = await g.refund({ merchantReference: req.merchantReference, amount: money(2_500, 'USD'), maintenanceReference: `${req.merchantReference}-R1` });
    expect(refund.kind).toBe('succeeded');

    // A paid link takes no second payment.
    const again = await payWith(url, '4005550000000001');
    expect(again.status).toBe(410);
  });

  it('a wrong 3-D Secure code and the always-failing 3DS card do not pay; a plain card pays without a challenge', async () => {
    const req = linkReq();
    const created = await g.createPaymentLink(req);
    if (created.kind !== 'succeeded') throw new Error('not created');
    const url = created.value.url as string;
    expect(await answer((await payWith(url, '4557012345678902')).html, '0000')).toContain('data-testid="link-declined"');
    expect(await answer((await payWith(url, '4000000000003220')).html, '1234')).toContain('3-D Secure authentication failed');
    let st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value.status).toBe('Open');
    expect((await payWith(url, '4005550000000001')).html).toContain('data-testid="link-paid"');
    st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value.status).toBe('Paid');
  });

  it('expires on the sandbox clock; extend reopens it; close cancels it; resend mails it again', async () => {
    const req = linkReq({ expiresAt: new Date(sb.control.clock.now().getTime() + HOUR).toISOString() });
    const created = await g.createPaymentLink(req);
    if (created.kind !== 'succeeded') throw new Error('not created');
    const id = created.value.paymentLinkId;
    sb.control.clock.advance(2 * HOUR);
    let st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value.status).toBe('Expired');
    expect((await fetch(created.value.url as string)).status).toBe(410);

    const ext = await g.updatePaymentLink({ merchantReference: req.merchantReference, paymentLinkId: id, action: 'EXTEND', expiresAt: new Date(sb.control.clock.now().getTime() + 5 * HOUR).toISOString() });
    expect(ext.kind).toBe('succeeded');
    st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value.status).toBe('Open');

    const resend = await g.updatePaymentLink({ merchantReference: req.merchantReference, paymentLinkId: id, action: 'RESEND' });
    expect(resend.kind).toBe('succeeded');
    const msgs = ((await (await fetch(`${sb.url}/__sandbox/link-messages`)).json()) as { messages: { payment_link_id: string }[] }).messages;
    expect(msgs.filter((m) => m.payment_link_id === id)).toHaveLength(2);

    const close = await g.updatePaymentLink({ merchantReference: req.merchantReference, paymentLinkId: id, action: 'CLOSE' });
    expect(close.kind).toBe('succeeded');
    st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value.status).toBe('Closed');
    const closedAgain = await g.updatePaymentLink({ merchantReference: req.merchantReference, paymentLinkId: id, action: 'EXTEND', expiresAt: new Date(sb.control.clock.now().getTime() + HOUR).toISOString() });
    expect(closedAgain.kind).toBe('declined');
  });

  it('SMS links go to the SMS outbox; the same reference twice is refused (00066), never a second link', async () => {
    const req = linkReq({ notificationType: 'SMS', customerPhone: '+971500000009' });
    const first = await g.createPaymentLink(req);
    expect(first.kind).toBe('succeeded');
    const sms = await (await fetch(`${sb.url}/sms-outbox`)).text();
    expect(sms).toContain('+971500000009');
    const second = await g.createPaymentLink(req);
    expect(second.kind === 'declined' && second.responseCode).toBe('00066');
  });

  it('a bad signature is refused with 00008 and creates nothing', async () => {
    const merchantReference = ref();
    const body = await api(sb, {
      service_command: 'PAYMENT_LINK', merchant_reference: merchantReference, amount: '100', currency: 'USD', customer_email: 'a@example.com',
      notification_type: 'EMAIL', request_expiry_date: new Date(sb.control.clock.now().getTime() + HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z'), signature: 'ab'.repeat(32),
    }, { sign: false });
    expect(body['response_code']).toBe('00008');
    const st = await g.checkPaymentLinkStatus({ merchantReference });
    expect(st.kind === 'succeeded' && st.value.found).toBe(false);
  });

  it('a reply lost after the link was made is pending, and the status query finds the link', async () => {
    const req = linkReq();
    sb.control.injectFault({ kind: 'reset_after_commit', match: { command: 'PAYMENT_LINK', merchantReference: req.merchantReference } });
    const lost = await gf.createPaymentLink(req);
    expect(lost.kind).toBe('pending');
    const st = await g.checkPaymentLinkStatus({ merchantReference: req.merchantReference });
    expect(st.kind === 'succeeded' && st.value).toMatchObject({ found: true, status: 'Open' });
  });

  it('a badly signed reply is pending, not succeeded', async () => {
    const req = linkReq();
    sb.control.injectFault({ kind: 'bad_signature', match: { command: 'PAYMENT_LINK', merchantReference: req.merchantReference } });
    const r = await g.createPaymentLink(req);
    expect(r.kind === 'pending' && r.reason).toBe('bad_signature');
  });
});
