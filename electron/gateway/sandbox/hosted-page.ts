import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sign, verify, TOKENIZATION_UNSIGNED_FIELDS } from '../aps/signature';
import { MESSAGES, STATUS, result, type ApsResult, type MessageCode } from './codes';
import {
  TEST_CARDS,
  behaviourOf,
  cardBin,
  checkPan,
  cvvValid,
  isExpired,
  maskPan,
  panFingerprint,
  parseExpiryInput,
  type Brand,
} from './cards';
import type { OffsetClock } from './clock';
import { esc, page, sandboxBanner } from './html';
import { HOSTED_TEXT, panError, pageLanguage, type PageLanguage } from './hosted-text';
import { mediaType, parseForm, readBody, redirect, sendHtml } from './http';
import type { Store } from './store';
import type { MerchantConfig, SandboxLogger } from './types';

/**
 * The hosted card page (APS "merchant page" TOKENIZATION, §3.1): the merchant's window frames it,
 * the cardholder or agent types the card here, and the sandbox sends a signed result to the
 * merchant's return_url. The signed request fields are kept server-side under an opaque session
 * id, so the card form itself carries nothing but that id and the card fields.
 */

export interface HostedPageDeps {
  store: Store;
  clock: OffsetClock;
  merchants: ReadonlyMap<string, MerchantConfig>;
  frameAncestors: string[];
  logger?: SandboxLogger;
}

/** A card form stays usable for 30 minutes (sandbox clock). */
const SESSION_TTL_MS = 30 * 60 * 1000;

const REQUEST_FIELDS = ['service_command', 'access_code', 'merchant_identifier', 'merchant_reference', 'language', 'return_url', 'signature'];
const CARD_FIELDS = new Set(TOKENIZATION_UNSIGNED_FIELDS);

interface SessionParams {
  /** The merchant's non-card fields as posted (without signature), echoed in the result. */
  echo: Record<string, string>;
  /** remember_me as posted by the merchant: the default of the checkbox. */
  rememberMe: 'YES' | 'NO';
  /**
   * The merchant posted remember_me: its screen asked already, so the page does not ask again (one
   * question, in one place). Absent in sessions stored before this field: those ask.
   */
  merchantDecides?: boolean;
}

interface CardInput {
  pan: string;
  brand: Brand;
  expiry: string; // YYMM
  holder?: string;
  rememberMe: 'YES' | 'NO';
}

type FieldErrors = Partial<Record<'card_number' | 'expiry_date' | 'card_security_code' | 'card_holder_name', string>>;

// --- request ------------------------------------------------------------------------------------

type Verified = { ok: true; merchant: MerchantConfig; session: SessionParams } | { ok: false; error: ApsResult };

/** Checks the merchant's signed TOKENIZATION request (§3.1, §5.2: card fields are not signed). */
function verifyRequest(deps: HostedPageDeps, fields: Record<string, string>): Verified {
  const fail = (code: MessageCode): Verified => ({ ok: false, error: result(STATUS.INVALID_REQUEST, code) });
  const merchantId = fields['merchant_identifier'];
  if (!merchantId) return fail('001');
  const merchant = deps.merchants.get(merchantId);
  if (!merchant) return fail('009');
  if (!fields['access_code']) return fail('001');
  if (fields['access_code'] !== merchant.accessCode) return fail('010');
  if (!verify(fields, merchant.requestPhrase, merchant.shaType, TOKENIZATION_UNSIGNED_FIELDS)) return fail('008');
  for (const name of REQUEST_FIELDS) if (!fields[name]) return fail('001');
  if (fields['service_command'] !== 'TOKENIZATION') return fail('004');
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(fields['merchant_reference'] ?? '')) return fail('002');
  if (!/^(en|ar)$/.test(fields['language'] ?? '')) return fail('002');
  if (!/^https?:\/\/\S{1,390}$/.test(fields['return_url'] ?? '')) return fail('002');
  if (fields['token_name'] && !/^[A-Za-z0-9_.@-]{1,100}$/.test(fields['token_name'])) return fail('002');
  const echo: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k !== 'signature' && !CARD_FIELDS.has(k) && v !== '') echo[k] = v;
  const posted = fields['remember_me'];
  if (posted && posted !== 'YES' && posted !== 'NO') return fail('002');
  return { ok: true, merchant, session: { echo, rememberMe: posted === 'NO' ? 'NO' : 'YES', merchantDecides: posted === 'YES' || posted === 'NO' } };
}

