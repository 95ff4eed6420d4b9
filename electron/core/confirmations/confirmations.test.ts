import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, OutputOf } from '../../../shared/contract';
import { ApsGateway } from '../../gateway/aps';
import { DEFAULT_MERCHANT, startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { createCore, type Core } from '../app';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings/defaults';
import { describeOrder, splitName } from './service';

/**
 * The confirmation feature against the real sandbox over HTTP: the sandbox plays the customer
 * (mailbox link, "I agree" / "I refuse"), the core is assembled as the shells assemble it, and
 * charges are counted at the sandbox, which is the bank.
 */

const protector = new PassphraseKeyProtector('confirmations test passphrase', { N: 1 << 12 });
const TEMPLATE = '15be8861-597a-4b7b-a0aa-b7486ba3de7e';
let sb: SandboxHandle;
const dirs: string[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function gateway(): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: sb.paymentApiUrl,
    paymentPageUrl: sb.paymentPageUrl,
    confirmationApiUrl: sb.confirmationApiUrl,
    confirmationApiKey: DEFAULT_MERCHANT.confirmationApiKey,
    confirmationTemplateId: TEMPLATE,
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs: 3000,
    language: 'en',
    isSandbox: true,
    name: 'sandbox',
  });
}

interface Station {
  core: Core;
  dir: string;
  call<K extends ChannelName>(name: K, input: unknown): Promise<OutputOf<K>>;
  reopen(): Promise<void>;
}

