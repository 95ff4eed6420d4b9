import type { OutputOf } from '../../../shared/contract';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { i18next } from '../../i18n';

const t = (key: string, values?: Record<string, unknown>): string => i18next.t(key, values);

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
      rows.push(rest(t('transactions:balance.stillAuthorized')));
      break;
    case 'lapsed':
      rows.push(rest(t('transactions:balance.lapsed')));
      break;
    case 'void_queued':
      rows.push(rest(t('transactions:balance.voidQueued')));
      break;
    case 'voided':
      rows.push(rest(t('transactions:balance.voided')));
      break;
    case 'none':
      break;
  }
  const showRefundable = p.status !== 'declined' && p.status !== 'pending' && (b.fate === 'none' || p.captured + b.queuedCapture > 0);
  if (showRefundable) {
    rows.push({
      label: t('transactions:balance.refundable'),
      amount: b.refundable,
      testId: 'amt-refundable',
      strong: rows.length === 0,
      ...(b.queuedRefund > 0 ? { note: t('transactions:balance.refundQueuedNote', { amount: fmtMoney(b.queuedRefund, c) }) } : {}),
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
        ? { tone: 'info', text: t('transactions:rest.capturableVoidable', { amount, until }) }
        : { tone: 'info', text: t('transactions:rest.capturable', { amount, until }) };
    case 'lapses':
      return { tone: 'warning', text: t('transactions:rest.lapses', { amount, until }) };
    case 'lapsed':
      return { tone: 'danger', text: t('transactions:rest.lapsed', { amount, until }) };
    case 'void_queued':
      return { tone: 'queued', text: t('transactions:rest.voidQueued', { amount }) };
    case 'voided':
      return { tone: 'info', text: t('transactions:rest.voided', { amount }) };
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
      const captured = fmtMoney(amount ?? 0, c);
      return b.fate === 'capturable' ? t('transactions:done.captureSome', { amount: captured, rest: fmtMoney(b.uncaptured, c) }) : t('transactions:done.captureAll', { amount: captured });
    }
    case 'void':
      return t('transactions:done.void', { amount: fmtMoney(b.uncaptured, c) });
    case 'refund':
      return b.refundable > 0
        ? t('transactions:done.refundSome', { amount: fmtMoney(amount ?? 0, c), rest: fmtMoney(b.refundable, c) })
        : t('transactions:done.refundAll', { amount: fmtMoney(amount ?? 0, c) });
  }
}
