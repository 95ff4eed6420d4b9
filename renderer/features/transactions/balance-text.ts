import type { OutputOf } from '../../../shared/contract';
import { fmtDateTime, fmtMoney } from '../../lib/format';

type Detail = OutputOf<'payments.get'>;
export type Balance = Detail['balance'];

export interface AmountRow {
  label: string;
  amount: number;
  testId: string;
  /** The figure the clerk acts on: shown in the highlighted box. */
  strong?: boolean;
  note?: string;
}

/**
 * The summary's figures after Order total / Authorized / Captured / Refunded: what is left, from
 * the core's one balance (so the summary, the forms and the queue never disagree), and nothing
 * "left" once it was voided or lapsed.
 */
export function remainingRows(d: Detail): AmountRow[] {
  const { payment: p, balance: b } = d;
  const c = p.currency;
  const rows: AmountRow[] = [];
  const rest = (label: string): AmountRow => ({ label, amount: b.uncaptured, testId: 'amt-uncaptured', strong: true });
  switch (b.fate) {
    case 'capturable':
    case 'lapses':
      rows.push(rest('Still authorized'));
      break;
    case 'lapsed':
      rows.push(rest('Lapsed, never captured'));
      break;
    case 'void_queued':
      rows.push(rest('To be released (void queued)'));
      break;
    case 'voided':
      rows.push(rest('Released by the void'));
      break;
    case 'none':
      break;
  }
  const showRefundable = p.status !== 'declined' && p.status !== 'pending' && (b.fate === 'none' || p.captured + b.queuedCapture > 0);
  if (showRefundable) {
    rows.push({
      label: 'Refundable',
      amount: b.refundable,
      testId: 'amt-refundable',
      strong: rows.length === 0,
      ...(b.queuedRefund > 0 ? { note: `after ${fmtMoney(b.queuedRefund, c)} of refunds queued` } : {}),
    });
  }
  return rows;
}

export interface RestNote {
  tone: 'info' | 'warning' | 'danger' | 'queued';
  text: string;
}

/** One plain sentence: what happens to the uncaptured rest, and what is still possible. */
export function restNote(b: Balance, currency: string): RestNote | null {
  const amount = fmtMoney(b.uncaptured, currency);
  const until = fmtDateTime(b.until);
  switch (b.fate) {
    case 'capturable':
      return b.canVoid
        ? { tone: 'info', text: `${amount} authorized, nothing captured yet: capture it (all or part) before ${until}, or void it to release it now. If neither, it lapses then.` }
        : { tone: 'info', text: `${amount} still authorized: capture it before ${until}, or it lapses then. It can no longer be voided, because money was captured.` }
    case 'lapses':
      return { tone: 'warning', text: `${amount} still authorized will not be captured: no capture is possible after a refund, and no void after a capture. The bank releases it when the authorization lapses, ${until}.` };
    case 'lapsed':
      return { tone: 'danger', text: `${amount} was never captured: the authorization lapsed on ${until} and the bank released it.` };
    case 'void_queued':
      return { tone: 'queued', text: `A void is queued: ${amount} goes back to the customer's card when it reaches the gateway.` };
    case 'voided':
      return { tone: 'info', text: `The authorization was voided: ${amount} went back to the customer's card. Nothing is left to capture.` };
    case 'none':
      return null;
  }
}

/** The title of a finished action: what happened and to how much (never "Done."). */
export function doneTitle(action: 'capture' | 'void' | 'refund', amount: number | null, after: Detail): string {
  const c = after.payment.currency;
  const b = after.balance;
  switch (action) {
    case 'capture': {
      const captured = `Captured ${fmtMoney(amount ?? 0, c)}`;
      return b.fate === 'capturable' ? `${captured}; ${fmtMoney(b.uncaptured, c)} still authorized` : `${captured}; nothing left to capture`;
    }
    case 'void':
      return `Authorization voided: ${fmtMoney(b.uncaptured, c)} released to the customer's card`;
    case 'refund':
      return `Refunded ${fmtMoney(amount ?? 0, c)}; ${b.refundable > 0 ? `${fmtMoney(b.refundable, c)} can still be refunded` : 'nothing more to refund'}`;
  }
}