async function station(dir = mkdtempSync(join(tmpdir(), 'confirmations-')), initial: ConstructorParameters<typeof MemorySettingsStore>[0] = { confirmationTimeoutSeconds: 60 }): Promise<Station> {
  if (!dirs.includes(dir)) dirs.push(dir);
  const settings = new MemorySettingsStore(initial);
  const open = async () => {
    const core = await createCore({ dataDir: dir, protector, gateway: gateway(), clock: sb.control.clock, settings, hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
    cores.push(core);
    return core;
  };
  const ctx = { sessionKey: 'test-tab', origin: 'test' };
  const s: Station = {
    core: await open(),
    dir,
    async call(name, input) {
      const r = await s.core.dispatch(name, input, ctx);
      if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
      return r.value as OutputOf<typeof name>;
    },
    async reopen() {
      await s.core.close();
      cores.splice(cores.indexOf(s.core), 1);
      s.core = await open();
      // A restart signs everyone out: sign in again as the admin.
      await s.call('session.login', { userId: (await s.call('session.users', {}))[0]!.id, pin: '13572468' });
    },
  };
  await s.call('session.setup', { name: 'Ann Admin', pin: '13572468' });
  return s;
}

/** A customer with a card on file (saved by a first, ordinary charge through the hosted page). */
async function customerWithCard(s: Station, email: string): Promise<{ customerId: string; cardId: string }> {
  const customer = await s.call('customers.create', { name: 'Nadia Haddad', email, phone: '' });
  const form = await s.call('payments.hostedForm', { customerId: customer.id });
  const res = await fetch(`${form.action}?method=get`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, card_number: '4005550000000001', expiry_date: '3005', card_security_code: '123', card_holder_name: 'Nadia Haddad' }).toString(),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (!location) throw new Error(`hosted page answered ${res.status}`);
  const accepted = await s.core.acceptHostedReturn(Object.fromEntries(new URL(location).searchParams));
  expect(accepted.ok).toBe(true);
  const first = await s.call('orders.create', { channel: 'phone', currency: 'USD', customerId: customer.id, lines: [{ description: 'First order', quantity: 1, unitPrice: 500, taxRateBp: 0 }] });
  const charged = await s.call('payments.charge', { orderId: first.id, mode: 'purchase', source: { kind: 'new_card', handle: form.sessionId, save: true } });
  expect(charged.outcome).toBe('approved');
  expect(charged.cardSaved).not.toBeNull();
  return { customerId: customer.id, cardId: charged.cardSaved!.id };
}

async function newOrder(s: Station, customerId: string, unitPrice = 4250): Promise<{ id: string; reference: string }> {
  return s.call('orders.create', { channel: 'phone', currency: 'USD', customerId, lines: [{ description: 'Hand pruners', quantity: 2, unitPrice, taxRateBp: 0 }] });
}

/** The customer's side: the link in the sandbox mailbox, then "I agree" or "I refuse". */
async function customerAnswers(email: string, answer: 'agree' | 'refuse'): Promise<void> {
  const html = await (await fetch(`${sb.url}/mailbox`)).text();
  const article = html.split('<article').find((a) => a.includes(`data-email="${email}"`));
  const processId = /href="\/confirm\/([0-9a-f-]{36})"/.exec(article ?? '')?.[1];
  if (!processId) throw new Error(`no email to ${email} in the mailbox`);
  expect((await fetch(`${sb.url}/confirm/${processId}`)).status).toBe(200);
  const r = await fetch(`${sb.url}/confirm/${processId}/${answer}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
  expect(r.status).toBeLessThan(400);
}

function chargesAtBank(orderReference: string) {
  return sb.control.orders(DEFAULT_MERCHANT.merchantIdentifier).filter((o) => o.merchantReference.startsWith(`${orderReference}-`));
}

async function auditActions(s: Station): Promise<string[]> {
  const entries = await s.call('audit.list', { limit: 1000 });
  return entries.filter((e) => e.action.startsWith('confirmations.')).map((e) => `${e.action}:${e.outcome}`);
}

describe('email confirmation of a MOTO charge', () => {
  it('charges the card on file once the customer agrees, and only then', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'agree.once@example.com');
    const order = await newOrder(s, customerId);

    const started = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    expect(started).toMatchObject({ state: 'processing', processState: 'waiting_click', emailAddress: 'agree.once@example.com', amount: 8500, currency: 'USD', timeoutSeconds: 60, chargeState: 'none', charge: null });
    // A second confirmation for the same order while one is open is refused.
    await expect(s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const waiting = await s.call('confirmations.get', { id: started.id });
    expect(waiting.state).toBe('processing');
    expect(chargesAtBank(order.reference)).toHaveLength(0);

    await customerAnswers('agree.once@example.com', 'agree');
    const done = await s.call('confirmations.get', { id: started.id });
    expect(done).toMatchObject({ state: 'confirmed', chargeState: 'done', charge: { outcome: 'approved', payment: { orderId: order.id, amount: 8500, captured: 8500, status: 'captured' } } });
    expect(chargesAtBank(order.reference)).toHaveLength(1);
    expect((await s.call('orders.get', { id: order.id })).status).toBe('paid');

    // Polling again never charges again.
    await s.call('confirmations.get', { id: started.id });
    expect(chargesAtBank(order.reference)).toHaveLength(1);
    expect(await auditActions(s)).toEqual(expect.arrayContaining(['confirmations.start:success', 'confirmations.outcome:success', 'confirmations.charge:success']));
  });

  it('emails in the customer\'s language: theirs if set, else the station\'s', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'lang-ar@example.com');
    const c = await s.call('customers.get', { id: customerId });
    await s.call('customers.update', { id: customerId, name: c.customer.name, email: c.customer.email, phone: '', language: 'ar' });
    await s.call('confirmations.start', { orderId: (await newOrder(s, customerId)).id, cardId, mode: 'purchase' });
    const mailbox = await (await fetch(`${sb.url}/mailbox`)).text();
    const article = mailbox.split('<article').find((a) => a.includes('data-email="lang-ar@example.com"')) ?? '';
    expect(article).toContain('يرجى تأكيد دفع');
    const processId = /href="\/confirm\/([0-9a-f-]{36})"/.exec(article)?.[1];
    expect(await (await fetch(`${sb.url}/confirm/${processId}`)).text()).toContain('<html lang="ar" dir="rtl">');

    // No language of their own: the station's (settings locale en-US) → English.
    const other = await customerWithCard(s, 'lang-station@example.com');
    await s.call('confirmations.start', { orderId: (await newOrder(s, other.customerId)).id, cardId: other.cardId, mode: 'purchase' });
    const again = await (await fetch(`${sb.url}/mailbox`)).text();
    expect(again.split('<article').find((a) => a.includes('data-email="lang-station@example.com"'))).toContain('Please confirm your payment');
  });

  it('charges exactly once when get is polled concurrently', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'concurrent@example.com');
    const order = await newOrder(s, customerId, 1999);
    const started = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'authorize' });
    await customerAnswers('concurrent@example.com', 'agree');
    const views = await Promise.all(Array.from({ length: 8 }, () => s.call('confirmations.get', { id: started.id })));
    expect(views.every((v) => v.state === 'confirmed')).toBe(true);
    const final = await s.call('confirmations.get', { id: started.id });
    expect(final).toMatchObject({ chargeState: 'done', charge: { outcome: 'approved', payment: { kind: 'authorization', authorized: 3998, captured: 0 } } });
    expect(chargesAtBank(order.reference)).toHaveLength(1);
    expect(chargesAtBank(order.reference)[0]).toMatchObject({ command: 'AUTHORIZATION', authorizedAmount: 3998 });
    const charges = s.core.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE order_id = ?`).get(order.id) as { n: number };
    expect(charges.n).toBe(1);
  });

  it('a refusal charges nothing and leaves the order awaiting payment', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'refuses@example.com');
    const order = await newOrder(s, customerId);
    const started = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    await customerAnswers('refuses@example.com', 'refuse');
    const v = await s.call('confirmations.get', { id: started.id });
    expect(v).toMatchObject({ state: 'refused', chargeState: 'none', charge: null });
    expect(v.message).toMatch(/refused.*Nothing was charged/);
    expect(chargesAtBank(order.reference)).toHaveLength(0);
    expect((await s.call('orders.get', { id: order.id })).status).toBe('awaiting_payment');
    expect(await auditActions(s)).toContain('confirmations.outcome:failure');
    // The order can be paid another way, or confirmed again.
    const again = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    expect(again.state).toBe('processing');
  });

  it('a fresh station gives the customer ten minutes, not the API default of 60 s', async () => {
    const s = await station(undefined, {});
    const { customerId, cardId } = await customerWithCard(s, 'finding.the.mail@example.com');
    const order = await newOrder(s, customerId);
    const started = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    // The service itself echoes the timeout it was asked for (seed 003: process.timeout_seconds).
    expect(started).toMatchObject({ state: 'processing', timeoutSeconds: 600 });
    expect(Date.parse(started.deadline) - Date.parse(started.createdAt)).toBe(600_000);
    // Five minutes on, the customer is still finding the mail, and can still agree.
    sb.control.clock.advance(5 * 60_000);
    expect((await s.call('confirmations.get', { id: started.id })).state).toBe('processing');
    await customerAnswers('finding.the.mail@example.com', 'agree');
    for (let i = 0; i < 50; i++) {
      const v = await s.call('confirmations.get', { id: started.id });
      if (v.chargeState === 'done') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(chargesAtBank(order.reference)).toHaveLength(1);
  });

  it('expiry (sandbox time) and a delivery failure show the reason and charge nothing', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'slow@example.com');
    const order = await newOrder(s, customerId);
    const started = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    sb.control.clock.advance(61_000);
    const expired = await s.call('confirmations.get', { id: started.id });
    expect(expired).toMatchObject({ state: 'expired', failReason: 'Timeout', charge: null });
    expect(chargesAtBank(order.reference)).toHaveLength(0);

    await s.call('customers.update', { id: customerId, name: 'Nadia Haddad', email: 'bounce@example.com', phone: '' });
    const bounced = await s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' });
    expect(bounced).toMatchObject({ state: 'failed', failReason: 'Delivery Error', charge: null });
    expect(bounced.message).toContain('Delivery Error');
    expect(chargesAtBank(order.reference)).toHaveLength(0);
  });

  it('after a restart: a confirmed one left uncharged is charged once; a charged one is never charged again', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'restart@example.com');
    const orderA = await newOrder(s, customerId, 1000);
    const a = await s.call('confirmations.start', { orderId: orderA.id, cardId, mode: 'purchase' });
    const orderB = await newOrder(s, customerId, 2000);
    const b = await s.call('confirmations.start', { orderId: orderB.id, cardId, mode: 'purchase' });
    await customerAnswers('restart@example.com', 'agree'); // the newest mail: B
    await expect.poll(() => s.call('confirmations.get', { id: b.id }).then((v) => v.chargeState)).toBe('done');
    // A: the customer agrees while the station is down; nothing was charged before the restart.
    await s.core.close();
    const html = await (await fetch(`${sb.url}/mailbox`)).text();
    const pid = [...html.matchAll(/href="\/confirm\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    for (const id of pid) await fetch(`${sb.url}/confirm/${id}/agree`, { method: 'POST', body: '' });
    await s.reopen();
    // Restart recovery has already charged A from the start-up sweep.
    const va = await s.call('confirmations.get', { id: a.id });
    expect(va).toMatchObject({ state: 'confirmed', chargeState: 'done', charge: { outcome: 'approved' } });
    expect(chargesAtBank(orderA.reference)).toHaveLength(1);
    expect(chargesAtBank(orderB.reference)).toHaveLength(1);

    // A claim interrupted by a crash after payments recorded the charge: linked, not charged again.
    s.core.db.prepare(`UPDATE confirmations SET charge_state = 'charging', payment_id = NULL, charge_outcome = NULL WHERE id = ?`).run(b.id);
    await s.reopen();
    const vb = await s.call('confirmations.get', { id: b.id });
    expect(vb).toMatchObject({ chargeState: 'done', charge: { outcome: 'approved', payment: { orderId: orderB.id } } });
    expect(chargesAtBank(orderB.reference)).toHaveLength(1);
    expect((s.core.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE order_id = ?`).get(orderB.id) as { n: number }).n).toBe(1);
  });

  it('refuses what cannot be confirmed by email', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s, 'rules@example.com');
    const order = await newOrder(s, customerId);
    await s.call('customers.update', { id: customerId, name: 'Nadia Haddad', email: '', phone: '' });
    await expect(s.call('confirmations.start', { orderId: order.id, cardId, mode: 'purchase' })).rejects.toMatchObject({ code: 'VALIDATION' });
    const walkIn = await s.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }] });
    await expect(s.call('confirmations.start', { orderId: walkIn.id, cardId, mode: 'purchase' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(s.call('confirmations.get', { id: 'cnf_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('helpers', () => {
  it('splits names and describes orders within the service limits', () => {
    expect(splitName('Ada Lovelace King')).toEqual({ firstName: 'Ada', lastName: 'Lovelace King' });
    expect(splitName('Cher')).toEqual({ firstName: 'Cher', lastName: 'Cher' });
    expect(describeOrder('R1', [{ description: 'Pruners', quantity: 2 }, { description: 'Loppers', quantity: 1 }])).toBe('Order R1: 2 x Pruners, Loppers');
    expect([...describeOrder('R1', [{ description: 'x'.repeat(300), quantity: 1 }])].length).toBe(150);
  });
});
