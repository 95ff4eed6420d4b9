/**
 * The APS adapter against the APS-compatible sandbox (electron/gateway/sandbox) over real HTTP:
 * every command, every business rule, and every injected fault. A fault must always come back as
 * `pending`; check status then tells the truth (after-commit faults: the operation happened;
 * before-commit faults: it did not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import { DEFAULT_MERCHANT, startSandbox } from '../sandbox';
import type { ChargeRequest, CheckStatusResult, Outcome } from '../types';
import { ApsGateway, type ApsGatewayConfig } from './gateway';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const RETURN_URL = 'http://127.0.0.1:9/aps/tokenization-return';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Short enough to keep the suite fast, long enough for the sandbox to answer normal calls. */
const TIMEOUT_MS = 1_500;
/** The timeout of the faulted calls only: every timeout fault costs this much wall time. */
const FAULT_TIMEOUT_MS = 500;

let sb: Sandbox;
let g: ApsGateway;
/** The same adapter with a short timeout, for the calls that meet an injected fault. */
let gf: ApsGateway;
let seq = 0;
const run = Date.now().toString(36);

function ref(prefix: string): string {
  seq += 1;
  return `${prefix}-${run}-${seq}`;
}

// ---------------------------------------------------------------------------------------------
// Driving the hosted card page with fetch: what a cardholder's browser does in our frame.
// ---------------------------------------------------------------------------------------------

interface ParsedForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** Names of the visible (non-hidden) inputs, to check the card fields are the ones we fill. */
  visible: string[];
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) return undefined;
  return decodeEntities(m[1] ?? m[2] ?? m[3] ?? '');
}

