import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName, OutputOf } from '../../../shared/contract';
import { embeddedSandboxGateway } from '../../gateway/embedded';
import { startSandbox, type MerchantConfig, type SandboxHandle } from '../../gateway/sandbox';
import { createCore, type Core } from '../app';
import { PassphraseKeyProtector } from '../db/key-protector';
import type { Logger } from '../deps';
import { MemorySettingsStore } from '../settings/defaults';
import { stmt } from '../ledger/sql';
import { provisionGateway, readGatewayConfig } from './provision';
import { openLedger } from '../db/database';
import { upsertAccount } from './store';

/**
 * Gateway accounts end to end in the core: the embedded sandbox plus a SECOND sandbox instance
 * playing the merchant's APS test environment (own port, its own merchant identifier, access code,
 * phrases and SHA-512), reached through the development URL override. Real HTTP, real signatures,
 * real encrypted ledger; the two sandboxes are the two banks, and they say where money went.
 */

const protector = new PassphraseKeyProtector('gateway accounts test passphrase', { N: 1 << 12 });
const PIN = '24681357';
const APS_TEST: MerchantConfig = {
  merchantIdentifier: 'TESTMID42',
  accessCode: 'TestAccessCode42',
  requestPhrase: 'tEst-request-PHRASE-42!',
  responsePhrase: 'tEst-response-PHRASE-77?',
  shaType: 'SHA-512',
  confirmationApiKey: 'test-confirm-KEY-42',
};
const SECRETS = [APS_TEST.accessCode, APS_TEST.requestPhrase, APS_TEST.responsePhrase];

