import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { minorToDecimal, type ConfirmationService } from '../confirmations';
import { SANDBOX_BANNER, esc, page, sandboxBanner } from '../html';
import { mediaType, parseForm, parseJsonObject, readBody, sendHtml, sendJson } from '../http';
import type { ConfirmationRow } from '../store';
import type { MerchantConfig } from '../types';

/**
 * HTTP side of the email confirmation service: the merchant API (POST /confirmations,
 * GET /confirmations/:id, Bearer auth with the merchant's confirmationApiKey), the test mailbox
 * (GET /mailbox) and the cardholder's pages (GET /confirm/:processId, POST …/agree|refuse).
 */

export interface ConfirmationRouteDeps {
  service: ConfirmationService;
  merchants: readonly MerchantConfig[];
}

function merchantOfKey(deps: ConfirmationRouteDeps, req: IncomingMessage): MerchantConfig | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const given = Buffer.from(m[1] as string);
  return deps.merchants.find((merchant) => {
    if (!merchant.confirmationApiKey) return false;
    const key = Buffer.from(merchant.confirmationApiKey);
    return key.length === given.length && timingSafeEqual(key, given);
  });
}

function unauthorized(res: ServerResponse): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  sendJson(res, 401, { error: 'unauthorized', message: 'A valid Bearer API key is required' });
}

/** POST /confirmations (multipart is not supported: form-urlencoded or JSON). */
export async function handleCreateConfirmation(deps: ConfirmationRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const merchant = merchantOfKey(deps, req);
  if (!merchant) return unauthorized(res);
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') sendJson(res, 413, { error: 'too_large', message: 'Request body too large' });
    else req.socket.destroy();
    return;
  }
  let input: Record<string, string> | undefined;
  const type = mediaType(req);
  if (type === 'application/json') {
    const obj = parseJsonObject(body.text);
    if (obj) {
      input = {};
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v === 'string') input[k] = v;
        else if (typeof v === 'number' && Number.isFinite(v)) input[k] = String(v);
      }
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    input = parseForm(body.text);
  }
  if (!input) return sendJson(res, 400, { error: 'bad_request', message: 'Send a JSON object or a form-urlencoded body' });
  const created = deps.service.create(merchant, input);
  if (!created.ok) return sendJson(res, 422, { error: 'validation_failed', errors: created.errors });
  sendJson(res, 201, { confirmation: created.confirmation });
}

/** GET /confirmations/:id */
export function handleGetConfirmation(deps: ConfirmationRouteDeps, req: IncomingMessage, res: ServerResponse, id: string): void {
  const merchant = merchantOfKey(deps, req);
  if (!merchant) return unauthorized(res);
  const confirmation = deps.service.get(merchant, id);
  if (!confirmation) return sendJson(res, 404, { error: 'not_found', message: 'Confirmation not found' });
  sendJson(res, 200, { confirmation });
}

const amountText = (row: ConfirmationRow): string => `${row.currency} ${minorToDecimal(row.amount_minor, row.currency)}`;
// The merchant's order_description is free text that usually names the order itself ("Order R1: …"):
// it is shown as it is, under "For", never behind another "Order" label.
const subject = (row: ConfirmationRow): string =>
  row.language === 'ar'
    ? `يرجى تأكيد دفع \u2068${amountText(row)}\u2069${row.order_description ? ` مقابل \u2068${row.order_description}\u2069` : ''}`
    : `Please confirm your payment of ${amountText(row)}${row.order_description ? ` for ${row.order_description}` : ''}`;

function stateBadge(row: ConfirmationRow): string {
  return `<span class="state state-${esc(row.state)}" data-testid="email-state">${esc(row.state)}</span>`;
}

/** GET /mailbox */
export function handleMailbox(deps: ConfirmationRouteDeps, res: ServerResponse): void {
  const mails = deps.service.mailbox();
  const items = mails.length
    ? mails
        .map(
          (row) => `<article class="panel email" data-testid="email" data-email="${esc(row.email_address)}" aria-label="Email to ${esc(row.email_address)}">
<h2>${esc(subject(row))}</h2>
<p><span class="muted">To</span> <span data-testid="email-to">${esc(row.email_address)}</span> · <span class="muted">${esc(new Date(row.created_at_ms).toISOString())}</span> ${stateBadge(row)}</p>
<p><span class="muted">Amount</span> <span data-testid="email-amount">${esc(amountText(row))}</span> · <span class="muted">For</span> <span data-testid="email-description">${esc(row.order_description)}</span></p>
<p><a href="/confirm/${esc(row.process_id)}" data-testid="email-link">Review and confirm the payment to ${esc(row.email_address)}</a></p>
</article>`,
        )
        .join('')
    : '<p class="muted" data-testid="mailbox-empty">No emails yet.</p>';
  sendHtml(res, 200, page('Sandbox mailbox', `${SANDBOX_BANNER}<h1>Mailbox</h1><p class="muted">Emails the sandbox confirmation service has sent. Addresses containing “bounce” are never delivered.</p>${items}`, { wide: true }));
}

