import type { Settings } from '../../../shared/contract';
import { ContractError, coreText, englishText, nested, type CoreText } from '../../../shared/contract';
import { allowedAction, checkAmount, type ActionVerdict, type PaymentTotals } from '../../../shared/domain/payment-state';
import { usableCard } from '../cards';
import type { Db } from '../db/database';
import type { OperationRow } from '../payments';
import type { PaymentRow } from '../payments';

/**
 * The forwarder's re-check of a queued operation against the latest totals, and the reason plus
 * next step shown in "needs attention" when it can no longer be done. Pure except for the card
 * lookup; the rules themselves are shared/domain/payment-state's.
 */
export type Recheck = { ok: true } | { ok: false; message: string; text: CoreText };

function no(text: CoreText): Recheck {
  return { ok: false, message: englishText(text), text };
}

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
      if (p.declined === 1 || p.voided === 1) return no(coreText('attention.closedMeanwhile'));
      if (p.card_id) {
        try {
          usableCard(db, p.card_id, now);
        } catch (e) {
          if (e instanceof ContractError && e.text) return no(coreText('attention.cardUnusable', { why: nested(e.text) }));
          return no(coreText('attention.cardUnusable', { why: e instanceof ContractError ? e.message : 'The card on file cannot be used.' }));
        }
      }
      // A supervisor's retry (approved_by) overrides the age limit: they checked with the customer.
      const ageMs = now.getTime() - Date.parse(op.created_at);
      if (!op.approved_by && ageMs > settings.offlineCharges.maxAgeHours * HOUR_MS) {
        return no(coreText('attention.offlineTooOld', { hours: settings.offlineCharges.maxAgeHours }));
      }
      return { ok: true };
    }
    default:
      return no(coreText('attention.neverForwarded'));
  }
}

function verdict(op: OperationRow, p: PaymentRow, t: PaymentTotals, v: ActionVerdict): Recheck {
  if (v.allowed) return { ok: true };
  return no(nextStepText(op, p, t, v.code, v.text ?? null, v.reason));
}

/** Reason + next step for a rule that no longer holds. */
export function nextStepText(op: Pick<OperationRow, 'type'>, p: Pick<PaymentRow, 'currency'>, t: PaymentTotals, code: string, rule: CoreText | null, reason: string): CoreText {
  switch (code) {
    case 'AUTHORIZATION_EXPIRED':
      return coreText(op.type === 'void' ? 'attention.voidExpired' : 'attention.authExpired');
    case 'AMOUNT_EXCEEDS_CAPTURED':
      return coreText('attention.refundAboveCaptured', { rest: { amount: Math.max(t.captured - t.refunded, 0), currency: p.currency } });
    case 'AMOUNT_EXCEEDS_AUTHORIZED':
      return coreText('attention.captureAboveAuthorized', { rest: { amount: Math.max(t.authorized - t.captured, 0), currency: p.currency } });
    case 'VOID_NOT_ALLOWED':
      return coreText('attention.capturedNoVoid');
    default:
      return coreText('attention.ruleNoLonger', { rule: rule ? nested(rule) : reason });
  }
}

/** nextStepText in English. */
export function nextStep(op: Pick<OperationRow, 'type'>, p: Pick<PaymentRow, 'currency'>, t: PaymentTotals, code: string, reason: string): string {
  return englishText(nextStepText(op, p, t, code, null, reason));
}

/** Reason + next step when the gateway refused a forwarded operation (never resent blindly). */
export function declinedNextStepText(op: Pick<OperationRow, 'type'>, responseCode: string | null, message: string): CoreText {
  const bank = { responseCode: responseCode ? responseCode.slice(0, 10) : null, message: message.slice(0, 400) };
  const tail = (responseCode ?? '').slice(2);
  if (tail === '773') return coreText(op.type === 'void' ? 'attention.voidExpiredBank' : 'attention.authExpiredBank', { bank });
  if (tail === '044') return coreText('attention.cardInactive', { bank });
  if (op.type === 'authorize' || op.type === 'purchase') return coreText('attention.chargeDeclined', { bank });
  if (tail === '048') return coreText('attention.refundAboveGateway', { bank });
  if (tail === '042') return coreText('attention.captureAboveGateway', { bank });
  return coreText('attention.refused', { bank });
}

/** declinedNextStepText in English (logs, the stored message). */
export function declinedNextStep(op: Pick<OperationRow, 'type'>, responseCode: string | null, message: string): string {
  return englishText(declinedNextStepText(op, responseCode, message));
}
