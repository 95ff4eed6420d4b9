import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENIZATION_UNSIGNED_FIELDS } from '../aps/signature';
import { startSandbox } from './server';
import { M, api, charge, ref, responseSignatureOk, signRequest, tokenize } from './test-support';
import type { MerchantConfig, SandboxHandle } from './types';

const UNIQUE: MerchantConfig = { ...M, merchantIdentifier: 'UNIQUEMID', uniqueTokens: true };
const RETURN_URL = 'https://pos.example.test/aps/return';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ merchants: [M, UNIQUE] });
});
afterAll(() => sb.close());

const form = (fields: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();

async function postForm(url: string, fields: Record<string, string | number>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form(fields), redirect: 'manual' });
}

function pageRequest(extra: Record<string, string> = {}, merchant: MerchantConfig = M): Record<string, string | number> {
  return signRequest(
    {
      service_command: 'TOKENIZATION',
      access_code: merchant.accessCode,
      merchant_identifier: merchant.merchantIdentifier,
      merchant_reference: ref('HP'),
      language: 'en',
      return_url: RETURN_URL,
      ...extra,
    },
    merchant,
    TOKENIZATION_UNSIGNED_FIELDS,
  );
}

function hiddenInputs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1] as string] = (m[2] as string).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  return out;
}

async function openForm(extra: Record<string, string> = {}, merchant: MerchantConfig = M, query = ''): Promise<{ session: string; html: string; res: Response }> {
  const res = await postForm(`${sb.paymentPageUrl}${query}`, pageRequest(extra, merchant));
  const html = await res.text();
  return { session: hiddenInputs(html)['session'] ?? '', html, res };
}

const card = { card_number: '4005 5500 0000 0001', expiry_date: '05/30', card_security_code: '123', card_holder_name: 'Jane Q Public', remember_me: 'YES' };

