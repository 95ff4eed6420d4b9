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

/**
 * Pay by link, core against the real sandbox over HTTP: the sandbox plays the customer (mailbox,
 * payer page, 3-D Secure) and the bank; the core is assembled as the shells assemble it.
 */

const protector = new PassphraseKeyProtector('links test passphrase', { N: 1 << 12 });
let sb: SandboxHandle;
const dirs: string[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => sb.close());
afterEach(async () => {
  sb.control.clearFaults();
  sb.control.setReachable(true);
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function gateway(timeoutMs = 3000): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: sb.paymentApiUrl, paymentPageUrl: sb.paymentPageUrl,
    accessCode: DEFAULT_MERCHANT.accessCode, merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase, responsePhrase: DEFAULT_MERCHANT.responsePhrase, shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs, language: 'en', isSandbox: true, name: 'sandbox',
  });
}

interface Station {
  core: Core;
  call<K extends ChannelName>(name: K, input: unknown): Promise<OutputOf<K>>;
  reopen(): Promise<void>;
}

async function station(timeoutMs = 3000): Promise<Station> {
  const dir = mkdtempSync(join(tmpdir(), 'links-'));
  dirs.push(dir);
  const settings = new MemorySettingsStore({ refundApprovalLimit: 10_000_000, allowSelfApproval: true });
  const open = async () => {
    // staleMs 0: every ensureOnline probes, so "offline" does not depend on when the last probe ran
    // (with PIN hashing off the event loop, a start-up probe can answer during session.setup).
    const core = await createCore({ dataDir: dir, protector, gateway: gateway(timeoutMs), clock: sb.control.clock, settings, hostedReturnUrl: 'http://127.0.0.1:9/hosted/return', sync: { staleMs: 0 } });
    cores.push(core);
    return core;
  };
  const ctx = { sessionKey: 'test-tab', origin: 'test' };
  const s: Station = {
    core: await open(),
    async call(name, input) {
      const r = await s.core.dispatch(name, input, ctx);
      if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
      return r.value as OutputOf<typeof name>;
    },
    async reopen() {
      await s.core.close();
      cores.splice(cores.indexOf(s.core), 1);
      s.core = await open();
      await s.call('session.login', { userId: (await s.call('session.users', {}))[0]!.id, pin: '13572468' });
    },
  };
  await s.call('session.setup', { name: 'Ann Admin', pin: '13572468' });
  return s;
}

async function newOrder(s: Station): Promise<{ id: string; reference: string }> {
  const c = await s.call('customers.create', { name: 'Layla Haddad', email: 'layla@example.com', phone: '' });
  return s.call('orders.create', { channel: 'phone', currency: 'USD', customerId: c.id, lines: [{ description: 'Reading lamp', quantity: 2, unitPrice: 4250, taxRateBp: 0 }] });
}

async function messagesFor(orderReference: string): Promise<{ url: string; channel: string; address: string }[]> {
  const all = ((await (await fetch(`${sb.url}/__sandbox/link-messages`)).json()) as { messages: { url: string; channel: string; address: string; text: string }[] }).messages;
  return all.filter((m) => m.text.includes(orderReference));
}