let embedded: SandboxHandle;
let aps: SandboxHandle;
const dirs: string[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  embedded = await startSandbox();
  aps = await startSandbox({ merchants: [APS_TEST] });
});
afterAll(async () => {
  await embedded.close();
  await aps.close();
});
afterEach(async () => {
  embedded.control.setReachable(true);
  aps.control.setReachable(true);
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Station {
  core: Core;
  dir: string;
  logs: string[];
  call<K extends ChannelName>(name: K, input: unknown): Promise<OutputOf<K>>;
  attempt(name: ChannelName, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>;
}

function memoryLogger(lines: string[]): Logger {
  const write = (level: string) => (obj: object, msg?: string) => void lines.push(JSON.stringify({ level, ...obj, msg }));
  return { info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
}

function openCore(dir: string, log: Logger): Promise<Core> {
  return createCore({
    dataDir: dir,
    protector,
    gateway: embeddedSandboxGateway(embedded, { timeoutMs: 3000, logger: log }),
    clock: embedded.control.clock,
    settings: new MemorySettingsStore({ refundApprovalLimit: 1_000_000 }),
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    log,
    gatewayAccounts: { allowUrlOverride: true, embeddedPageOrigin: new URL(embedded.paymentPageUrl).origin, timeoutMs: 3000, testTimeoutMs: 3000 },
  });
}

async function station(): Promise<Station> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-accounts-'));
  dirs.push(dir);
  const logs: string[] = [];
  const log = memoryLogger(logs);
  const core = await openCore(dir, log);
  cores.push(core);
  const ctx = { sessionKey: 'admin-tab', origin: 'test' };
  const s: Station = {
    core,
    dir,
    logs,
    async call(name, input) {
      const r = await core.dispatch(name, input, ctx);
      if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
      return r.value as OutputOf<typeof name>;
    },
    async attempt(name, input) {
      return (await core.dispatch(name, input, ctx));
    },
  };
  await s.call('session.setup', { name: 'Ann Admin', pin: PIN });
  return s;
}

function testAccount(over: Record<string, unknown> = {}) {
  return {
    environment: 'test',
    merchantIdentifier: APS_TEST.merchantIdentifier,
    accessCode: APS_TEST.accessCode,
    requestPhrase: APS_TEST.requestPhrase,
    responsePhrase: APS_TEST.responsePhrase,
    shaType: 'SHA-512',
    currencies: ['USD', 'AED'],
    urlOverride: { paymentApiUrl: aps.paymentApiUrl, paymentPageUrl: aps.paymentPageUrl },
    ...over,
  };
}

/** A new card through whichever hosted page the station's active account uses. */
async function newCard(s: Station, customerId?: string): Promise<string> {
  const form = await s.call('payments.hostedForm', customerId ? { customerId } : {});
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
  return form.sessionId;
}

async function order(s: Station, total = 1000, customerId?: string) {
  return s.call('orders.create', { channel: 'phone', currency: 'USD', ...(customerId ? { customerId } : {}), lines: [{ description: 'Widget', quantity: 1, unitPrice: total, taxRateBp: 0 }] });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('test connection against a second sandbox playing the APS test environment', () => {
  it('names what is wrong in words a shop owner can act on, and OK once corrected', async () => {
    const s = await station();
    const port = await closedPort();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ urlOverride: { paymentApiUrl: `http://127.0.0.1:${port}/FortAPI/paymentApi`, paymentPageUrl: aps.paymentPageUrl } }, 'unreachable', /could not be reached/],
      [{ accessCode: 'WrongAccess1' }, 'credentials_refused', /merchant identifier or the access code/],
      [{ merchantIdentifier: 'NOSUCHMID' }, 'credentials_refused', /merchant identifier or the access code/],
      [{ requestPhrase: 'not-the-request-phrase' }, 'request_phrase', /request phrase is wrong/],
      [{ responsePhrase: 'not-the-response-phrase' }, 'response_phrase', /response phrase/],
      [{ shaType: 'SHA-256' }, 'sha_type', /SHA type/],
      [{}, 'ok', /^Connected/],
    ];
    for (const [over, outcome, message] of cases) {
      const r = await s.call('gateway.test', testAccount(over));
      expect({ over, outcome: r.outcome }).toEqual({ over, outcome });
      expect(r.message).toMatch(message);
    }
    // Each test is audited with its outcome and no secret.
    const audit = await s.call('audit.list', { action: 'gateway.test' });
    expect(audit.map((e) => e.detail)).toContain('connection test: request_phrase (00008)');
    for (const secret of [...SECRETS, 'not-the-request-phrase', 'WrongAccess1']) expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('a charge, a capture and a refund after the switch reach that instance, never the embedded one; a payment from before is refunded on the sandbox', async () => {
    const s = await station();
    // Before the switch: a purchase on the embedded sandbox.
    const before = await s.call('payments.charge', { orderId: (await order(s, 700)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s), save: false } });
    expect(before.outcome).toBe('approved');
    expect(embedded.control.order(before.payment.reference)).toBeDefined();

    // Wrong response phrase: named, then corrected and saved; the switch needs the PIN again.
    expect((await s.call('gateway.test', testAccount({ responsePhrase: 'typo-response' }))).outcome).toBe('response_phrase');
    const saved = await s.call('gateway.save', testAccount());
    expect(saved.accounts[0]!.lastTest?.outcome).toBe('ok');
    expect((await s.attempt('gateway.switch', { environment: 'test', pin: '00000000' })).ok).toBe(false);
    const switched = await s.call('gateway.switch', { environment: 'test', pin: PIN });
    expect(switched.active).toBe('test');
    expect((await s.call('session.status', {})).gateway).toMatchObject({ environment: 'test', account: 'test:TESTMID42', sandbox: false });

    // A new authorization, captured and refunded: all at the APS test instance.
    const handle = await newCard(s);
    const auth = await s.call('payments.charge', { orderId: (await order(s, 1200)).id, mode: 'authorize', source: { kind: 'new_card', handle, save: false } });
    expect(auth.outcome).toBe('approved');
    const ref = auth.payment.reference;
    expect((await s.call('payments.capture', { paymentId: auth.payment.id, amount: 1200 })).outcome).toBe('approved');
    expect((await s.call('payments.refund', { paymentId: auth.payment.id, amount: 500, reason: 'damaged' })).outcome).toBe('approved');
    const atAps = aps.control.order(ref, APS_TEST.merchantIdentifier)!;
    expect(atAps).toMatchObject({ authorizedAmount: 1200, capturedAmount: 1200, refundedAmount: 500 });
    expect(embedded.control.order(ref)).toBeUndefined();
    expect(embedded.control.orders().some((o) => o.merchantReference === ref)).toBe(false);

    // The payment made before the switch is refunded on its own account: the embedded sandbox.
    expect((await s.call('payments.refund', { paymentId: before.payment.id, amount: 700, reason: 'returned' })).outcome).toBe('approved');
    expect(embedded.control.order(before.payment.reference)!.refundedAmount).toBe(700);
    expect(aps.control.order(before.payment.reference, APS_TEST.merchantIdentifier)).toBeUndefined();
    // Check status too goes to each payment's own account.
    expect((await s.call('payments.checkStatus', { paymentId: before.payment.id })).outcome).toBe('approved');
    expect((await s.call('payments.checkStatus', { paymentId: auth.payment.id })).outcome).toBe('approved');

    // The ledger records the account of each.
    const rows = stmt(s.core.db, 'SELECT reference, gateway_account FROM payments ORDER BY created_at').all();
    expect(rows).toEqual([
      { reference: before.payment.reference, gateway_account: 'sandbox:SANDBOXMID' },
      { reference: ref, gateway_account: 'test:TESTMID42' },
    ]);
    // The switch is audited from → to, without a secret.
    const audit = await s.call('audit.list', { action: 'gateway.switch' });
    expect(audit.find((e) => e.outcome === 'success')!.detail).toBe('the embedded sandbox → APS test account TESTMID42');
  });

  it('a card on file of another account is not usable here: refused before anything is sent', async () => {
    const s = await station();
    const customer = await s.call('customers.create', { name: 'Nadia Haddad', email: 'nadia@example.com', phone: '' });
    const first = await s.call('payments.charge', { orderId: (await order(s, 300, customer.id)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s, customer.id), save: true } });
    const cardId = first.cardSaved!.id;
    expect(first.cardSaved!.account).toBe('sandbox:SANDBOXMID');
    await s.call('gateway.save', testAccount());
    await s.call('gateway.switch', { environment: 'test', pin: PIN });
    const apsOrders = aps.control.orders(APS_TEST.merchantIdentifier).length;
    const refused = await s.attempt('payments.charge', { orderId: (await order(s, 400, customer.id)).id, mode: 'purchase', source: { kind: 'card_on_file', cardId } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(!refused.ok && refused.error.message).toMatch(/saved on the embedded sandbox: it is not usable on APS test account TESTMID42/);
    expect(aps.control.orders(APS_TEST.merchantIdentifier)).toHaveLength(apsOrders);
    // Token maintenance goes to the card's own account: the APS test instance does not know this
    // token (it would answer 00044), the embedded sandbox does.
    const deactivated = await s.call('cards.deactivate', { cardId });
    expect(deactivated.status).toBe('inactive');
  });
  it('a recurring schedule on a sandbox card keeps charging the sandbox after the switch (eci RECURRING), never the APS account', async () => {
    const s = await station();
    const customer = await s.call('customers.create', { name: 'Huda Karim', email: 'huda@example.com', phone: '' });
    const first = await s.call('payments.charge', { orderId: (await order(s, 200, customer.id)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s, customer.id), save: true } });
    const d = await s.call('recurring.create', { customerId: customer.id, cardId: first.cardSaved!.id, amount: 1500, currency: 'USD', frequency: 'monthly', count: 2, description: 'Tea club' });
    await s.call('gateway.save', testAccount());
    await s.call('gateway.switch', { environment: 'test', pin: PIN });
    const apsOrders = aps.control.orders(APS_TEST.merchantIdentifier).length;
    embedded.control.clock.advance(Date.parse(d.schedule.nextDueAt!) - embedded.control.clock.now().getTime() + 1000);
    await s.call('session.unlock', { pin: PIN }); // a month later the idle lock has closed the session
    await s.call('recurring.runDue', {});
    const after = await s.call('recurring.get', { id: d.schedule.id });
    const second = after.periods.find((p) => p.period === 2)!;
    expect(second.state).toBe('charged');
    expect(embedded.control.order(second.paymentReference!)).toMatchObject({ eci: 'RECURRING', capturedAmount: 1500 });
    expect(aps.control.orders(APS_TEST.merchantIdentifier)).toHaveLength(apsOrders);
  });
});

describe('email confirmation follows the account', () => {
  it('hidden and refused without a service on the account in use; with one, it goes to that account', async () => {
    const s = await station();
    await s.call('gateway.save', testAccount());
    await s.call('gateway.switch', { environment: 'test', pin: PIN });
    expect((await s.call('session.status', {})).gateway.confirmation).toBe(false);
    const customer = await s.call('customers.create', { name: 'Sami Odeh', email: 'sami@example.com', phone: '' });
    const first = await s.call('payments.charge', { orderId: (await order(s, 300, customer.id)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s, customer.id), save: true } });
    expect(first.cardSaved!.account).toBe('test:TESTMID42');
    const next = await order(s, 900, customer.id);
    const refused = await s.attempt('confirmations.start', { orderId: next.id, cardId: first.cardSaved!.id, mode: 'purchase' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: 'No email confirmation service is set up for APS test account TESTMID42: choose another way to pay.' } });
    await s.call('gateway.save', testAccount({ confirmation: { url: aps.confirmationApiUrl, templateId: '15be8861-597a-4b7b-a0aa-b7486ba3de7e', apiKey: APS_TEST.confirmationApiKey } }));
    expect((await s.call('session.status', {})).gateway.confirmation).toBe(true);
    // Accepted by the APS test instance's service (the embedded one does not know this API key).
    const started = await s.call('confirmations.start', { orderId: next.id, cardId: first.cardSaved!.id, mode: 'purchase' });
    expect(started.state).toBe('processing');
  });
});

