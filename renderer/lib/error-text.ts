import type { ErrorCode } from '../../shared/contract';
import { asApiError } from './api';

/** One plain sentence per stable error code; what a clerk reads on screen. */
const TEXT: Record<ErrorCode, string> = {
  VALIDATION: 'Some details need correcting.',
  UNAUTHENTICATED: 'You are signed out. Sign in again to continue.',
  FORBIDDEN: 'Your role is not allowed to do this. Ask a supervisor.',
  SESSION_LOCKED: 'The screen is locked. Enter your PIN to continue.',
  ACCOUNT_LOCKED: 'This account is locked after too many wrong PINs. Try again in 30 minutes or ask an admin.',
  BAD_CREDENTIALS: 'That PIN is not right. Try again.',
  SETUP_REQUIRED: 'This station is not set up yet.',
  NOT_FOUND: 'It could not be found. It may have been removed.',
  CONFLICT: 'Someone changed this at the same time. Reload and try again.',
  DECLINED: 'The bank declined it.',
  GATEWAY_UNREACHABLE: 'The payment gateway cannot be reached. Nothing was charged; try again when online.',
  OUTCOME_UNKNOWN: 'The bank did not answer in time. The outcome is being checked.',
  AMOUNT_EXCEEDS_AUTHORIZED: 'That is more than what remains authorized.',
  AMOUNT_EXCEEDS_CAPTURED: 'That is more than what remains to refund.',
  VOID_NOT_ALLOWED: 'This payment can no longer be voided: money was captured. Refund it instead.',
  AUTHORIZATION_EXPIRED: 'The authorization expired; the bank has released the funds.',
  NOT_ALLOWED: 'That is not possible for this payment.',
  CARD_INACTIVE: 'That card on file was deactivated. Choose another card.',
  CARD_EXPIRED: 'That card has expired. Take a new card.',
  APPROVAL_REQUIRED: 'A supervisor has to approve this with their PIN.',
  APPROVAL_INVALID: 'The supervisor\u2019s approval was not accepted (wrong supervisor or PIN).',
  OFFLINE_NEW_CARD: 'A new card cannot be taken while offline. Use a card on file, cash, or keep the order awaiting payment.',
  OFFLINE_LIMIT: 'Offline charges are over the limit the admin set. Wait until the station is online.',
  BAD_SENDER: 'This window is not allowed to call the payment core.',
  INTERNAL: 'Something went wrong on this station. Try again; if it repeats, call support.',
  SHOP_SERVER_UNREACHABLE: 'The shop server cannot be reached; this desk keeps taking payments on its own.',
};

export function errorText(code: ErrorCode): string {
  return TEXT[code] ?? TEXT.INTERNAL;
}

/** A sentence for any thrown value: the code's text, plus the core's detail when it adds something. */
export function describeError(e: unknown): string {
  const err = asApiError(e);
  const base = errorText(err.code);
  if (err.code === 'DECLINED' || err.code === 'NOT_ALLOWED' || err.code === 'CONFLICT' || err.code === 'SHOP_SERVER_UNREACHABLE') {
    return err.message && err.message !== base ? `${base} ${err.message}` : base;
  }
  if (err.code === 'VALIDATION' && Object.keys(err.fields).length === 0 && err.message) return `${base} ${err.message}`;
  return base;
}

/** Field-level problems of a VALIDATION error, keyed by the input path ("lines.0.description"). */
export function fieldErrors(e: unknown): Record<string, string> {
  const err = asApiError(e);
  return err.code === 'VALIDATION' ? err.fields : {};
}
