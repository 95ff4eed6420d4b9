import { z } from 'zod';
import type { PaymentLinkInfo, PaymentLinkRequest, PaymentLinkStatusRequest, PaymentLinkUpdateRequest } from '../types';
import { ApsValidationError } from './errors';
import { amountFields, checkField } from './fields';
import { Params, finish, type ApsCredentials, type ApsRequest } from './requests';
import type { SignableObject } from './signature';

/**
 * Payment Link requests and replies (docs/aps-gateway-links.md). Same endpoint, JSON and signature
 * as every paymentApi command; the link service answers with status 48 ("Invoice payment link
 * success", doc §6.1) and the status query with 12 like CHECK_STATUS.
 */

export const NOTIFICATION_TYPES = ['EMAIL', 'SMS', 'EMAIL_SMS', 'NONE'] as const;
const PHONE = /^\+?[0-9]{6,19}$/;
const LINK_ID = /^[A-Za-z0-9]{1,20}$/;

/** "2026-12-27T06:55:42Z": the shape of request_expiry_date in APS's status reply sample. */
export function apsExpiry(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new ApsValidationError('BAD_FORMAT', 'request_expiry_date', 'must be a date and time');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function linkId(value: string): string {
  if (!LINK_ID.test(value)) throw new ApsValidationError('BAD_FORMAT', 'payment_link_id', 'letters and digits, at most 20');
  return value;
}

export function buildPaymentLink(creds: ApsCredentials, req: PaymentLinkRequest): ApsRequest {
  const { amount, currency } = amountFields(req.amount);
  if (!NOTIFICATION_TYPES.includes(req.notificationType)) throw new ApsValidationError('NOT_ALLOWED', 'notification_type', NOTIFICATION_TYPES.join(', '));
  const needsPhone = req.notificationType === 'SMS' || req.notificationType === 'EMAIL_SMS';
  if (needsPhone && !req.customerPhone) throw new ApsValidationError('REQUIRED', 'customer_phone', 'is required for an SMS link');
  if (req.customerPhone !== undefined && req.customerPhone !== '' && !PHONE.test(req.customerPhone)) {
    throw new ApsValidationError('BAD_FORMAT', 'customer_phone', 'digits with an optional leading +, 6 to 19');
  }
  checkField('order_description', req.orderDescription);
  const p = new Params()
    .required('service_command', 'PAYMENT_LINK')
    .required('access_code', creds.accessCode)
    .required('merchant_identifier', creds.merchantIdentifier)
    .required('merchant_reference', req.merchantReference)
    .required('amount', amount)
    .required('currency', currency)
    .required('language', req.language ?? creds.language)
    .required('customer_email', req.customerEmail)
    .optional('customer_phone', req.customerPhone)
    .required('notification_type', req.notificationType)
    .required('request_expiry_date', apsExpiry(req.expiresAt))
    .required('order_description', req.orderDescription);
  return finish(creds, 'PAYMENT_LINK', p);
}

/** By merchant_reference (always ours) and payment_link_id when known ([NEW] manage page sample). */
export function buildPaymentLinkStatus(creds: ApsCredentials, req: PaymentLinkStatusRequest): ApsRequest {
  const p = new Params()
    .required('query_command', 'CHECK_PAYMENT_LINK_STATUS')
    .required('access_code', creds.accessCode)
    .required('merchant_identifier', creds.merchantIdentifier)
    .required('merchant_reference', req.merchantReference);
  if (req.paymentLinkId) p.values['payment_link_id'] = linkId(req.paymentLinkId);
  return finish(creds, 'CHECK_PAYMENT_LINK_STATUS', p);
}

/** Close, extend or resend: the API form of the dashboard's "Close" / "update expiry" (UNCONFIRMED). */
export function buildPaymentLinkUpdate(creds: ApsCredentials, req: PaymentLinkUpdateRequest): ApsRequest {
  const p = new Params()
    .required('service_command', 'UPDATE_PAYMENT_LINK')
    .required('access_code', creds.accessCode)
    .required('merchant_identifier', creds.merchantIdentifier)
    .required('merchant_reference', req.merchantReference)
    .required('language', creds.language);
  p.values['payment_link_id'] = linkId(req.paymentLinkId);
  p.values['link_action'] = req.action;
  if (req.action === 'EXTEND') {
    if (!req.expiresAt) throw new ApsValidationError('REQUIRED', 'request_expiry_date', 'is required to extend a link');
    p.values['request_expiry_date'] = apsExpiry(req.expiresAt);
  }
  return finish(creds, 'UPDATE_PAYMENT_LINK', p);
}

const text = z.union([z.string(), z.number().transform((n) => String(n))]);
const STATUS_WORDS: Record<string, PaymentLinkInfo['status']> = { open: 'Open', paid: 'Paid', expired: 'Expired', closed: 'Closed', cancelled: 'Closed' };

const linkSchema = z.object({
  payment_link_id: text.pipe(z.string().regex(LINK_ID)),
  payment_link: text.optional(),
  payment_link_status: text.optional(),
  request_expiry_date: text.optional(),
  payment_link_open_count: text.pipe(z.string().regex(/^[0-9]{1,9}$/)).optional(),
  fort_id: text.pipe(z.string().regex(/^[0-9]{1,20}$/)).optional(),
  amount: text.pipe(z.string().regex(/^[0-9]{1,10}$/)).optional(),
});

export function toPaymentLinkInfo(raw: SignableObject): PaymentLinkInfo | z.ZodError {
  const r = linkSchema.safeParse(raw);
  if (!r.success) return r.error;
  const d = r.data;
  const status = d.payment_link_status ? STATUS_WORDS[d.payment_link_status.toLowerCase()] : undefined;
  if (d.payment_link_status && !status) {
    return new z.ZodError([{ code: 'custom', path: ['payment_link_status'], message: `unknown status ${d.payment_link_status}` }]);
  }
  const expiresMs = d.request_expiry_date ? Date.parse(d.request_expiry_date) : NaN;
  return {
    paymentLinkId: d.payment_link_id,
    ...(d.payment_link && /^https?:\/\//.test(d.payment_link) ? { url: d.payment_link } : {}),
    ...(status ? { status } : {}),
    ...(Number.isFinite(expiresMs) ? { expiresAt: new Date(expiresMs).toISOString() } : {}),
    ...(d.payment_link_open_count !== undefined ? { openedCount: Number(d.payment_link_open_count) } : {}),
    ...(d.fort_id ? { fortId: d.fort_id } : {}),
    ...(d.amount ? { amount: Number(d.amount) } : {}),
  };
}

/** A successful status query that found nothing (12036, as for CHECK_STATUS) → found: false. */
export function toPaymentLinkStatus(raw: SignableObject, responseCode: string): (PaymentLinkInfo & { found: boolean }) | z.ZodError {
  if (responseCode.endsWith('036')) return { paymentLinkId: '', found: false };
  const info = toPaymentLinkInfo(raw);
  return info instanceof z.ZodError ? info : { ...info, found: true };
}