describe('hosted tokenization page', () => {
  it('speaks the language the merchant asked for: language=ar is Arabic, right to left, card fields left to right', async () => {
    const { res, html, session } = await openForm({ language: 'ar' });
    expect(res.status).toBe(200);
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<label for="card_number">رقم البطاقة</label>');
    expect(html).toContain('aria-label="بيانات البطاقة"');
    expect(html).toContain('بيئة تجريبية — بطاقات الاختبار فقط');
    expect(html).toMatch(/id="card_number"[^>]*dir="ltr"/);
    expect(html).not.toContain('Card number');
    // A mistake is explained in Arabic too.
    const bad = await postForm(`${sb.paymentPageUrl}/submit`, { session, ...card, card_number: '4005 5500 0000 0002', card_security_code: '1' });
    const again = await bad.text();
    expect(bad.status).toBe(422);
    expect(again).toContain('رقم البطاقة هذا غير صالح.');
    expect(again).toContain('<html lang="ar" dir="rtl">');
    // English stays the default.
    expect((await openForm()).html).toContain('<html lang="en" dir="ltr">');
  });

  it('renders a framable, CSP-locked card form with a server-side session', async () => {
    const { res, html, session } = await openForm();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('http://127.0.0.1:*');
    expect(csp).toContain("script-src 'self'");
    expect(session).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(html).toContain('SANDBOX — test cards only');
    for (const name of ['card_number', 'expiry_date', 'card_security_code', 'card_holder_name']) {
      expect(html).toMatch(new RegExp(`<label for="${name}">`));
      expect(html).toMatch(new RegExp(`id="${name}"[^>]*autocomplete="off" spellcheck="false"`));
    }
    expect(html).toMatch(/id="card_number"[^>]*inputmode="numeric"/);
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect(html).not.toMatch(/<script>/); // scripts only from /FortAPI/static/
    // Framed inside the merchant's <main>: no second main landmark, the form is named (axe, issue 13).
    expect(html).not.toContain('<main');
    expect(html).toContain('aria-label="Card details"');
    expect(html).not.toContain(M.accessCode); // signed fields stay server-side
    const js = await fetch(`${sb.url}/FortAPI/static/card-form.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('end to end: form post → auto-posting return page with signed result; the token charges', async () => {
    const { session } = await openForm({ merchant_extra: 'cart-7' });
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`action="${RETURN_URL}"`);
    expect(html).toContain('/FortAPI/static/redirect.js');
    expect(res.headers.get('content-security-policy')).toContain('form-action \'self\' https://pos.example.test');
    const result = hiddenInputs(html);
    expect(result).toMatchObject({
      service_command: 'TOKENIZATION',
      merchant_identifier: M.merchantIdentifier,
      access_code: M.accessCode,
      language: 'en',
      return_url: RETURN_URL,
      merchant_extra: 'cart-7',
      card_number: '400555******0001',
      card_bin: '400555',
      expiry_date: '3005',
      card_holder_name: 'Jane Q Public',
      remember_me: 'YES',
      payment_option: 'VISA',
      response_code: '18000',
      response_message: 'Success',
      status: '18',
    });
    expect(result['token_name']).toMatch(/^[0-9a-f]{32}$/);
    expect(responseSignatureOk(result)).toBe(true);
    expect(html).not.toContain('4005550000000001');
    expect((await api(sb, charge('PURCHASE', result['token_name'] as string, '500')))['status']).toBe('14');
    // The session is single-use.
    const again = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card });
    expect(again.status).toBe(400);
  });

  it('invalid card fields re-render the form with field errors and never echo the card number', async () => {
    const { session } = await openForm();
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, {
      session,
      card_number: '4005550000000002',
      expiry_date: '01/20',
      card_security_code: '12',
      card_holder_name: 'Jane',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('data-testid="card_number-error"');
    expect(html).toContain('This card has expired.');
    expect(html).toContain('data-testid="card_security_code-error"');
    expect(html).not.toContain('4005550000000002');
    expect(html).toContain('value="Jane"');
    // Fix the fields on the same session: succeeds.
    const ok = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card });
    expect(hiddenInputs(await ok.text())['status']).toBe('18');
  });

  it('AMEX needs a 4-digit CVV; unsupported brands are refused', async () => {
    const { session } = await openForm();
    const bad = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, card_number: '345678901234564', expiry_date: '0530', card_security_code: '123' });
    expect(await bad.text()).toContain('Enter the 4-digit code.');
    const ok = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, card_number: '345678901234564', expiry_date: '0530', card_security_code: '1234' });
    expect(hiddenInputs(await ok.text())).toMatchObject({ payment_option: 'AMEX', card_number: '345678*****4564', status: '18' });
    const { session: s2 } = await openForm();
    const diners = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session: s2, card_number: '36227206271667', expiry_date: '0530', card_security_code: '123' });
    expect(await diners.text()).toContain('This card type is not accepted.');
  });

  it('the designated failure card redirects with status 17', async () => {
    const { session } = await openForm();
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card, card_number: '4000000000000127' });
    const result = hiddenInputs(await res.text());
    expect(result).toMatchObject({ status: '17', response_code: '17666' });
    expect(result['token_name']).toBeUndefined();
    expect(responseSignatureOk(result)).toBe(true);
  });

  it('remember_me posted by the merchant is its answer: the page does not ask again', async () => {
    const { remember_me: _r, ...noRemember } = card;
    for (const answer of ['NO', 'YES'] as const) {
      const { html, session } = await openForm({ remember_me: answer });
      expect(html).not.toContain('Remember this card');
      expect(html).not.toContain('name="remember_me"');
      // Whatever the card form sends, the merchant's answer stands.
      const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...noRemember, remember_me: answer === 'NO' ? 'YES' : 'NO' });
      expect(hiddenInputs(await res.text())['remember_me']).toBe(answer);
    }
    expect((await openForm({ remember_me: 'MAYBE' })).res.status).toBe(400);
  });

  it('without the merchant\'s answer the page asks (checked by default) and follows the checkbox', async () => {
    const { html, session } = await openForm();
    expect(html).toMatch(/name="remember_me" value="YES" data-testid="remember_me" checked/);
    const { remember_me: _r, ...noRemember } = card;
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...noRemember });
    expect(hiddenInputs(await res.text())['remember_me']).toBe('NO');
  });

  it('?method=get returns with a 303 and a query string instead of a form post', async () => {
    const { session } = await openForm({}, M, '?method=get');
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_URL);
    expect(responseSignatureOk(Object.fromEntries(location.searchParams))).toBe(true);
  });

  it('a merchant-chosen token_name is used', async () => {
    const name = `cust-42-${Date.now()}`;
    const result = await tokenize(sb, {}, M, { token_name: name });
    expect(result['token_name']).toBe(name);
  });

  it('refuses bad requests with an error page', async () => {
    const cases: [Record<string, string | number>, string][] = [
      [{ ...pageRequest(), signature: 'deadbeef' }, '00008 Signature mismatch'],
      [{ ...pageRequest(), merchant_reference: 'changed' }, '00008 Signature mismatch'],
      [pageRequest({}, { ...M, merchantIdentifier: 'NOBODY' }), '00009'],
      [pageRequest({}, { ...M, accessCode: 'WRONG' }), '00010'],
      [pageRequest({ service_command: 'CREATE_TOKEN' }), '00004'],
      [pageRequest({ return_url: 'javascript:alert(1)' }), '00002'],
    ];
    for (const [fields, text] of cases) {
      const res = await postForm(sb.paymentPageUrl, fields);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(text);
      expect(html).toContain('data-testid="payment-page-error"');
    }
    const { return_url: _u, ...noReturn } = { service_command: 'TOKENIZATION', access_code: M.accessCode, merchant_identifier: M.merchantIdentifier, merchant_reference: 'x', language: 'en', return_url: '' };
    expect(await (await postForm(sb.paymentPageUrl, signRequest(noReturn, M))).text()).toContain('00001');
    expect((await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session: 'forged', ...card })).status).toBe(400);
  });

  it('an abandoned form expires after 30 minutes of sandbox time', async () => {
    const { session } = await openForm();
    sb.control.clock.advance(31 * 60 * 1000);
    const res = await postForm(`${sb.url}/FortAPI/paymentPage/submit`, { session, ...card });
    expect(await res.text()).toContain('expired');
  });

  it('card fields posted with the signed request (Merchant Page 2.0) tokenize directly; errors → status 17', async () => {
    expect((await tokenize(sb))['status']).toBe('18');
    expect(await tokenize(sb, { number: '4005550000000002' })).toMatchObject({ status: '17', response_code: '17016' });
    expect(await tokenize(sb, { expiry: '2001' })).toMatchObject({ status: '17', response_code: '17012' });
  });
});

describe('unique tokens', () => {
  it('returns the same token_name for the same card number, a new one for another card', async () => {
    const a = await tokenize(sb, { number: '5123456789012346' }, UNIQUE);
    const b = await tokenize(sb, { number: '5123 4567 8901 2346', expiry: '3107' }, UNIQUE);
    const c = await tokenize(sb, { number: '4005550000000001' }, UNIQUE);
    expect(a['token_name']).toBe(b['token_name']);
    expect(b['expiry_date']).toBe('3107');
    expect(c['token_name']).not.toBe(a['token_name']);
    // Without the option, every tokenization is a new token.
    const d = await tokenize(sb, { number: '5123456789012346' });
    const e = await tokenize(sb, { number: '5123456789012346' });
    expect(d['token_name']).not.toBe(e['token_name']);
  });
});
