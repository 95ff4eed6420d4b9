import { z } from 'zod';
import type { ChargeResult, CheckStatusResult, MaintenanceResult, TokenInfo } from '../types';
import { verify, type ShaType, type SignableObject } from './signature';

/**
 * APS replies: JSON objects whose values are strings (doc §1). We tolerate numbers (the new docs
 * show `"amount": 10000` in requests) by reading them as their decimal text, which is also what the
 * signature covers.
 */
const text = z.union([z.string(), z.number().transform((n) => String(n))]);
const digits = (max: number) => text.pipe(z.string().regex(new RegExp(`^[0-9]{1,${max}}$`)));

/** Parses a body into a plain JSON object, or says why not (empty, truncated, not an object). */
export function parseBody(body: string): { ok: true; raw: SignableObject } | { ok: false; detail: string } {
  if (body.trim() === '') return { ok: false, detail: 'empty body' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Never echo the body: it may be anything, and logs must stay free of card data.
    return { ok: false, detail: `body is not JSON (${body.length} bytes)` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, detail: 'body is not a JSON object' };
  return { ok: true, raw: parsed as SignableObject };
}

/**
 * Response signature check (§5.1): recompute with the RESPONSE phrase over every received field
 * exactly as received (signature itself excluded), constant-time compare. A missing signature is
 * simply false, never "nothing to check".
 */
export function verifyResponseSignature(raw: SignableObject, responsePhrase: string, shaType: ShaType): boolean {
  return verify(raw, responsePhrase, shaType);
}

/** The envelope every APS reply has, success or not. */
export const envelopeSchema = z.object({
  response_code: digits(5).pipe(z.string().length(5)),
  response_message: text.default(''),
  status: digits(2).pipe(z.string().length(2)),
  merchant_reference: text.optional(),
  fort_id: text.optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const fortId = digits(20);

/** Card numbers in replies are masked by APS; if one ever is not, we mask it before it goes further. */
export function maskCard(cardNumber: string): string {
  if (/[^0-9]/.test(cardNumber) || cardNumber.length < 11) return cardNumber;
  return `${cardNumber.slice(0, 6)}${'*'.repeat(cardNumber.length - 10)}${cardNumber.slice(-4)}`;
}

export const chargeSchema = z.object({
  fort_id: fortId,
  authorization_code: text.optional(),
  card_number: text.optional(),
  expiry_date: text.optional(),
  payment_option: text.optional(),
  token_name: text.optional(),
});

export function toChargeResult(raw: unknown): ChargeResult | z.ZodError {
  const r = chargeSchema.safeParse(raw);
  if (!r.success) return r.error;
  const d = r.data;
  return {
    fortId: d.fort_id,
    ...(d.authorization_code ? { authorizationCode: d.authorization_code } : {}),
    ...(d.card_number ? { maskedCard: maskCard(d.card_number) } : {}),
    ...(d.expiry_date ? { expiryDate: d.expiry_date } : {}),
    ...(d.payment_option ? { paymentOption: d.payment_option } : {}),
    ...(d.token_name ? { tokenName: d.token_name } : {}),
  };
}

export const maintenanceSchema = z.object({ fort_id: fortId });

export function toMaintenanceResult(raw: unknown): MaintenanceResult | z.ZodError {
  const r = maintenanceSchema.safeParse(raw);
  return r.success ? { fortId: r.data.fort_id } : r.error;
}

/** Totals are minor units; a missing total is zero (an authorization has nothing captured yet). */
const total = digits(12).transform((s) => Number.parseInt(s, 10)).optional();

export const checkStatusSchema = z.object({
  fort_id: fortId.optional(),
  transaction_status: text.optional(),
  transaction_code: text.optional(),
  transaction_message: text.optional(),
  authorized_amount: total,
  captured_amount: total,
  refunded_amount: total,
  authorization_code: text.optional(),
});

/** The response code of a successful check on an order the gateway does not have (§4.4). */
export const CHECK_STATUS_NOT_FOUND = '12036';

export function toCheckStatusResult(raw: unknown, responseCode: string): CheckStatusResult | z.ZodError {
  if (responseCode === CHECK_STATUS_NOT_FOUND) return { found: false, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0 };
  const r = checkStatusSchema.safeParse(raw);
  if (!r.success) return r.error;
  const d = r.data;
  return {
    found: true,
    ...(d.fort_id ? { fortId: d.fort_id } : {}),
    ...(d.transaction_status ? { transactionStatus: d.transaction_status } : {}),
    ...(d.transaction_code ? { transactionCode: d.transaction_code } : {}),
    ...(d.transaction_message ? { transactionMessage: d.transaction_message } : {}),
    authorizedAmount: d.authorized_amount ?? 0,
    capturedAmount: d.captured_amount ?? 0,
    refundedAmount: d.refunded_amount ?? 0,
    ...(d.authorization_code ? { authorizationCode: d.authorization_code } : {}),
  };
}

export const updateTokenSchema = z.object({
  token_name: text,
  card_number: text.optional(),
  card_brand: text.optional(),
  expiry_date: text.optional(),
  token_status: text.optional(),
});

export function toTokenInfo(raw: unknown): TokenInfo | z.ZodError {
  const r = updateTokenSchema.safeParse(raw);
  if (!r.success) return r.error;
  const d = r.data;
  return {
    tokenName: d.token_name,
    ...(d.card_number ? { maskedCard: maskCard(d.card_number) } : {}),
    ...(d.card_brand ? { cardBrand: d.card_brand } : {}),
    ...(d.expiry_date ? { expiryDate: d.expiry_date } : {}),
    ...(d.token_status ? { tokenStatus: d.token_status } : {}),
  };
}

/** What the hosted page posts back to return_url (§3.1), all form fields, hence all strings. */
export const tokenizationReturnSchema = z.object({
  service_command: z.literal('TOKENIZATION').optional(),
  merchant_reference: z.string().min(1),
  response_code: z.string().regex(/^[0-9]{5}$/),
  response_message: z.string().default(''),
  status: z.string().regex(/^[0-9]{2}$/),
});

export const tokenizationSuccessSchema = z.object({
  token_name: z.string().min(1),
  // Masked: up to first 6, mask characters, last 4 (DESIGN "Card data").
  card_number: z.string().regex(/^[0-9]{0,6}[*Xx]+[0-9]{4}$/),
  expiry_date: z.string().regex(/^[0-9]{2}(0[1-9]|1[0-2])$/),
  payment_option: z.string().min(1),
  card_holder_name: z.string().optional(),
  remember_me: z.string().optional(),
});
