import { z } from 'zod';
import { toDecimalString } from '../../../shared/money';
import type { Confirmation, ConfirmationRequest, GatewayRefs, Outcome } from '../types';
import { ApsValidationError } from './errors';
import { amountFields, checkField } from './fields';
import { httpExchange, type TransportResult } from './transport';

/**
 * Email confirmation of a MOTO charge by the cardholder (seed 003, "email_moto" strategy), spoken
 * as JSON with a Bearer key. The seed's card_number/expiry fields are replaced by token_name: the
 * card never leaves the gateway's vault (DESIGN "Card data"), so we send the token and our
 * merchant_identifier instead.
 */
export interface ConfirmationConfig {
  url: string;
  apiKey: string;
  templateId?: string;
  merchantIdentifier: string;
  timeoutMs: number;
}

const STATES = ['idle', 'processing', 'confirmed', 'refused', 'failed', 'expired'] as const;
const PROCESS_STATES = ['idle', 'generating_token', 'sending_email', 'waiting_click', 'waiting_agreement', 'finished', 'failed'] as const;

const nullableText = z.union([z.string(), z.null()]).optional().transform((v) => v ?? null);
const seconds = z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/).transform((s) => Number.parseInt(s, 10))]);

const confirmationSchema = z.object({
  id: z.string().min(1),
  created_at: z.string(),
  updated_at: z.string(),
  state: z.enum(STATES),
  process: z.object({
    state: z.enum(PROCESS_STATES),
    timeout_seconds: seconds,
    fail_reason: nullableText,
    user_response: nullableText,
  }),
});

/** The seed wraps the object in `confirmation`; accept it bare too (a GET may return it unwrapped). */
export function parseConfirmation(body: unknown): Confirmation | undefined {
  const inner = body !== null && typeof body === 'object' && 'confirmation' in body ? (body).confirmation : body;
  const r = confirmationSchema.safeParse(inner);
  if (!r.success) return undefined;
  const c = r.data;
  return {
    id: c.id,
    state: c.state,
    processState: c.process.state,
    failReason: c.process.fail_reason,
    userResponse: c.process.user_response,
    timeoutSeconds: c.process.timeout_seconds,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

function need(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') throw new ApsValidationError('REQUIRED', field, 'is required');
  return value;
}

/** Builds the JSON body; throws ApsValidationError on bad input (nothing sent). */
export function buildConfirmationBody(cfg: ConfirmationConfig, req: ConfirmationRequest): Record<string, string> {
  const templateId = need(cfg.templateId, 'confirmation_template_id');
  checkField('customer_email', need(req.emailAddress, 'email_address'));
  checkField('token_name', need(req.tokenName, 'token_name'));
  amountFields(req.amount);
  const timeout = req.timeoutSeconds ?? 60;
  if (!Number.isSafeInteger(timeout) || timeout <= 0) throw new ApsValidationError('BAD_FORMAT', 'timeout_seconds', 'must be a positive integer');
  for (const [field, value, max] of [
    ['order_description', req.orderDescription, 150],
    ['first_name', req.firstName, 50],
    ['last_name', req.lastName, 50],
  ] as const) {
    if ([...need(value, field)].length > max) throw new ApsValidationError('TOO_LONG', field, `at most ${max} characters`);
  }
  const body: Record<string, string> = {
    confirmation_template_id: templateId,
    email_address: req.emailAddress,
    // The seed types timeout_seconds and amount as strings; amount is decimal text ("3.56").
    timeout_seconds: String(timeout),
    amount: toDecimalString(req.amount),
    currency: req.amount.currency,
    order_description: req.orderDescription,
    first_name: req.firstName,
    last_name: req.lastName,
    token_name: req.tokenName,
    merchant_identifier: cfg.merchantIdentifier,
  };
  // Seed 003 has no language field; like token_name this is our addition: the mail and the page the
  // customer reads are in their language. Left out, the service's default (English).
  if (req.language !== undefined) {
    checkField('language', req.language);
    body['language'] = req.language;
  }
  if (req.callbackUrl) {
    if (!/^https?:\/\//.test(req.callbackUrl)) throw new ApsValidationError('BAD_FORMAT', 'callback_url', 'must be an http(s) URL');
    body['callback_url'] = req.callbackUrl;
  }
  return body;
}

/**
 * The confirmation service is plain REST: a 4xx is a definite refusal of our request (nothing was
 * started), while 5xx / 408 / 429 / timeouts / resets leave it unknown.
 */
export function classifyConfirmation(result: TransportResult, refs: GatewayRefs): Outcome<Confirmation> {
  switch (result.kind) {
    case 'timeout':
      return { kind: 'pending', refs, reason: 'timeout', detail: result.detail };
    case 'network':
      return { kind: 'pending', refs, reason: 'network', detail: result.detail };
    case 'truncated':
      return { kind: 'pending', refs, reason: 'bad_response', detail: `body cut off: ${result.detail}` };
    case 'response':
      break;
  }
  let body: unknown;
  try {
    body = result.body === '' ? undefined : JSON.parse(result.body);
  } catch {
    body = undefined;
  }
  const status = result.status;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    const msg = body && typeof body === 'object' ? ((body as { message?: unknown; error?: unknown }).message ?? (body as { error?: unknown }).error) : undefined;
    return { kind: 'declined', refs, responseCode: `HTTP_${status}`, status: String(status), message: typeof msg === 'string' ? msg : `HTTP ${status}` };
  }
  if (status < 200 || status > 299) return { kind: 'pending', refs, reason: 'http_status', detail: `HTTP ${status}` };
  const confirmation = parseConfirmation(body);
  if (!confirmation) return { kind: 'pending', refs, reason: 'bad_response', detail: 'confirmation reply unreadable' };
  return { kind: 'succeeded', refs, value: confirmation, responseCode: String(status), message: confirmation.state };
}

function configured(cfg: Partial<ConfirmationConfig>): ConfirmationConfig {
  if (!cfg.url) throw new ApsValidationError('NOT_CONFIGURED', 'confirmationApiUrl', 'the confirmation service is not configured');
  if (!cfg.apiKey) throw new ApsValidationError('NOT_CONFIGURED', 'confirmationApiKey', 'the confirmation service is not configured');
  return cfg as ConfirmationConfig;
}

function headers(cfg: ConfirmationConfig): Record<string, string> {
  return { authorization: `Bearer ${cfg.apiKey}`, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
}

// Confirmations are not tied to an APS order: refs carry no merchant_reference (empty string).
const NO_ORDER: GatewayRefs = { merchantReference: '' };

export async function startConfirmation(partial: Partial<ConfirmationConfig>, req: ConfirmationRequest): Promise<Outcome<Confirmation>> {
  const cfg = configured(partial);
  const body = buildConfirmationBody(cfg, req);
  const result = await httpExchange({ method: 'POST', url: cfg.url, headers: headers(cfg), body: JSON.stringify(body), timeoutMs: cfg.timeoutMs });
  return classifyConfirmation(result, NO_ORDER);
}

export async function getConfirmation(partial: Partial<ConfirmationConfig>, id: string): Promise<Outcome<Confirmation>> {
  const cfg = configured(partial);
  // The id goes into the URL path: only an id-like value, so nothing can redirect the request.
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new ApsValidationError('BAD_FORMAT', 'id', 'not a confirmation id');
  const url = `${cfg.url.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
  const result = await httpExchange({ method: 'GET', url, headers: headers(cfg), timeoutMs: cfg.timeoutMs });
  return classifyConfirmation(result, NO_ORDER);
}
