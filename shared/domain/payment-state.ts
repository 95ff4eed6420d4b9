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

export const AUTHORIZATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
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

export type ActionVerdict = { allowed: true; max?: number } | { allowed: false; code: ActionRefusal; reason: string };

export type ActionRefusal =
  | 'AUTHORIZATION_EXPIRED'
  | 'AMOUNT_EXCEEDS_AUTHORIZED'
  | 'AMOUNT_EXCEEDS_CAPTURED'
  | 'VOID_NOT_ALLOWED'
  | 'NOT_ALLOWED';

function isExpired(t: PaymentTotals, now: Date): boolean {
  return t.expiresAt !== null && now.getTime() >= Date.parse(t.expiresAt);
}

/** What may be done to a payment now, and the most it may move. */
export function allowedAction(action: ActionName, t: PaymentTotals, now: Date): ActionVerdict {
  if (action === 'checkStatus') {
    return t.method === 'card' ? { allowed: true } : { allowed: false, code: 'NOT_ALLOWED', reason: 'Cash payments have no gateway status.' };
  }
  if (t.unknown) return { allowed: false, code: 'NOT_ALLOWED', reason: 'The outcome is not known yet: check status first.' };
  if (t.declined) return { allowed: false, code: 'NOT_ALLOWED', reason: 'The payment was declined.' };
  if (t.voided) return { allowed: false, code: 'NOT_ALLOWED', reason: 'The authorization was voided.' };
  switch (action) {
    case 'capture': {
      if (t.method === 'cash') return { allowed: false, code: 'NOT_ALLOWED', reason: 'Cash is taken in full at the counter.' };
      const rest = t.authorized - t.captured;
      if (rest <= 0) return { allowed: false, code: 'AMOUNT_EXCEEDS_AUTHORIZED', reason: 'Everything authorized has been captured.' };
      if (isExpired(t, now)) return { allowed: false, code: 'AUTHORIZATION_EXPIRED', reason: 'The authorization expired (7 days); the bank has released the funds.' };
      if (t.refunded > 0) return { allowed: false, code: 'NOT_ALLOWED', reason: 'A refund was made; no further capture.' };
      return { allowed: true, max: rest };
    }
    case 'void': {
      if (t.method === 'cash') return { allowed: false, code: 'NOT_ALLOWED', reason: 'Cash is refunded, not voided.' };
      if (t.captured > 0) return { allowed: false, code: 'VOID_NOT_ALLOWED', reason: 'Money was captured: refund it instead.' };
      if (isExpired(t, now)) return { allowed: false, code: 'AUTHORIZATION_EXPIRED', reason: 'The authorization already expired.' };
      return { allowed: true, max: t.authorized };
    }
    case 'refund': {
      const rest = t.captured - t.refunded;
      if (t.captured === 0) {
        const reason = isExpired(t, now)
          ? 'Nothing was captured and the authorization expired: the bank has released the funds.'
          : 'Nothing was captured: void the authorization instead.';
        return { allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED', reason };
      }
      if (rest <= 0) return { allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED', reason: 'Everything captured has been refunded.' };
      return { allowed: true, max: rest };
    }
  }
}

/** The amount check, with the same codes the gateway's rules map to. */
export function checkAmount(action: 'capture' | 'refund', amount: number, t: PaymentTotals, now: Date): ActionVerdict {
  const verdict = allowedAction(action, t, now);
  if (!verdict.allowed) return verdict;
  if (!Number.isSafeInteger(amount) || amount <= 0) return { allowed: false, code: 'NOT_ALLOWED', reason: 'The amount must be more than zero.' };
  if (verdict.max !== undefined && amount > verdict.max) {
    return action === 'capture'
      ? { allowed: false, code: 'AMOUNT_EXCEEDS_AUTHORIZED', reason: 'The amount is more than what remains authorized.' }
      : { allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED', reason: 'The amount is more than what remains to refund.' };
  }
  return verdict;
}