async function customerPays(url: string, card = '4557012345678902', otp = '1234'): Promise<string> {
  expect((await fetch(url)).status).toBe(200);
  const first = await (await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card_number: card, expiry: '05/30', cvv: '123' }).toString() })).text();
  const action = /action="(\/link\/3ds\/[0-9a-f-]{36})"/.exec(first)?.[1];
  if (!action) return first;
  return (await fetch(`${sb.url}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `otp=${otp}` })).text();
}

async function auditActions(s: Station): Promise<string[]> {
  const entries = await s.call('audit.list', { limit: 1000 });
  return entries.filter((e) => e.action.startsWith('link.')).map((e) => `${e.action}:${e.outcome}`);
}

describe('pay by link', () => {
  it('sends one link, follows it to paid, records the payment once, and refunds part of it', async () => {
    const s = await station();
    const order = await newOrder(s);
    const link = await s.call('links.send', { orderId: order.id, email: 'layla@example.com', notify: 'EMAIL' });
    expect(link).toMatchObject({ state: 'sent', amount: 8500, currency: 'USD', reference: `${order.reference}-L1`, gatewayAccount: 'sandbox:SANDBOXMID' });
    expect(link.url).toMatch(/\/link\/[0-9a-f-]{36}$/);
    await expect(s.call('links.send', { orderId: order.id, email: 'layla@example.com', notify: 'EMAIL' })).rejects.toMatchObject({ code: 'CONFLICT' });

    expect((await fetch(link.url as string)).status).toBe(200);
    expect((await s.call('links.get', { id: link.id })).state).toBe('opened');
    expect(await customerPays(link.url as string)).toContain('data-testid="link-paid"');

    const paid = await s.call('links.get', { id: link.id });
    expect(paid.state).toBe('paid');
    expect(paid.paymentId).not.toBeNull();
    // Asked again (a second poll, a restart): still one payment.
    await s.call('links.get', { id: link.id });
    await s.reopen();
    const again = await s.call('links.get', { id: link.id });
    expect(again.paymentId).toBe(paid.paymentId);
    const detail = await s.call('payments.get', { paymentId: paid.paymentId! });
    expect(detail.payment).toMatchObject({ reference: link.reference, captured: 8500, status: 'captured', method: 'card' });
    expect((await s.call('orders.get', { id: order.id })).status).toBe('paid');

    const refund = await s.call('payments.refund', { paymentId: paid.paymentId!, amount: 2000, reason: 'one lamp returned' });
    expect(refund.outcome).toBe('approved');
    expect(sb.control.order(link.reference, DEFAULT_MERCHANT.merchantIdentifier)).toMatchObject({ capturedAmount: 8500, refundedAmount: 2000 });
    expect(await auditActions(s)).toEqual(expect.arrayContaining(['link.send:success', 'link.paid:success']));
  });

  it('a reply lost after the gateway made the link is resolved by the status query: one link, no second one', async () => {
    const s = await station(800);
    const order = await newOrder(s);
    sb.control.injectFault({ kind: 'reset_after_commit', match: { command: 'PAYMENT_LINK' } });
    const link = await s.call('links.send', { orderId: order.id, email: 'lost.reply@example.com', notify: 'EMAIL' });
    expect(link.state).toBe('sent');
    const mails = (await messagesFor(order.reference)).filter((m) => m.address === 'lost.reply@example.com');
    expect(mails).toHaveLength(1);
  });

  it('a request lost before the gateway made anything: not found by the query, sent again under the same reference', async () => {
    const s = await station(800);
    const order = await newOrder(s);
    sb.control.injectFault({ kind: 'reset_before_commit', match: { command: 'PAYMENT_LINK' } });
    const link = await s.call('links.send', { orderId: order.id, email: 'lost.request@example.com', notify: 'EMAIL' });
    expect(link).toMatchObject({ state: 'sent', reference: `${order.reference}-L1` });
    expect((await messagesFor(order.reference)).filter((m) => m.address === 'lost.request@example.com')).toHaveLength(1);
  });

  it('unknown across a restart: recovery settles it by the status query, exactly one link', async () => {
    const s = await station(800);
    const order = await newOrder(s);
    sb.control.injectFault({ kind: 'reset_after_commit', match: { command: 'PAYMENT_LINK' } });
    sb.control.injectFault({ kind: 'reset_before_commit', match: { command: 'CHECK_PAYMENT_LINK_STATUS' }, times: 1 });
    const link = await s.call('links.send', { orderId: order.id, email: 'restart@example.com', notify: 'EMAIL' });
    expect(link.state).toBe('unknown');
    await s.reopen();
    const after = await s.call('links.forOrder', { orderId: order.id });
    expect(after).toMatchObject({ id: link.id, state: 'sent' });
    expect((await messagesFor(order.reference)).filter((m) => m.address === 'restart@example.com')).toHaveLength(1);
  });

  it('offline: refused with a clear message, nothing written', async () => {
    const s = await station(800);
    const order = await newOrder(s);
    sb.control.setReachable(false);
    await expect(s.call('links.send', { orderId: order.id, email: 'offline@example.com', notify: 'EMAIL' })).rejects.toMatchObject({ code: 'GATEWAY_UNREACHABLE', message: expect.stringContaining('offline') });
    expect(await s.call('links.forOrder', { orderId: order.id })).toBeNull();
  });

  it('bad input changes nothing: SMS without a phone, expiry outside the limits', async () => {
    const s = await station();
    const order = await newOrder(s);
    await expect(s.call('links.send', { orderId: order.id, email: 'a@example.com', notify: 'SMS' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(s.call('links.send', { orderId: order.id, email: 'a@example.com', notify: 'EMAIL', expiresInMinutes: 5 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(s.call('links.send', { orderId: order.id, email: 'not an email', notify: 'EMAIL' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await s.call('links.forOrder', { orderId: order.id })).toBeNull();
  });

  it('expires on the gateway clock; extend, resend and cancel are explicit and audited; a cancelled link cannot be paid', async () => {
    const s = await station();
    const order = await newOrder(s);
    const link = await s.call('links.send', { orderId: order.id, email: 'later@example.com', phone: '+971500000001', notify: 'EMAIL_SMS', expiresInMinutes: 60 });
    sb.control.clock.advance(2 * 3_600_000);
    await s.call('session.unlock', { pin: '13572468' });
    expect((await s.call('links.get', { id: link.id })).state).toBe('expired');
    const extended = await s.call('links.extend', { id: link.id, expiresInMinutes: 120 });
    expect(extended.state).toBe('sent');
    await s.call('links.resend', { id: link.id });
    expect((await messagesFor(order.reference)).filter((m) => m.address === '+971500000001')).toHaveLength(2);
    const cancelled = await s.call('links.cancel', { id: link.id });
    expect(cancelled.state).toBe('cancelled');
    expect((await fetch(link.url as string)).status).toBe(410);
    await expect(s.call('links.resend', { id: link.id })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    expect(await auditActions(s)).toEqual(expect.arrayContaining(['link.send:success', 'link.extend:success', 'link.resend:success', 'link.cancel:success']));
    // A cancelled link frees the order for a new one, with its own reference.
    const second = await s.call('links.send', { orderId: order.id, email: 'later@example.com', notify: 'EMAIL' });
    expect(second.reference).toBe(`${order.reference}-L2`);
  });
});

describe('link expiry settings', () => {
  it('a default outside its own limits is refused and nothing changes; a valid change is the new default', async () => {
    const s = await station();
    await expect(s.call('settings.update', { paymentLinks: { defaultMinutes: 2_000, minMinutes: 15, maxMinutes: 600, warnMinutes: 60 } })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await s.call('settings.get', {})).paymentLinks.defaultMinutes).toBe(1_440);
    await s.call('settings.update', { paymentLinks: { defaultMinutes: 120, minMinutes: 30, maxMinutes: 600, warnMinutes: 20 } });
    const order = await newOrder(s);
    const before = sb.control.clock.now().getTime();
    const link = await s.call('links.send', { orderId: order.id, email: 'settings@example.com', notify: 'EMAIL' });
    expect(Date.parse(link.expiresAt) - before).toBeGreaterThanOrEqual(119 * 60_000);
    expect(Date.parse(link.expiresAt) - before).toBeLessThanOrEqual(121 * 60_000);
    await expect(s.call('links.extend', { id: link.id, expiresInMinutes: 700 })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('the link watcher', () => {
  async function watchedStation(): Promise<Station> {
    const dir = mkdtempSync(join(tmpdir(), 'links-watch-'));
    dirs.push(dir);
    const settings = new MemorySettingsStore({ refundApprovalLimit: 10_000_000, allowSelfApproval: true });
    // Real timers, short waits: the watcher's schedule runs as in the app, only faster.
    const core = await createCore({ dataDir: dir, protector, gateway: gateway(), clock: sb.control.clock, settings, hostedReturnUrl: 'http://127.0.0.1:9/hosted/return', linkWatch: { tickMs: 40, baseMs: 50, maxMs: 200 } });
    cores.push(core);
    const ctx = { sessionKey: 'test-tab', origin: 'test' };
    const s: Station = {
      core,
      async call(name, input) {
        const r = await s.core.dispatch(name, input, ctx);
        if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
        return r.value as OutputOf<typeof name>;
      },
      reopen: () => Promise.reject(new Error('not used')),
    };
    await s.call('session.setup', { name: 'Ann Admin', pin: '13572468' });
    return s;
  }

  async function until<T>(read: () => T, ok: (v: T) => boolean, ms = 8_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = read();
      if (ok(v) || Date.now() > end) return v;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a link paid while nobody has the order open becomes a payment, once', async () => {
    const s = await watchedStation();
    const order = await newOrder(s);
    const link = await s.call('links.send', { orderId: order.id, email: 'watch@example.com', notify: 'EMAIL' });
    // The customer pays from the mailbox; the desk never calls links.get.
    expect(await customerPays(link.url as string)).toContain('data-testid="link-paid"');
    const row = await until(
      () => s.core.db.prepare('SELECT state, payment_id FROM payment_links WHERE id = ?').get(link.id) as { state: string; payment_id: string | null },
      (r) => r.state === 'paid',
    );
    expect(row.state).toBe('paid');
    expect(row.payment_id).not.toBeNull();
    expect((await s.call('orders.get', { id: order.id })).status).toBe('paid');
    // More ticks later: still one payment for the link.
    await new Promise((r) => setTimeout(r, 300));
    expect((s.core.db.prepare('SELECT COUNT(*) AS n FROM payments WHERE reference = ?').get(link.reference) as { n: number }).n).toBe(1);
  });

  it('a link still being sent is not asked about by the watcher meanwhile, nor sent twice', async () => {
    const s = await watchedStation();
    const order = await newOrder(s);
    // The gateway takes its time to make the link: many watcher ticks pass during the send.
    sb.control.injectFault({ kind: 'latency', match: { command: 'PAYMENT_LINK' }, times: 1, delayMs: 800 });
    const link = await s.call('links.send', { orderId: order.id, email: 'slow@example.com', notify: 'EMAIL' });
    expect(link.state).toBe('sent');
    const row = s.core.db.prepare('SELECT attempts, checks, state FROM payment_links WHERE id = ?').get(link.id);
    expect(row).toMatchObject({ attempts: 1, checks: 0, state: 'sent' });
  });

  it('an open link near its expiry is counted by the expiring summary; an expired one is followed to expired', async () => {
    const s = await watchedStation();
    const order = await newOrder(s);
    const link = await s.call('links.send', { orderId: order.id, email: 'soon@example.com', notify: 'EMAIL', expiresInMinutes: 30 });
    const summary = await s.call('links.expiringSummary', {});
    expect(summary.total).toBe(1);
    expect(summary.soonest).toMatchObject({ id: link.id, orderReference: order.reference });
    sb.control.clock.advance(31 * 60_000);
    await s.call('session.unlock', { pin: '13572468' }).catch(() => undefined);
    const row = await until(() => s.core.db.prepare('SELECT state FROM payment_links WHERE id = ?').get(link.id) as { state: string }, (r) => r.state === 'expired');
    expect(row.state).toBe('expired');
    expect((await s.call('links.expiringSummary', {})).total).toBe(0);
  });
});