/** Every <form> of a page with its inputs (hidden values kept, visible ones listed). */
function parseForms(html: string, baseUrl: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const m of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    const open = /<form\b[^>]*>/i.exec(m[0])?.[0] ?? '';
    const fields: Record<string, string> = {};
    const visible: string[] = [];
    for (const input of (m[1] ?? '').matchAll(/<(input|button)\b[^>]*>/gi)) {
      const tag = input[0];
      const name = attr(tag, 'name');
      if (!name) continue;
      const type = (attr(tag, 'type') ?? (input[1]?.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      if (type === 'hidden') fields[name] = attr(tag, 'value') ?? '';
      else if (type !== 'submit' && type !== 'button') visible.push(name);
    }
    forms.push({ action: new URL(attr(open, 'action') ?? '', baseUrl).toString(), method: (attr(open, 'method') ?? 'GET').toUpperCase(), fields, visible });
  }
  return forms;
}

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The params the page sends to return_url: a redirect's query, or an auto-submitted form. */
async function returnParams(res: Response): Promise<Record<string, string> | undefined> {
  if (res.status >= 300 && res.status < 400) {
    const loc = res.headers.get('location');
    if (!loc) return undefined;
    const url = new URL(loc, res.url || RETURN_URL);
    if (!url.toString().startsWith(RETURN_URL)) return undefined;
    return Object.fromEntries(url.searchParams);
  }
  const html = await res.text();
  const back = parseForms(html, res.url).find((f) => f.action.startsWith(RETURN_URL));
  return back?.fields;
}

interface Card {
  number: string;
  cvv: string;
  expiry?: string;
  holder?: string;
}

const VISA: Card = { number: '4005550000000001', cvv: '123' };
const MC: Card = { number: '5123456789012346', cvv: '123' };
const AMEX: Card = { number: '345678901234564', cvv: '1234' };

/** The expiry as a person types it on the page: MM/YY, two years ahead. */
function futureExpiry(): string {
  const d = new Date();
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String((d.getUTCFullYear() + 2) % 100).padStart(2, '0')}`;
}

/** Hosted page round trip: our signed form → card form → card fields → signed return params. */
async function hostedReturn(card: Card, merchantReference = ref('TOK')): Promise<Record<string, string>> {
  const form = g.hostedForm({ merchantReference, returnUrl: RETURN_URL });
  let res = await fetch(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(form.fields),
    redirect: 'manual',
  });
  // Follow the page's own redirects (e.g. to a session URL), never to return_url.
  for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
    const loc = res.headers.get('location') ?? '';
    const next = new URL(loc, form.action).toString();
    if (next.startsWith(RETURN_URL)) break;
    res = await fetch(next, { redirect: 'manual' });
  }
  const pageUrl = res.url || form.action;
  const html = await res.text();
  expect(res.status, html.slice(0, 300)).toBe(200);
  const cardForm = parseForms(html, pageUrl).find((f) => f.visible.includes('card_number'));
  if (!cardForm) throw new Error(`no card form on the hosted page: ${html.slice(0, 500)}`);
  const expiry = card.expiry ?? futureExpiry();
  const fields: Record<string, string> = {
    ...cardForm.fields,
    card_number: card.number,
    card_security_code: card.cvv,
    card_holder_name: card.holder ?? 'Jane Doe',
    remember_me: 'YES',
  };
  // The page may ask for the expiry as one field or as month + year.
  if (cardForm.visible.includes('expiry_date')) fields['expiry_date'] = expiry;
  else {
    fields['expiry_month'] = expiry.slice(0, 2);
    fields['expiry_year'] = expiry.slice(3);
  }
  const submitted = await fetch(cardForm.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(fields),
    redirect: 'manual',
  });
  const params = await returnParams(submitted);
  if (!params) throw new Error(`the hosted page did not return to return_url (HTTP ${submitted.status})`);
  return params;
}

async function tokenize(card: Card = VISA): Promise<string> {
  const r = g.verifyTokenizationReturn(await hostedReturn(card));
  if (!r.ok) throw new Error(`tokenization failed: ${r.reason} ${r.message}`);
  return r.value.tokenName;
}

// ---------------------------------------------------------------------------------------------

function configFor(s: Sandbox, timeoutMs = TIMEOUT_MS): ApsGatewayConfig {
  return {
    paymentApiUrl: s.paymentApiUrl,
    paymentPageUrl: s.paymentPageUrl,
    confirmationApiUrl: s.confirmationApiUrl,
    confirmationApiKey: DEFAULT_MERCHANT.confirmationApiKey,
    confirmationTemplateId: '63693de5-8a19-4233-b382-c75f0c6b31aa',
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs,
    language: 'en',
    isSandbox: true,
    name: 'Sandbox',
  };
}

let visaToken: string;

beforeAll(async () => {
  sb = await startSandbox({});
  g = new ApsGateway(configFor(sb));
  gf = new ApsGateway(configFor(sb, FAULT_TIMEOUT_MS));
  visaToken = await tokenize(VISA);
}, 30_000);

afterAll(async () => {
  await sb?.close();
});

function charge(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    merchantReference: ref('ORD'),
    amount: money(1000, 'USD'),
    tokenName: visaToken,
    eci: 'MOTO',
    customerEmail: 'jane@example.com',
    customerIp: '203.0.113.7',
    ...overrides,
  };
}

function value<T>(o: Outcome<T>): T {
  if (o.kind !== 'succeeded') throw new Error(`expected succeeded, got ${JSON.stringify(o)}`);
  return o.value;
}

async function status(merchantReference: string, maintenanceReference?: string): Promise<CheckStatusResult> {
  return value(await g.checkStatus({ merchantReference, ...(maintenanceReference ? { maintenanceReference } : {}) }));
}

async function authorized(amount = 1000): Promise<{ ref: string; fortId: string }> {
  const req = charge({ amount: money(amount, 'USD') });
  const v = value(await g.authorize(req));
  return { ref: req.merchantReference, fortId: v.fortId };
}

describe('hosted tokenization page', () => {
  it.each([
    ['Visa', VISA, 'VISA', '0001'],
    ['Mastercard', MC, 'MASTERCARD', '2346'],
    ['AMEX', AMEX, 'AMEX', '4564'],
  ] as const)('%s: the signed return verifies and carries a token, masked card and expiry', async (_n, card, brand, last4) => {
    const merchantReference = ref('TOK');
    const params = await hostedReturn(card, merchantReference);
    expect(JSON.stringify(params)).not.toContain(card.number);
    const r = g.verifyTokenizationReturn(params);
    expect(r).toMatchObject({ ok: true, value: { merchantReference, brand, last4, rememberMe: true } });
    if (r.ok) {
      expect(r.value.maskedCard).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
      expect(r.value.expiryDate).toMatch(/^[0-9]{4}$/);
      expect(r.value.tokenName.length).toBeGreaterThan(0);
    }
  });

  it('a tampered return is refused as bad_signature', async () => {
    const params = await hostedReturn(VISA);
    expect(g.verifyTokenizationReturn({ ...params, token_name: 'someone-elses-token' })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('the tokenization-fails test card comes back failed (status 17)', async () => {
    const r = g.verifyTokenizationReturn(await hostedReturn({ number: '4000000000000127', cvv: '123' }));
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
    if (!r.ok) expect(r.responseCode?.startsWith('17')).toBe(true);
  });
});

describe('charges', () => {
  it('purchase MOTO, then check status shows it captured', async () => {
    const req = charge();
    const out = await g.purchase(req);
    expect(out).toMatchObject({ kind: 'succeeded', responseCode: '14000', value: { maskedCard: '400555******0001', paymentOption: 'VISA' } });
    const fortId = value(out).fortId;
    expect(out.refs).toEqual({ merchantReference: req.merchantReference, fortId });
    expect(await status(req.merchantReference)).toMatchObject({ found: true, fortId, transactionStatus: '14', authorizedAmount: 1000, capturedAmount: 1000, refundedAmount: 0 });
  });

  it('authorization MOTO, then check status shows it authorized only', async () => {
    const { ref: r, fortId } = await authorized(2500);
    expect(await status(r)).toMatchObject({ found: true, fortId, transactionStatus: '02', authorizedAmount: 2500, capturedAmount: 0, refundedAmount: 0 });
  });

  it('purchase RECURRING succeeds; RECURRING authorization is refused before sending', async () => {
    expect(await g.purchase(charge({ eci: 'RECURRING' }))).toMatchObject({ kind: 'succeeded', responseCode: '14000' });
    const before = sb.control.operationCount();
    await expect(g.authorize(charge({ eci: 'RECURRING' }))).rejects.toMatchObject({ name: 'ApsValidationError' });
    expect(sb.control.operationCount()).toBe(before);
  });

  it('KWD amounts go as minor units (3 decimals)', async () => {
    const req = charge({ amount: money(1250, 'KWD') });
    expect((await g.purchase(req)).kind).toBe('succeeded');
    expect(sb.control.order(req.merchantReference)).toMatchObject({ amount: 1250, currency: 'KWD' });
  });

  it('duplicate merchant_reference is declined (00066) and the first order is untouched', async () => {
    const req = charge();
    expect((await g.purchase(req)).kind).toBe('succeeded');
    expect(await g.purchase({ ...req, amount: money(5000, 'USD') })).toMatchObject({ kind: 'declined', responseCode: '00066' });
    expect(await status(req.merchantReference)).toMatchObject({ authorizedAmount: 1000, capturedAmount: 1000 });
  });

  it('unknown token is declined (00044)', async () => {
    expect(await g.purchase(charge({ tokenName: 'no-such-token-0000' }))).toMatchObject({ kind: 'declined', responseCode: '00044' });
  });

  it('magic decline amount is a decline with the purchase failure status', async () => {
    expect(await g.purchase(charge({ amount: money(1666, 'USD') }))).toMatchObject({ kind: 'declined', status: '13', responseCode: '13666' });
  });

  it('magic uncertain amount (…777) is pending; check status shows the charge was made', async () => {
    const req = charge({ amount: money(1777, 'USD') });
    expect(await g.purchase(req)).toMatchObject({ kind: 'pending', reason: 'uncertain_status' });
    expect(await status(req.merchantReference)).toMatchObject({ found: true, capturedAmount: 1777 });
  });
});

describe('capture', () => {
  it('partial and repeated captures up to the authorized amount; over-capture 042 declined', async () => {
    const { ref: r, fortId } = await authorized(1000);
    expect(await g.capture({ merchantReference: r, amount: money(300, 'USD') })).toMatchObject({ kind: 'succeeded', responseCode: '04000', value: { fortId } });
    expect(await g.capture({ merchantReference: r, fortId, amount: money(200, 'USD') })).toMatchObject({ kind: 'succeeded' });
    expect(await status(r)).toMatchObject({ transactionStatus: '04', authorizedAmount: 1000, capturedAmount: 500 });
    expect(await g.capture({ merchantReference: r, amount: money(600, 'USD') })).toMatchObject({ kind: 'declined', status: '05', responseCode: '05042' });
    expect(await g.capture({ merchantReference: r, amount: money(500, 'USD') })).toMatchObject({ kind: 'succeeded' });
    expect(await status(r)).toMatchObject({ capturedAmount: 1000 });
    expect(await g.capture({ merchantReference: r, amount: money(1, 'USD') })).toMatchObject({ kind: 'declined', responseCode: '05042' });
  });

  it('a purchase cannot be captured', async () => {
    const req = charge();
    await g.purchase(req);
    expect(await g.capture({ merchantReference: req.merchantReference, amount: money(100, 'USD') })).toMatchObject({ kind: 'declined', status: '05' });
  });

  it('capture of an unknown order is declined', async () => {
    expect(await g.capture({ merchantReference: ref('NONE'), amount: money(100, 'USD') })).toMatchObject({ kind: 'declined' });
  });
});

describe('void', () => {
  it('void before any capture succeeds; nothing can follow it', async () => {
    const { ref: r, fortId } = await authorized(1000);
    expect(await g.voidAuthorization({ merchantReference: r })).toMatchObject({ kind: 'succeeded', responseCode: '08000', value: { fortId } });
    expect(await status(r)).toMatchObject({ transactionStatus: '08' });
    expect(await g.capture({ merchantReference: r, amount: money(100, 'USD') })).toMatchObject({ kind: 'declined' });
    expect(await g.voidAuthorization({ merchantReference: r })).toMatchObject({ kind: 'declined' });
  });

  it('void after a capture is declined', async () => {
    const { ref: r } = await authorized(1000);
    expect((await g.capture({ merchantReference: r, amount: money(100, 'USD') })).kind).toBe('succeeded');
    expect(await g.voidAuthorization({ merchantReference: r })).toMatchObject({ kind: 'declined', status: '09' });
  });
});

describe('refund', () => {
  it('partial refunds up to the captured amount; over-refund 048 declined; totals add up', async () => {
    const req = charge();
    await g.purchase(req);
    const r = req.merchantReference;
    const out = await g.refund({ merchantReference: r, amount: money(400, 'USD'), maintenanceReference: `${r}-R1` });
    expect(out).toMatchObject({ kind: 'succeeded', responseCode: '06000', refs: { merchantReference: r, maintenanceReference: `${r}-R1` } });
    expect(await g.refund({ merchantReference: r, amount: money(700, 'USD'), maintenanceReference: `${r}-R2` })).toMatchObject({ kind: 'declined', status: '07', responseCode: '07048' });
    expect(await g.refund({ merchantReference: r, amount: money(600, 'USD'), maintenanceReference: `${r}-R3` })).toMatchObject({ kind: 'succeeded' });
    expect(await status(r)).toMatchObject({ transactionStatus: '06', capturedAmount: 1000, refundedAmount: 1000 });
    expect(await status(r, `${r}-R1`)).toMatchObject({ found: true, transactionStatus: '06' });
    expect(await status(r, `${r}-R9`)).toMatchObject({ found: false });
  });

  it('refunds only what was captured of an authorization', async () => {
    const { ref: r } = await authorized(1000);
    expect(await g.refund({ merchantReference: r, amount: money(100, 'USD'), maintenanceReference: `${r}-R0` })).toMatchObject({ kind: 'declined' });
    await g.capture({ merchantReference: r, amount: money(300, 'USD') });
    expect(await g.refund({ merchantReference: r, amount: money(301, 'USD'), maintenanceReference: `${r}-R1` })).toMatchObject({ kind: 'declined', responseCode: '07048' });
    expect(await g.refund({ merchantReference: r, amount: money(300, 'USD'), maintenanceReference: `${r}-R2` })).toMatchObject({ kind: 'succeeded' });
  });

  it('a refund resent with the same maintenance_reference is not applied twice', async () => {
    const req = charge();
    await g.purchase(req);
    const r = req.merchantReference;
    const rf = { merchantReference: r, amount: money(250, 'USD'), maintenanceReference: `${r}-R1` };
    expect((await g.refund(rf)).kind).toBe('succeeded');
    expect((await g.refund(rf)).kind).toBe('succeeded');
    expect(await status(r)).toMatchObject({ refundedAmount: 250 });
  });
});

describe('check status', () => {
  it('an order the gateway never saw is found:false', async () => {
    expect(await g.checkStatus({ merchantReference: ref('NEVER') })).toMatchObject({
      kind: 'succeeded',
      responseCode: '12036',
      value: { found: false, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0 },
    });
  });
});

describe('7-day authorization expiry (sandbox clock)', () => {
  it('capture and void are refused after 7 days; refund of what was captured still works', async () => {
    const a = await authorized(1000);
    const b = await authorized(1000);
    expect((await g.capture({ merchantReference: b.ref, amount: money(400, 'USD') })).kind).toBe('succeeded');
    sb.control.clock.advance(6 * DAY_MS);
    expect((await g.capture({ merchantReference: b.ref, amount: money(100, 'USD') })).kind).toBe('succeeded');
    sb.control.clock.advance(DAY_MS + 60_000);
    expect(await g.capture({ merchantReference: a.ref, amount: money(100, 'USD') })).toMatchObject({ kind: 'declined', status: '05' });
    expect(await g.voidAuthorization({ merchantReference: a.ref })).toMatchObject({ kind: 'declined', status: '09' });
    expect(await g.capture({ merchantReference: b.ref, amount: money(100, 'USD') })).toMatchObject({ kind: 'declined' });
    expect(await g.refund({ merchantReference: b.ref, amount: money(500, 'USD'), maintenanceReference: `${b.ref}-R1` })).toMatchObject({ kind: 'succeeded' });
    expect(await status(a.ref)).toMatchObject({ authorizedAmount: 1000, capturedAmount: 0 });
  });
});

describe('update token', () => {
  it('INACTIVE token: update succeeds, then a charge on it is refused (00044)', async () => {
    const token = await tokenize(MC);
    expect((await g.purchase(charge({ tokenName: token }))).kind).toBe('succeeded');
    const out = await g.updateToken({ merchantReference: ref('UPD'), tokenName: token, status: 'INACTIVE' });
    expect(out).toMatchObject({ kind: 'succeeded', responseCode: '58000', value: { tokenName: token, tokenStatus: 'INACTIVE', cardBrand: 'MASTERCARD' } });
    expect(await g.purchase(charge({ tokenName: token }))).toMatchObject({ kind: 'declined', responseCode: '00044' });
  });

  it('updating an unknown token is declined (59)', async () => {
    expect(await g.updateToken({ merchantReference: ref('UPD'), tokenName: 'no-such-token-1111' })).toMatchObject({ kind: 'declined', status: '59' });
  });
});

// ---------------------------------------------------------------------------------------------
// Faults: pending, never success, never a throw; then check status tells the truth.
// ---------------------------------------------------------------------------------------------

type FaultKind = 'latency' | 'timeout_before_commit' | 'timeout_after_commit' | 'http_500' | 'http_503' | 'reset_before_commit' | 'reset_after_commit' | 'truncated' | 'bad_signature';

const FAULTS: { kind: FaultKind; reason: string; committed: boolean; delayMs?: number }[] = [
  // Latency past our timeout: we give up, the sandbox then carries on and commits.
  { kind: 'latency', reason: 'timeout', committed: true, delayMs: FAULT_TIMEOUT_MS + 400 },
  { kind: 'timeout_before_commit', reason: 'timeout', committed: false, delayMs: FAULT_TIMEOUT_MS + 1_000 },
  { kind: 'timeout_after_commit', reason: 'timeout', committed: true, delayMs: FAULT_TIMEOUT_MS + 1_000 },
  { kind: 'http_500', reason: 'http_status', committed: false },
  { kind: 'http_503', reason: 'http_status', committed: false },
  { kind: 'reset_before_commit', reason: 'network', committed: false },
  { kind: 'reset_after_commit', reason: 'network', committed: true },
  { kind: 'truncated', reason: 'bad_response', committed: true },
  { kind: 'bad_signature', reason: 'bad_signature', committed: true },
];

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function inject(kind: FaultKind, command: string, merchantReference: string, delayMs?: number): void {
  sb.control.injectFault({ kind, match: { command, merchantReference }, times: 1, ...(delayMs !== undefined ? { delayMs } : {}) });
}

/** After a latency fault the sandbox commits only once its delay is over. */
async function afterFault(kind: FaultKind, delayMs?: number): Promise<void> {
  if (kind === 'latency') await settle((delayMs ?? 0) - FAULT_TIMEOUT_MS + 300);
}

describe.each(FAULTS)('fault $kind', ({ kind, reason, committed, delayMs }) => {
  it('PURCHASE → pending; check status tells whether the charge exists', async () => {
    const req = charge();
    inject(kind, 'PURCHASE', req.merchantReference, delayMs);
    const out = await gf.purchase(req);
    expect(out).toMatchObject({ kind: 'pending', reason, refs: { merchantReference: req.merchantReference } });
    await afterFault(kind, delayMs);
    const s = await status(req.merchantReference);
    if (committed) expect(s).toMatchObject({ found: true, capturedAmount: 1000 });
    else expect(s).toMatchObject({ found: false });
  });

  it('AUTHORIZATION → pending; check status tells whether the authorization exists', async () => {
    const req = charge({ amount: money(800, 'USD') });
    inject(kind, 'AUTHORIZATION', req.merchantReference, delayMs);
    expect(await gf.authorize(req)).toMatchObject({ kind: 'pending', reason });
    await afterFault(kind, delayMs);
    const s = await status(req.merchantReference);
    if (committed) expect(s).toMatchObject({ found: true, authorizedAmount: 800, capturedAmount: 0 });
    else expect(s.found).toBe(false);
  });

  it('CAPTURE → pending; captured total moved only after commit', async () => {
    const { ref: r } = await authorized(1000);
    inject(kind, 'CAPTURE', r, delayMs);
    expect(await gf.capture({ merchantReference: r, amount: money(300, 'USD') })).toMatchObject({ kind: 'pending', reason });
    await afterFault(kind, delayMs);
    expect(await status(r)).toMatchObject({ found: true, capturedAmount: committed ? 300 : 0 });
  });

  it('VOID_AUTHORIZATION → pending; voided only after commit', async () => {
    const { ref: r } = await authorized(1000);
    inject(kind, 'VOID_AUTHORIZATION', r, delayMs);
    expect(await gf.voidAuthorization({ merchantReference: r })).toMatchObject({ kind: 'pending', reason });
    await afterFault(kind, delayMs);
    expect(await status(r)).toMatchObject({ found: true, transactionStatus: committed ? '08' : '02' });
  });

  it('REFUND → pending; refunded total moved only after commit; the resend with the same maintenance_reference is safe', async () => {
    const req = charge();
    await g.purchase(req);
    const r = req.merchantReference;
    const rf = { merchantReference: r, amount: money(400, 'USD'), maintenanceReference: `${r}-R1` };
    inject(kind, 'REFUND', r, delayMs);
    expect(await gf.refund(rf)).toMatchObject({ kind: 'pending', reason, refs: { maintenanceReference: `${r}-R1` } });
    await afterFault(kind, delayMs);
    expect(await status(r)).toMatchObject({ refundedAmount: committed ? 400 : 0 });
    expect(await status(r, rf.maintenanceReference)).toMatchObject({ found: committed });
    // What the core does next: resend the same refund; it is applied at most once.
    expect((await g.refund(rf)).kind).toBe('succeeded');
    expect(await status(r)).toMatchObject({ refundedAmount: 400 });
  });

  it('CHECK_STATUS → pending', async () => {
    const { ref: r } = await authorized(1000);
    inject(kind, 'CHECK_STATUS', r, delayMs);
    expect(await gf.checkStatus({ merchantReference: r })).toMatchObject({ kind: 'pending', reason });
    await afterFault(kind, delayMs);
  });

  it('UPDATE_TOKEN → pending', async () => {
    const u = ref('UPD');
    inject(kind, 'UPDATE_TOKEN', u, delayMs);
    expect(await gf.updateToken({ merchantReference: u, tokenName: visaToken, status: 'ACTIVE' })).toMatchObject({ kind: 'pending', reason });
    await afterFault(kind, delayMs);
  });
});

describe('email confirmation (seed 003)', () => {
  const request = (email: string) => ({
    emailAddress: email,
    tokenName: visaToken,
    amount: money(3560, 'USD'),
    orderDescription: 'Hand pruners And loppers',
    firstName: 'John',
    lastName: 'Doe',
    timeoutSeconds: 600,
  });

  /** The cardholder: open the sandbox mailbox, follow the link, press agree or refuse. */
  async function answer(email: string, choice: 'agree' | 'refuse'): Promise<void> {
    const mailbox = await (await fetch(sb.mailboxUrl)).text();
    const article = [...mailbox.matchAll(/<article\b[^>]*data-email="([^"]*)"[\s\S]*?<\/article>/g)].find((m) => decodeEntities(m[1] ?? '') === email);
    const href = article ? /href="(\/confirm\/[^"]+)"/.exec(article[0])?.[1] : undefined;
    if (!href) throw new Error(`no mail to ${email} in the sandbox mailbox`);
    const link = new URL(decodeEntities(href), sb.mailboxUrl);
    const page = await (await fetch(link)).text();
    const action = parseForms(page, link.toString()).find((f) => f.action.endsWith(`/${choice}`));
    if (!action) throw new Error('no agree/refuse form on the confirmation page');
    await fetch(action.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  }

  it('start → waiting_click; the cardholder agrees → confirmed', async () => {
    const email = `john+${ref('c')}@example.com`.toLowerCase();
    const started = await g.startConfirmation(request(email));
    expect(started).toMatchObject({ kind: 'succeeded', value: { state: 'processing', processState: 'waiting_click', timeoutSeconds: 600, failReason: null } });
    const id = value(started).id;
    expect(await g.getConfirmation(id)).toMatchObject({ kind: 'succeeded', value: { id, state: 'processing' } });
    await answer(email, 'agree');
    expect(await g.getConfirmation(id)).toMatchObject({ kind: 'succeeded', value: { id, state: 'confirmed', processState: 'finished' } });
  });

  it('the cardholder refuses → refused', async () => {
    const email = `mary+${ref('c')}@example.com`.toLowerCase();
    const id = value(await g.startConfirmation(request(email))).id;
    await answer(email, 'refuse');
    expect(await g.getConfirmation(id)).toMatchObject({ kind: 'succeeded', value: { state: 'refused' } });
  });

  it('an undeliverable address fails; an unanswered one expires with the clock', async () => {
    expect(await g.startConfirmation(request('bounce@example.com'))).toMatchObject({ kind: 'succeeded', value: { state: 'failed', failReason: 'Delivery Error' } });
    const id = value(await g.startConfirmation({ ...request('late@example.com'), timeoutSeconds: 60 })).id;
    sb.control.clock.advance(61_000);
    expect(await g.getConfirmation(id)).toMatchObject({ kind: 'succeeded', value: { state: 'expired' } });
  });

  it('an inactive or unknown token is refused (422), an unknown id is 404, a wrong key 401', async () => {
    expect(await g.startConfirmation({ ...request('x@example.com'), tokenName: 'no-such-token-2222' })).toMatchObject({ kind: 'declined', responseCode: 'HTTP_422' });
    expect(await g.getConfirmation('00000000-0000-4000-8000-000000000000')).toMatchObject({ kind: 'declined', responseCode: 'HTTP_404' });
    const wrongKey = new ApsGateway({ ...configFor(sb), confirmationApiKey: 'not-the-key' });
    expect(await wrongKey.startConfirmation(request('x@example.com'))).toMatchObject({ kind: 'declined', responseCode: 'HTTP_401' });
  });
});

describe('reachability', () => {
  it('probe is true while the sandbox answers, false when it is down', async () => {
    expect(await g.probe()).toBe(true);
    sb.control.setReachable(false);
    try {
      expect(await g.probe()).toBe(false);
      expect(await g.purchase(charge())).toMatchObject({ kind: 'pending', reason: 'network' });
    } finally {
      sb.control.setReachable(true);
    }
  });
});