describe('switching and account changes', () => {
  it('refuses to switch (or change the account in use) while a refund is queued, with the list', async () => {
    const s = await station();
    const paid = await s.call('payments.charge', { orderId: (await order(s, 900)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s), save: false } });
    await s.call('gateway.save', testAccount());
    embedded.control.setReachable(false);
    const queued = await s.call('payments.refund', { paymentId: paid.payment.id, amount: 900, reason: 'returned' });
    expect(queued.outcome === 'queued' || queued.outcome === 'unknown').toBe(true);
    const r = await s.attempt('gateway.switch', { environment: 'test', pin: PIN });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(!r.ok && r.error.message).toContain(`${paid.payment.reference} refund 900 USD`);
    expect((await s.call('gateway.get', {})).blockers[0]).toMatchObject({ paymentReference: paid.payment.reference, type: 'refund' });
    expect((await s.call('session.status', {})).gateway.environment).toBe('sandbox');
    const audit = await s.call('audit.list', { action: 'gateway.switch' });
    expect(audit[0]).toMatchObject({ outcome: 'failure' });
  });

  it('a payment whose account is no longer configured: refused with a clear message, queued work goes to needs attention, nothing sent elsewhere', async () => {
    const s = await station();
    await s.call('gateway.save', testAccount());
    await s.call('gateway.switch', { environment: 'test', pin: PIN });
    const auth = await s.call('payments.charge', { orderId: (await order(s, 1500)).id, mode: 'authorize', source: { kind: 'new_card', handle: await newCard(s), save: false } });
    expect(auth.outcome).toBe('approved');
    // The admin replaces the test account by another merchant: TESTMID42 is gone from this station.
    await s.call('gateway.switch', { environment: 'sandbox', pin: PIN });
    await s.call('gateway.save', testAccount({ merchantIdentifier: 'OTHERMID', accessCode: 'Other1', requestPhrase: 'other-req', responsePhrase: 'other-resp' }));
    const apsOpsBefore = aps.control.operationCount();
    const embeddedOpsBefore = embedded.control.operationCount();
    for (const [name, input] of [
      ['payments.capture', { paymentId: auth.payment.id, amount: 1500 }],
      ['payments.void', { paymentId: auth.payment.id, reason: 'no stock' }],
      ['payments.checkStatus', { paymentId: auth.payment.id }],
    ] as const) {
      const r = await s.attempt(name, input);
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
      expect(!r.ok && r.error.message).toMatch(/made on APS test account TESTMID42, which is no longer configured on this station: nothing was sent/);
    }
    // Queued work of such a payment (as after a crash mid-change): the forwarder parks it, never sends it.
    stmt(s.core.db, `INSERT INTO operations (id, payment_id, seq, type, amount, state, reference, created_at, updated_at) VALUES ('op_gone', ?, 99, 'capture', 1500, 'queued', ?, ?, ?)`).run(
      auth.payment.id, auth.payment.reference, new Date().toISOString(), new Date().toISOString(),
    );
    stmt(s.core.db, 'UPDATE payments SET queued = 1 WHERE id = ?').run(auth.payment.id);
    // The forwarder picks up the queue at start-up.
    await s.core.close();
    cores.splice(cores.indexOf(s.core), 1);
    const again = await openCore(s.dir, memoryLogger(s.logs));
    cores.push(again);
    await expect.poll(() => (stmt(again.db, `SELECT state FROM operations WHERE id = 'op_gone'`).get() as { state: string }).state, { timeout: 5000 }).toBe('needs_attention');
    const parked = stmt(again.db, `SELECT message FROM operations WHERE id = 'op_gone'`).get() as { message: string };
    expect(parked.message).toMatch(/APS test account TESTMID42, which is no longer configured/);
    expect(aps.control.operationCount()).toBe(apsOpsBefore);
    expect(embedded.control.operationCount()).toBe(embeddedOpsBefore);
  });

  it('going live needs the PIN again and GO LIVE typed; the band then says LIVE', async () => {
    // APS production cannot be reached from a test: a production account that passed its test is
    // written straight into the ledger, then the station is opened on it.
    const dir = mkdtempSync(join(tmpdir(), 'gateway-live-'));
    dirs.push(dir);
    const db = await openLedger({ dir, protector });
    const meta = { setAt: '2026-12-01T00:00:00.000Z', setBy: 'Ann Admin', last2: '99' };
    upsertAccount(db, {
      environment: 'production', merchantIdentifier: 'SHOPLIVE1', shaType: 'SHA-256', currencies: ['USD'], confirmation: null, urlOverride: null,
      secrets: { accessCode: 'LiveAccess99', requestPhrase: 'live-req-99', responsePhrase: 'live-resp-99' },
      secretsMeta: { accessCode: meta, requestPhrase: meta, responsePhrase: meta }, lastTest: { at: meta.setAt, outcome: 'ok' }, updatedAt: meta.setAt, updatedBy: 'Ann Admin',
    });
    db.close();
    const core = await openCore(dir, memoryLogger([]));
    cores.push(core);
    const ctx = { sessionKey: 'live-tab', origin: 'test' };
    const call = (name: ChannelName, input: unknown) => core.dispatch(name, input, ctx);
    expect((await call('session.setup', { name: 'Ann Admin', pin: PIN })).ok).toBe(true);
    expect(await call('gateway.switch', { environment: 'production', pin: '11111111', confirmation: 'GO LIVE' })).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    expect(await call('gateway.switch', { environment: 'production', pin: PIN })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { confirmation: 'Type GO LIVE' } } });
    expect(await call('gateway.switch', { environment: 'production', pin: PIN, confirmation: 'go live please' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await call('session.status', {}) as { value: { gateway: { environment: string } } }).value.gateway.environment).toBe('sandbox');
    expect(await call('gateway.switch', { environment: 'production', pin: PIN, confirmation: 'GO LIVE' })).toMatchObject({ ok: true, value: { active: 'production', activeAccount: 'production:SHOPLIVE1' } });
    expect((await call('session.status', {}) as { value: { gateway: unknown } }).value.gateway).toMatchObject({ environment: 'production', account: 'production:SHOPLIVE1', sandbox: false });
    expect(core.accounts.hostedPageOrigin()).toBe('https://checkout.payfort.com');
    // A currency the account does not accept is refused before anything is written or sent.
    const o = await call('orders.create', { channel: 'phone', currency: 'AED', lines: [{ description: 'Widget', quantity: 1, unitPrice: 100, taxRateBp: 0 }] }) as { ok: true; value: { id: string } };
    // (APS production is not reachable from here, so the card session is written as the card page would leave it.)
    const at = new Date().toISOString();
    stmt(core.db, `INSERT INTO hosted_sessions (id, merchant_reference, order_id, customer_id, state, token_name, brand, last4, expiry, holder_name, created_by, created_at, expires_at, gateway_account)
      VALUES ('hs_live', 'TOK-LIVE-1', NULL, NULL, 'ready', 'tok', 'VISA', '0001', '3005', 'Ann', 'u', ?, ?, 'production:SHOPLIVE1')`).run(at, at);
    expect(await call('payments.charge', { orderId: o.value.id, mode: 'purchase', source: { kind: 'new_card', handle: 'hs_live', save: false } })).toMatchObject({
      ok: false, error: { code: 'NOT_ALLOWED', message: 'APS production (live) account SHOPLIVE1 accepts USD, not AED.' },
    });
    expect(stmt(core.db, 'SELECT COUNT(*) AS n FROM payments').get()).toEqual({ n: 0 });
    const audit = await call('audit.list', { action: 'gateway.switch' }) as { value: { outcome: string; detail: string }[] };
    expect(audit.value.map((e) => e.outcome)).toEqual(['success', 'failure', 'failure', 'failure']);
    expect(audit.value[0]!.detail).toBe('the embedded sandbox → APS production (live) account SHOPLIVE1');
  });

  it('production: no URL override, saved only after an OK test, switched only with the PIN and a typed confirmation', async () => {
    const s = await station();
    const override = await s.attempt('gateway.save', testAccount({ environment: 'production' }));
    expect(override).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Production always uses the APS production hosts.' } });
    expect((await s.attempt('gateway.switch', { environment: 'production', pin: PIN, confirmation: 'GO LIVE' })).ok).toBe(false);
    expect((await s.call('gateway.get', {})).accounts).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('are stored encrypted: never in the screen, settings, audit, logs, the ledger file or its WAL', async () => {
    const s = await station();
    await s.call('gateway.save', testAccount({ confirmation: { url: aps.confirmationApiUrl, templateId: '15be8861-597a-4b7b-a0aa-b7486ba3de7e', apiKey: 'confirm-KEY-secret-99' } }));
    await s.call('gateway.switch', { environment: 'test', pin: PIN });
    const paid = await s.call('payments.charge', { orderId: (await order(s, 800)).id, mode: 'purchase', source: { kind: 'new_card', handle: await newCard(s), save: false } });
    expect(paid.outcome).toBe('approved');
    const state = await s.call('gateway.get', {});
    expect(state.accounts[0]!.secrets.accessCode).toMatchObject({ setBy: 'Ann Admin', last2: '42' });
    expect(state.accounts[0]!.confirmation!.apiKey!.last2).toBe('99');
    const all = [...SECRETS, 'confirm-KEY-secret-99'];
    const screen = JSON.stringify([state, await s.call('session.status', {}), await s.call('settings.get', {}), await s.call('audit.list', {})]);
    for (const secret of all) expect(screen).not.toContain(secret);
    for (const secret of all) expect(s.logs.join('\n')).not.toContain(secret);
    // The phrases are in the ledger (the core signs with them) but only encrypted.
    const files = ['ledger.db', 'ledger.db-wal', 'settings.json'].map((f) => join(s.dir, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const secret of all) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
    }
  });
});

