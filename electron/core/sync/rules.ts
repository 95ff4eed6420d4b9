import type { Settings } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';
import { allowedAction, checkAmount, type ActionVerdict, type PaymentTotals } from '../../../shared/domain/payment-state';
import { fmtMinor } from './format';
import { usableCard } from '../cards';
import type { Db } from '../db/database';
import type { OperationRow } from '../payments';
import type { PaymentRow } from '../payments';

/**
 * The forwarder's re-check of a queued operation against the latest totals, and the reason plus
 * next step shown in "needs attention" when it can no longer be done. Pure except for the card
 * lookup; the rules themselves are shared/domain/payment-state's.
 */
export type Recheck = { ok: true } | { ok: false; message: string };

const HOUR_MS = 3600 * 1000;

export function recheck(db: Db, op: OperationRow, p: PaymentRow, totals: PaymentTotals, now: Date, settings: Settings): Recheck {
  switch (op.type) {
    case 'capture':
      return verdict(op, p, totals, checkAmount('capture', op.amount ?? 0, totals, now));
    case 'refund':
      return verdict(op, p, totals, checkAmount('refund', op.amount ?? 0, totals, now));
    case 'void':
      return verdict(op, p, totals, allowedAction('void', totals, now));
    case 'authorize':
    case 'purchase': {
      if (p.declined === 1 || p.voided === 1) return { ok: false, message: 'The payment was closed meanwhile: dismiss this charge.' };
      if (p.card_id) {
        try {
          usableCard(db, p.card_id, now);
        } catch (e) {
          const why = e instanceof ContractError ? e.message : 'The card on file cannot be used.';
          return { ok: false, message: `${why} Ask the customer for another card, then dismiss this charge.` };
        }
      }
      // A supervisor's retry (approved_by) overrides the age limit: they checked with the customer.
      const ageMs = now.getTime() - Date.parse(op.created_at);
      if (!op.approved_by && ageMs > settings.offlineCharges.maxAgeHours * HOUR_MS) {
        return { ok: false, message: `Waited longer than the ${settings.offlineCharges.maxAgeHours}-hour offline limit: confirm with the customer, then retry to send it or dismiss it.` };
      }
      return { ok: true };
    }
    default:
      return { ok: false, message: `A ${op.type} is never forwarded: dismiss it.` };
  }
}

function verdict(op: OperationRow, p: PaymentRow, t: PaymentTotals, v: ActionVerdict): Recheck {
  if (v.allowed) return { ok: true };
  return { ok: false, message: nextStep(op, p, t, v.code, v.reason) };
}

/** Reason + next step for a rule that no longer holds. */
export function nextStep(op: Pick<OperationRow, 'type'>, p: Pick<PaymentRow, 'currency'>, t: PaymentTotals, code: string, reason: string): string {
  switch (code) {
    case 'AUTHORIZATION_EXPIRED':
      return op.type === 'void'
        ? 'Authorization expired: the bank has released the funds, nothing is left to void. Dismiss it.'
        : 'Authorization expired: take a new payment.';
    case 'AMOUNT_EXCEEDS_CAPTURED': {
      const rest = Math.max(t.captured - t.refunded, 0);
      return `Refund now above what remains captured (${fmtMinor(rest, p.currency)} left): dismiss it, or refund at most what remains.`;
    }
    case 'AMOUNT_EXCEEDS_AUTHORIZED': {
      const rest = Math.max(t.authorized - t.captured, 0);
      return `Capture now above what remains authorized (${fmtMinor(rest, p.currency)} left): dismiss it, or capture what remains.`;
    }
    case 'VOID_NOT_ALLOWED':
      return 'Money was captured meanwhile, so it cannot be voided: dismiss it and refund instead.';
    default:
      return `${reason} Dismiss it, or retry once the payment allows it.`;
  }
}

/** Reason + next step when the gateway refused a forwarded operation (never resent blindly). */
export function declinedNextStep(op: Pick<OperationRow, 'type'>, responseCode: string | null, message: string): string {
  const code = responseCode ?? '';
  const tail = code.slice(2);
  const said = `${code ? `${code} ` : ''}${message}`.trim();
  if (tail === '773') {
    return op.type === 'void'
      ? `Authorization expired (${said}): the bank has released the funds. Dismiss it.`
      : `Authorization expired (${said}): take a new payment.`;
  }
  if (tail === '044') return `The card on file is inactive at the gateway (${said}): ask the customer for another card, then dismiss.`;
  if (op.type === 'authorize' || op.type === 'purchase') return `Declined by the bank (${said}): ask the customer for another card or cash, then dismiss.`;
  if (tail === '048') return `Refund above what the gateway shows as captured (${said}): check status, then dismiss or refund less.`;
  if (tail === '042') return `Capture above what the gateway shows as authorized (${said}): check status, then dismiss or capture less.`;
  return `Refused by the gateway (${said}): check the payment, then retry or dismiss.`;
}