/** POST /FortAPI/paymentPage */
export async function handlePaymentPage(deps: HostedPageDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'POST') return errorPage(deps, res, 405, 'This page is opened by a form post from the merchant.');
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') errorPage(deps, res, 413, `${result('00', '073').response_code} ${MESSAGES['073']}`);
    else req.socket.destroy();
    return;
  }
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    return errorPage(deps, res, 400, `${result('00', '073').response_code} ${MESSAGES['073']}`);
  }
  const fields = parseForm(body.text);
  const checked = verifyRequest(deps, fields);
  if (!checked.ok) {
    deps.logger?.info({ responseCode: checked.error.response_code, merchantReference: fields['merchant_reference'] }, 'paymentPage refused');
    return errorPage(deps, res, 400, `${checked.error.response_code} ${checked.error.response_message}`, pageLanguage(fields['language']));
  }
  const getRedirect = url.searchParams.get('method')?.toLowerCase() === 'get';

  // Merchant Page 2.0 style: card fields posted along with the signed fields → no form to show.
  if (fields['card_number'] !== undefined) {
    const card = readCard(fields, checked.session.rememberMe, deps.clock.now());
    const outcome = card.ok
      ? tokenize(deps, checked.merchant, checked.session, card.card)
      : failure(checked.merchant, checked.session, card.code);
    return deliver(deps, res, checked.session, outcome, getRedirect);
  }

  const id = randomBytes(24).toString('base64url');
  deps.store.insertSession({
    id,
    merchant_identifier: checked.merchant.merchantIdentifier,
    params_json: JSON.stringify(checked.session),
    get_redirect: getRedirect ? 1 : 0,
    created_at_ms: deps.clock.nowMs(),
    used: 0,
  });
  const lang = pageLanguage(checked.session.echo['language']);
  sendHtml(res, 200, cardFormPage(lang, id, rememberQuestion(checked.session), {}, {}), { frameAncestors: deps.frameAncestors });
}

/** POST /FortAPI/paymentPage/submit (the card form). */
export async function handleCardSubmit(deps: HostedPageDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return errorPage(deps, res, 405, 'Method not allowed.');
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') errorPage(deps, res, 413, 'The form is too large.');
    else req.socket.destroy();
    return;
  }
  const fields = parseForm(body.text);
  const row = deps.store.session(fields['session'] ?? '');
  if (!row) return errorPage(deps, res, 400, HOSTED_TEXT.en.formInvalid);
  const session = JSON.parse(row.params_json) as SessionParams;
  const lang = pageLanguage(session.echo['language']);
  const w = HOSTED_TEXT[lang];
  if (row.used) return errorPage(deps, res, 400, w.formUsed, lang);
  if (deps.clock.nowMs() - row.created_at_ms > SESSION_TTL_MS) {
    return errorPage(deps, res, 400, w.formExpired, lang);
  }
  const merchant = deps.merchants.get(row.merchant_identifier);
  if (!merchant) return errorPage(deps, res, 400, 'Unknown merchant.', lang);
  const rememberMe = session.merchantDecides ? session.rememberMe : fields['remember_me'] === 'YES' ? 'YES' : 'NO';
  const errors: FieldErrors = {};
  const card = readCardForm(fields, rememberMe, deps.clock.now(), errors, lang);
  if (!card) {
    // The card number and CVV are never written back into the page.
    const keep = { expiry_date: fields['expiry_date'] ?? '', card_holder_name: fields['card_holder_name'] ?? '' };
    sendHtml(res, 422, cardFormPage(lang, row.id, session.merchantDecides ? null : rememberMe === 'YES', errors, keep), { frameAncestors: deps.frameAncestors });
    return;
  }
  deps.store.markSessionUsed(row.id);
  deliver(deps, res, session, tokenize(deps, merchant, session, card), row.get_redirect === 1);
}

// --- card validation ----------------------------------------------------------------------------