describe('provisioning from a file (--gateway-config)', () => {
  function write(dir: string, body: unknown, mode = 0o600): string {
    const file = join(dir, 'gateway.json');
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body), { mode });
    chmodSync(file, mode);
    return file;
  }

  it('refuses a file others can read, and names every bad field without echoing a secret; nothing is stored', async () => {
    const s = await station();
    const open = write(s.dir, { account: testAccount() }, 0o644);
    expect(() => readGatewayConfig(open)).toThrow(/permissions are 644: .*chmod 600/);
    const bad = write(s.dir, { account: { ...testAccount(), accessCode: 'has spaces!', shaType: 'MD5', currencies: ['XXX'], requestPhrase: undefined } });
    let message = '';
    try {
      readGatewayConfig(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/account\.accessCode: Letters and digits only/);
    expect(message).toMatch(/account\.shaType/);
    expect(message).toMatch(/account\.currencies\.0/);
    expect(message).toMatch(/account\.requestPhrase/);
    expect(message).not.toContain('has spaces!');
    await expect(provisionGateway(s.core.deps, s.core.accounts, bad)).rejects.toThrow(/not used/);
    expect((await s.call('gateway.get', {})).accounts).toHaveLength(0);
  });

  it('imports the account into the encrypted store, tests it and makes it active; audited without a secret', async () => {
    const s = await station();
    const file = write(s.dir, { account: testAccount() });
    await expect(provisionGateway(s.core.deps, s.core.accounts, file)).resolves.toEqual({ account: 'test:TESTMID42', test: 'ok', active: true });
    expect((await s.call('session.status', {})).gateway.environment).toBe('test');
    const audit = JSON.stringify(await s.call('audit.list', {}));
    expect(audit).toContain('provisioning');
    for (const secret of SECRETS) expect(audit).not.toContain(secret);
    // A production file whose test fails is not stored.
    const prod = write(s.dir, { account: { ...testAccount(), environment: 'production', urlOverride: null } });
    await expect(provisionGateway(s.core.deps, s.core.accounts, prod)).rejects.toThrow(/production is stored only after a successful connection test/);
    expect((await s.call('gateway.get', {})).accounts.map((a) => a.environment)).toEqual(['test']);
  }, 20_000);
});
