import { AUTHORIZATION_DAYS } from '../contract/limits';
import { coreText, englishText, type CoreMessageKey, type CoreParams, type CoreText } from '../contract/messages';

/**
 * The payment state machine of DESIGN.md, the one place its rules live. Both the core (before it
 * sends anything) and the screen (which actions it offers, and why not) read it.
 */
export type PaymentStatus =
  | 'pending'
  | 'authorized'
  | 'partially_captured'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'voided'
  | 'declined'
  | 'expired'
  | 'unknown';

export interface PaymentTotals {
  /** 'card' payments go through the gateway; 'cash' only through the ledger. */
  method: 'card' | 'cash';
  authorized: number;
  captured: number;
  refunded: number;
  voided: boolean;
  declined: boolean;
  /** The gateway's outcome of the first operation is not known yet. */
  unknown: boolean;
  /** ISO time the authorization lapses (7 days after it was made); null for purchases and cash. */
  expiresAt: string | null;
}

export const AUTHORIZATION_LIFETIME_MS = AUTHORIZATION_DAYS * 24 * 60 * 60 * 1000;
export const EXPIRY_WARNING_MS = 48 * 60 * 60 * 1000;

export function paymentStatus(t: PaymentTotals, now: Date): PaymentStatus {
  if (t.unknown) return 'unknown';
  if (t.declined) return 'declined';
  if (t.voided) return 'voided';
  if (t.authorized === 0) return 'pending';
  if (t.captured === 0) {
    if (t.expiresAt && now.getTime() >= Date.parse(t.expiresAt)) return 'expired';
    return 'authorized';
  }
  if (t.refunded > 0) return t.refunded >= t.captured ? 'refunded' : 'partially_refunded';
  return t.captured >= t.authorized ? 'captured' : 'partially_captured';
}

export type ActionName = 'capture' | 'void' | 'refund' | 'checkStatus';

/** A refusal carries its sentence as a key for the screen (`text`) and in English (`reason`, logs). */
export type ActionVerdict = { allowed: true; max?: number } | { allowed: false; code: ActionRefusal; reason: string; text: CoreText };

export type ActionRefusal =
  | 'AUTHORIZATION_EXPIRED'
  | 'AMOUNT_EXCEEDS_AUTHORIZED'
  | 'AMOUNT_EXCEEDS_CAPTURED'
  | 'VOID_NOT_ALLOWED'
  | 'NOT_ALLOWED';

function no(code: ActionRefusal, key: CoreMessageKey, params?: CoreParams): ActionVerdict {
  const text = coreText(key, params);
  return { allowed: false, code, reason: englishText(text), text };
}

function isExpired(t: PaymentTotals, now: Date): boolean {
  return t.expiresAt !== null && now.getTime() >= Date.parse(t.expiresAt);
}

/** What may be done to a payment now, and the most it may move. */
export function allowedAction(action: ActionName, t: PaymentTotals, now: Date): ActionVerdict {
  if (action === 'checkStatus') {
    return t.method === 'card' ? { allowed: true } : no('NOT_ALLOWED', 'rule.cashNoStatus');
  }
  if (t.unknown) return no('NOT_ALLOWED', 'rule.outcomeUnknown');
  if (t.declined) return no('NOT_ALLOWED', 'rule.declined');
  if (t.voided) return no('NOT_ALLOWED', 'rule.voided');
  switch (action) {
    case 'capture': {
      if (t.method === 'cash') return no('NOT_ALLOWED', 'rule.cashNoCapture');
      const rest = t.authorized - t.captured;
      if (rest <= 0) return no('AMOUNT_EXCEEDS_AUTHORIZED', 'rule.allCaptured');
      if (isExpired(t, now)) return no('AUTHORIZATION_EXPIRED', 'rule.expiredNoCapture', { days: AUTHORIZATION_DAYS });
      if (t.refunded > 0) return no('NOT_ALLOWED', 'rule.refundedNoCapture');
      return { allowed: true, max: rest };
    }
    case 'void': {
      if (t.method === 'cash') return no('NOT_ALLOWED', 'rule.cashNoVoid');
      if (t.captured > 0) return no('VOID_NOT_ALLOWED', 'rule.capturedNoVoid');
      if (isExpired(t, now)) return no('AUTHORIZATION_EXPIRED', 'rule.expiredNoVoid');
      return { allowed: true, max: t.authorized };
    }
    case 'refund': {
      const rest = t.captured - t.refunded;
      if (t.captured === 0) {
        return no('AMOUNT_EXCEEDS_CAPTURED', isExpired(t, now) ? 'rule.nothingCapturedExpired' : 'rule.nothingCaptured');
      }
      if (rest <= 0) return no('AMOUNT_EXCEEDS_CAPTURED', 'rule.allRefunded');
      return { allowed: true, max: rest };
    }
  }
}

/** The amount check, with the same codes the gateway's rules map to. */
export function checkAmount(action: 'capture' | 'refund', amount: number, t: PaymentTotals, now: Date): ActionVerdict {
  const verdict = allowedAction(action, t, now);
  if (!verdict.allowed) return verdict;
  if (!Number.isSafeInteger(amount) || amount <= 0) return no('NOT_ALLOWED', 'rule.amountNotPositive');
  if (verdict.max !== undefined && amount > verdict.max) {
    return action === 'capture'
      ? no('AMOUNT_EXCEEDS_AUTHORIZED', 'rule.overAuthorized')
      : no('AMOUNT_EXCEEDS_CAPTURED', 'rule.overCaptured');
  }
  return verdict;
}