/** The card form: every problem is reported next to its field. */
function readCardForm(fields: Record<string, string>, rememberMe: 'YES' | 'NO', now: Date, errors: FieldErrors, lang: PageLanguage): CardInput | undefined {
  const w = HOSTED_TEXT[lang];
  const pan = checkPan(fields['card_number'] ?? '');
  if (!pan.ok) errors.card_number = panError(lang, pan.error);
  const expiry = parseExpiryInput(fields['expiry_date'] ?? '');
  if (!expiry) errors.expiry_date = w.expiryFormat;
  else if (isExpired(expiry, now)) errors.expiry_date = w.expired;
  const cvv = fields['card_security_code'] ?? '';
  if (pan.ok && !cvvValid(cvv, pan.brand)) errors.card_security_code = pan.brand === 'AMEX' ? w.cvv4 : w.cvv3;
  else if (!pan.ok && !/^[0-9]{3,4}$/.test(cvv)) errors.card_security_code = w.cvvAny;
  const holder = (fields['card_holder_name'] ?? '').trim();
  if (holder.length > 50 || !/^[\p{L}\p{N}_\\/\-.' ]*$/u.test(holder)) errors.card_holder_name = w.holderFormat;
  if (!pan.ok || !expiry || Object.keys(errors).length > 0) return undefined;
  return { pan: pan.pan, brand: pan.brand, expiry, holder: holder || undefined, rememberMe };
}

/** Card fields posted directly by the merchant (APS field names, expiry as YYMM). */
function readCard(fields: Record<string, string>, rememberMe: 'YES' | 'NO', now: Date): { ok: true; card: CardInput } | { ok: false; code: MessageCode } {
  const pan = checkPan(fields['card_number'] ?? '');
  if (!pan.ok) return { ok: false, code: '016' };
  const expiry = fields['expiry_date'] ?? '';
  if (!/^[0-9]{2}(0[1-9]|1[0-2])$/.test(expiry)) return { ok: false, code: '100' };
  if (isExpired(expiry, now)) return { ok: false, code: '012' };
  if (!cvvValid(fields['card_security_code'] ?? '', pan.brand)) return { ok: false, code: '002' };
  const holder = fields['card_holder_name']?.trim();
  if (holder && (holder.length > 50 || !/^[\p{L}\p{N}_\\/\-.' ]*$/u.test(holder))) return { ok: false, code: '002' };
  const remember = fields['remember_me'] === 'NO' ? 'NO' : rememberMe;
  return { ok: true, card: { pan: pan.pan, brand: pan.brand, expiry, holder: holder || undefined, rememberMe: remember } };
}

// --- tokenization -------------------------------------------------------------------------------

interface Outcome {
  merchant: MerchantConfig;
  fields: Record<string, string>;
}

function failure(merchant: MerchantConfig, session: SessionParams, code: MessageCode, card?: CardInput): Outcome {
  return {
    merchant,
    fields: {
      ...session.echo,
      ...(card ? { card_number: maskPan(card.pan), card_bin: cardBin(card.pan), expiry_date: card.expiry, payment_option: card.brand } : {}),
      remember_me: card?.rememberMe ?? session.rememberMe,
      ...result(STATUS.TOKENIZATION_FAILED, code),
    },
  };
}

/**
 * Creates or updates the token. Unique-token merchants get the existing token of the same card
 * (found by the HMAC fingerprint, reactivated); otherwise a merchant-chosen token_name is created or
 * re-pointed to this card, and without one a new 32-hex name is generated.
 */
function tokenize(deps: HostedPageDeps, merchant: MerchantConfig, session: SessionParams, card: CardInput): Outcome {
  if (behaviourOf(card.pan) === 'tokenization_fails') return failure(merchant, session, '666', card);
  const mid = merchant.merchantIdentifier;
  const fingerprint = panFingerprint(card.pan, deps.store.secret());
  const nowMs = deps.clock.nowMs();
  const tokenName = deps.store.tx(() => {
    const sameCard = merchant.uniqueTokens ? deps.store.tokenByPan(mid, fingerprint) : undefined;
    const name = sameCard?.token_name ?? session.echo['token_name'] ?? randomBytes(16).toString('hex');
    const existing = sameCard ?? deps.store.token(mid, name);
    deps.store.upsertToken({
      merchant_identifier: mid,
      token_name: name,
      pan_hmac: fingerprint,
      card_bin: cardBin(card.pan),
      masked_card: maskPan(card.pan),
      brand: card.brand,
      expiry_date: card.expiry,
      holder_name: card.holder ?? null,
      status: 'ACTIVE',
      behaviour: behaviourOf(card.pan),
      created_at_ms: existing?.created_at_ms ?? nowMs,
      updated_at_ms: nowMs,
    });
    return name;
  });
  deps.logger?.info({ merchantReference: session.echo['merchant_reference'], token: `${tokenName.slice(0, 4)}…${tokenName.slice(-4)}`, brand: card.brand }, 'token created');
  return {
    merchant,
    fields: {
      ...session.echo,
      token_name: tokenName,
      card_number: maskPan(card.pan),
      card_bin: cardBin(card.pan),
      expiry_date: card.expiry,
      ...(card.holder ? { card_holder_name: card.holder } : {}),
      remember_me: card.rememberMe,
      payment_option: card.brand,
      ...result(STATUS.TOKENIZATION_SUCCESS, '000'),
    },
  };
}

/** Sends the signed result to return_url: auto-posting form (default) or a 303 with a query string. */
function deliver(deps: HostedPageDeps, res: ServerResponse, session: SessionParams, outcome: Outcome, getRedirect: boolean): void {
  const { merchant, fields } = outcome;
  // The response signature covers every returned field, as APS clients verify it (§5.1).
  const signed = { ...fields, signature: sign(fields, merchant.responsePhrase, merchant.shaType) };
  const returnUrl = session.echo['return_url'] as string;
  if (getRedirect) {
    const target = new URL(returnUrl);
    for (const [k, v] of Object.entries(signed)) target.searchParams.append(k, v);
    return redirect(res, target.toString());
  }
  const inputs = Object.entries(signed)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const ok = fields['status'] === STATUS.TOKENIZATION_SUCCESS;
  const lang = pageLanguage(session.echo['language']);
  const w = HOSTED_TEXT[lang];
  const html = page(
    w.returningTitle,
    `${sandboxBanner(w.banner)}<div class="panel" data-testid="return-page">
<h1>${esc(ok ? w.cardSaved : w.cardNotSaved)}</h1>
<p class="muted">${esc(w.returning)}</p>
<form id="return-form" method="post" action="${esc(returnUrl)}">${inputs}
<noscript><button class="primary" type="submit">${esc(w.continue)}</button></noscript></form></div>`,
    { framed: true, scripts: ['/FortAPI/static/redirect.js'], lang },
  );
  sendHtml(res, 200, html, { frameAncestors: deps.frameAncestors, formAction: [new URL(returnUrl).origin] });
}

// --- pages --------------------------------------------------------------------------------------

function errorPage(deps: HostedPageDeps, res: ServerResponse, status: number, message: string, lang: PageLanguage = 'en'): void {
  const w = HOSTED_TEXT[lang];
  const html = page(
    w.errorTitle,
    `${sandboxBanner(w.banner)}<div class="panel" role="alert" data-testid="payment-page-error"><h1>${esc(w.errorHeading)}</h1><p>${esc(message)}</p></div>`,
    { framed: true, lang },
  );
  sendHtml(res, status, html, { frameAncestors: deps.frameAncestors });
}

function input(
  name: keyof FieldErrors,
  label: string,
  errors: FieldErrors,
  attrs: string,
  value = '',
): string {
  const error = errors[name];
  return `<div class="field"><label for="${name}">${esc(label)}</label>
<input type="text" id="${name}" name="${name}" value="${esc(value)}" ${attrs} data-testid="${name}"${error ? ` aria-invalid="true" aria-describedby="${name}-error"` : ''}>
${error ? `<p class="error" id="${name}-error" data-testid="${name}-error">${esc(error)}</p>` : ''}</div>`;
}

const CARD_ATTRS = 'autocomplete="off" spellcheck="false" autocorrect="off" autocapitalize="off"';

/** The checkbox's default, or null when the merchant's screen asked already (no checkbox). */
function rememberQuestion(session: SessionParams): boolean | null {
  return session.merchantDecides ? null : session.rememberMe === 'YES';
}

function cardFormPage(lang: PageLanguage, sessionId: string, rememberMe: boolean | null, errors: FieldErrors, keep: { expiry_date?: string; card_holder_name?: string }): string {
  const w = HOSTED_TEXT[lang];
  const cards = TEST_CARDS.map(
    (c) => `<tr><td><code>${c.number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code></td><td>${c.cvv}</td><td>${esc(c.note)}</td></tr>`,
  ).join('');
  // Card number, expiry and CVV read left to right in every language (dir="ltr"); the name follows its script.
  const body = `${sandboxBanner(w.banner)}
<form id="card-form" class="panel" method="post" action="/FortAPI/paymentPage/submit" novalidate data-testid="card-form" aria-label="${esc(w.formLabel)}">
<input type="hidden" name="session" value="${esc(sessionId)}">
${input('card_number', w.cardNumber, errors, `${CARD_ATTRS} dir="ltr" inputmode="numeric" maxlength="23" placeholder="1234 5678 9012 3456" required autofocus`)}
<div class="row">
${input('expiry_date', w.expiry, errors, `${CARD_ATTRS} dir="ltr" inputmode="numeric" maxlength="7" placeholder="MM/YY" required`, keep.expiry_date)}
${input('card_security_code', w.cvv, errors, `${CARD_ATTRS} dir="ltr" inputmode="numeric" maxlength="4" placeholder="123" required`)}
</div>
${input('card_holder_name', w.holder, errors, `${CARD_ATTRS} dir="auto" maxlength="50" placeholder="${esc(w.holderPlaceholder)}"`, keep.card_holder_name)}
${rememberMe === null ? '' : `<label class="check"><input type="checkbox" name="remember_me" value="YES" data-testid="remember_me"${rememberMe ? ' checked' : ''}> ${esc(w.remember)}</label>`}
<button class="primary" type="submit" data-testid="submit-card">${esc(w.continue)}</button>
</form>
<details data-testid="test-cards"><summary>${esc(w.testCards)}</summary><table><thead><tr><th>${esc(w.number)}</th><th>CVV</th><th>${esc(w.result)}</th></tr></thead><tbody>${cards}</tbody></table></details>`;
  return page(w.title, body, { framed: true, scripts: ['/FortAPI/static/card-form.js'], lang });
}