/** The confirmation page speaks the language the merchant sent (`language`, our addition to seed 003). */
const CONFIRM_TEXT = {
  en: {
    title: 'Confirm your payment',
    amount: 'Amount',
    for: 'For',
    agree: 'I agree',
    refuse: 'I refuse',
    banner: 'SANDBOX — test cards only',
    disclaimer: (name: string, amount: string, last4: string | null, what: string) =>
      `I, ${name}, confirm that I placed this order by mail or telephone and authorise the merchant to charge ${amount}${last4 ? ` to the card ending ${last4}` : ''} for “${what}”.`,
  },
  ar: {
    title: 'أكّد عملية الدفع',
    amount: 'المبلغ',
    for: 'مقابل',
    agree: 'أوافق',
    refuse: 'أرفض',
    banner: 'بيئة تجريبية — بطاقات الاختبار فقط',
    disclaimer: (name: string, amount: string, last4: string | null, what: string) =>
      `أنا، ${name}، أؤكد أنني قدّمت هذا الطلب بالبريد أو الهاتف، وأفوّض التاجر بخصم ${amount}${last4 ? ` من البطاقة المنتهية بـ ${last4}` : ''} مقابل «${what}».`,
  },
} as const;

function confirmText(row: ConfirmationRow) {
  return row.language === 'ar' ? CONFIRM_TEXT.ar : CONFIRM_TEXT.en;
}

function disclaimer(row: ConfirmationRow): string {
  // Names, amounts and card digits are isolated so they read right inside an Arabic sentence.
  const bdi = (s: string) => `<bdi>${esc(s)}</bdi>`;
  return confirmText(row).disclaimer(
    bdi(`${row.first_name} ${row.last_name}`),
    bdi(amountText(row)),
    row.masked_card ? esc(row.masked_card.slice(-4)) : null,
    bdi(row.order_description),
  );
}

function resultPage(res: ServerResponse, row: ConfirmationRow, status = 200): void {
  const text: Record<string, string> = {
    confirmed: 'Thank you. You confirmed this payment.',
    refused: 'You refused this payment. The merchant has been told.',
    expired: 'This confirmation link has expired.',
    failed: 'This confirmation could not be completed.',
  };
  const body = `${SANDBOX_BANNER}<div class="panel" data-testid="confirmation-result" role="status"><h1>${esc(text[row.state] ?? 'This confirmation is in progress.')}</h1><p>${esc(subject(row))}</p><p>${stateBadge(row)}</p><p><a href="/mailbox">Back to the mailbox</a></p></div>`;
  sendHtml(res, status, page('Payment confirmation', body));
}

function notFound(res: ServerResponse): void {
  sendHtml(res, 404, page('Not found', `${SANDBOX_BANNER}<div class="panel" role="alert"><h1>This confirmation link is not valid.</h1></div>`));
}

/** GET /confirm/:processId — the link in the email. */
export function handleOpenLink(deps: ConfirmationRouteDeps, res: ServerResponse, processId: string): void {
  const row = deps.service.open(processId);
  if (!row) return notFound(res);
  if (row.process_state !== 'waiting_agreement') return resultPage(res, row);
  const w = confirmText(row);
  const body = `${sandboxBanner(w.banner)}<div class="panel" data-testid="disclaimer-page">
<h1>${esc(w.title)}</h1>
<p><span class="muted">${esc(w.amount)}</span> <strong data-testid="confirm-amount"><bdi>${esc(amountText(row))}</bdi></strong></p>
<p><span class="muted">${esc(w.for)}</span> <bdi>${esc(row.order_description)}</bdi></p>
<p class="disclaimer" data-testid="disclaimer">${disclaimer(row)}</p>
<div class="actions">
<form method="post" action="/confirm/${esc(processId)}/agree"><button class="primary" type="submit" data-testid="agree">${esc(w.agree)}</button></form>
<form method="post" action="/confirm/${esc(processId)}/refuse"><button class="danger" type="submit" data-testid="refuse">${esc(w.refuse)}</button></form>
</div></div>`;
  sendHtml(res, 200, page(w.title, body, { lang: row.language === 'ar' ? 'ar' : 'en' }));
}

/** POST /confirm/:processId/agree|refuse */
export async function handleAnswer(deps: ConfirmationRouteDeps, req: IncomingMessage, res: ServerResponse, processId: string, answer: 'agree' | 'refuse'): Promise<void> {
  await readBody(req); // the buttons post an empty form
  const row = deps.service.answer(processId, answer);
  if (!row) return notFound(res);
  resultPage(res, row);
}
