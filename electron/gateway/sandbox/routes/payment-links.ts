import type { IncomingMessage, ServerResponse } from 'node:http';
import { minorToDecimal } from '../confirmations';
import { SANDBOX_BANNER, esc, page } from '../html';
import { parseForm, readBody, sendHtml, sendJson } from '../http';
import { THREE_DS_CODE, THREE_DS_FAIL_CARD, type LinkRow, type PayStep, type PaymentLinkService } from '../payment-links';

/**
 * The customer's side of a payment link: the payer page (GET /link/:pageId), the card post
 * (POST /link/:pageId/pay), the simulated 3-D Secure challenge (POST /link/3ds/:id), and the test
 * mailbox / SMS outbox the sandbox "sends" links to (GET /link-mailbox, GET /sms-outbox, and JSON
 * at /__sandbox/link-messages for tests). Card fields never leave this request: no autocomplete,
 * no spellcheck, nothing stored.
 */

export interface LinkRouteDeps {
  service: PaymentLinkService;
}

const amountText = (l: LinkRow): string => `${l.currency} ${minorToDecimal(l.amount, l.currency)}`;

function header(l: LinkRow): string {
  return `<h1>Pay ${esc(amountText(l))}</h1><p data-testid="link-description">${esc(l.order_description ?? l.merchant_reference)}</p>
<p class="muted">Reference <code>${esc(l.merchant_reference)}</code> · pay by ${esc(new Date(l.expiry_ms).toISOString().slice(0, 16).replace('T', ' '))} UTC</p>`;
}

function cardForm(l: LinkRow, errors: Record<string, string> = {}): string {
  const field = (name: string, label: string, extra: string): string => {
    const err = errors[name];
    return `<div class="field"><label for="${name}">${esc(label)}</label><input type="text" id="${name}" name="${name}" ${extra} autocomplete="off" spellcheck="false"${err ? ` aria-invalid="true" aria-describedby="${name}-error"` : ''}>${err ? `<p class="error" id="${name}-error">${esc(err)}</p>` : ''}</div>`;
  };
  return `${SANDBOX_BANNER}<div class="panel">${header(l)}
<form method="post" action="/link/${esc(l.page_id)}/pay" novalidate>
${field('card_number', 'Card number', 'inputmode="numeric"')}
<div class="row">${field('expiry', 'Expiry (MM/YY)', 'inputmode="numeric"')}${field('cvv', 'Security code', 'inputmode="numeric"')}</div>
<button class="primary" type="submit">Pay ${esc(amountText(l))}</button></form>
<details><summary>Test cards</summary><p>4005550000000001 pays without a challenge; 4557012345678902 asks for 3-D Secure (code ${THREE_DS_CODE} passes, any other fails); ${THREE_DS_FAIL_CARD} always fails 3-D Secure; 4000000000000101 is declined.</p></details></div>`;
}

function finalPage(l: LinkRow | undefined, title: string, text: string, testId: string): string {
  return page(title, `${SANDBOX_BANNER}<div class="panel">${l ? header(l) : ''}<p role="status" data-testid="${testId}"><strong>${esc(title)}</strong></p><p>${esc(text)}</p></div>`);
}

function closedPage(l: LinkRow | undefined): string {
  if (!l) return finalPage(undefined, 'Link not found', 'This payment link does not exist.', 'link-closed');
  if (l.status === 'Paid') return finalPage(l, 'Paid', 'This link has been paid. Thank you.', 'link-paid');
  if (l.status === 'Expired') return finalPage(l, 'Link expired', 'This payment link has expired. Ask the shop for a new one.', 'link-closed');
  return finalPage(l, 'Link cancelled', 'The shop has cancelled this payment link.', 'link-closed');
}

function stepPage(step: PayStep): { status: number; html: string } {
  switch (step.kind) {
    case 'paid':
      return { status: 200, html: finalPage(step.link, 'Payment successful', 'Your payment was accepted. You can close this page.', 'link-paid') };
    case 'declined':
      return { status: 200, html: page('Payment failed', `${SANDBOX_BANNER}<div class="panel">${header(step.link)}<p role="alert" data-testid="link-declined" class="error">${esc(step.message)}</p><p><a href="/link/${esc(step.link.page_id)}">Try another card</a></p></div>`) };
    case 'challenge':
      return {
        status: 200,
        html: page(
          '3-D Secure',
          `${SANDBOX_BANNER}<div class="panel"><h1>Your bank: verify this payment</h1><p>${esc(amountText(step.link))} to the merchant, card ${esc(step.maskedCard)}.</p>
<form method="post" action="/link/3ds/${esc(step.challengeId)}"><div class="field"><label for="otp">One-time code sent to your phone</label><input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" spellcheck="false"></div>
<button class="primary" type="submit">Verify</button></form><p class="muted">Sandbox: the code is ${THREE_DS_CODE}.</p></div>`,
        ),
      };
    case 'error':
      return { status: 422, html: step.link ? page('Pay', cardForm(step.link, step.errors)) : closedPage(undefined) };
    case 'closed':
      return { status: 410, html: closedPage(step.link) };
  }
}

export function handleOpenPayerPage(deps: LinkRouteDeps, res: ServerResponse, pageId: string): void {
  const l = deps.service.open(pageId);
  if (!l || l.status !== 'Open') return sendHtml(res, l ? 410 : 404, closedPage(l));
  sendHtml(res, 200, page('Pay', cardForm(l)));
}

async function form(req: IncomingMessage, res: ServerResponse): Promise<Record<string, string> | undefined> {
  const body = await readBody(req);
  if (!body.ok) {
    res.destroy();
    return undefined;
  }
  return parseForm(body.text);
}

export async function handlePay(deps: LinkRouteDeps, req: IncomingMessage, res: ServerResponse, pageId: string): Promise<void> {
  const fields = await form(req, res);
  if (!fields) return;
  const r = stepPage(deps.service.pay(pageId, fields));
  sendHtml(res, r.status, r.html);
}

export async function handleChallenge(deps: LinkRouteDeps, req: IncomingMessage, res: ServerResponse, challengeId: string): Promise<void> {
  const fields = await form(req, res);
  if (!fields) return;
  const r = stepPage(deps.service.answerChallenge(challengeId, fields['otp'] ?? ''));
  sendHtml(res, r.status, r.html);
}

export function handleLinkOutbox(deps: LinkRouteDeps, res: ServerResponse, channel: 'EMAIL' | 'SMS'): void {
  const rows = deps.service.messages(channel);
  const items = rows
    .map(
      (m) => `<article class="email panel" data-testid="link-message"><h2>${channel === 'EMAIL' ? 'To' : 'SMS to'} <bdi>${esc(m.address)}</bdi></h2>
<p>${esc(m.text.replace(m.url, '').replace(/:\s*$/, ''))}</p><p><a href="${esc(m.url)}" data-testid="link-url">Pay now</a></p><p class="muted">${esc(new Date(m.created_at_ms).toISOString())}</p></article>`,
    )
    .join('');
  const title = channel === 'EMAIL' ? 'Payment link mailbox' : 'SMS outbox';
  sendHtml(res, 200, page(title, `${SANDBOX_BANNER}<h1>${title}</h1>${items || '<p>No messages yet.</p>'}`, { wide: true }));
}

export function handleLinkMessagesJson(deps: LinkRouteDeps, res: ServerResponse): void {
  sendJson(res, 200, { messages: deps.service.messages() });
}
