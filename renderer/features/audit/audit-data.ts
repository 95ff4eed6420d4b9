import type { InputOf, OutputOf } from '../../../shared/contract';
import { csvCell } from '../../lib/csv';
import { isCurrencyCode } from '../../../shared/money';
import { fmtMoney } from '../../lib/format';
import { operationType } from '../../lib/operation-labels';
import { i18next } from '../../i18n';

// Pure helpers of the audit screen: words for actions, the filters as the core wants them, CSV.

export type AuditEntry = OutputOf<'audit.list'>[number];
export type AuditVerdict = OutputOf<'audit.verify'>;

export interface AuditFilter {
  action: string;
  userId: string;
  outcome: '' | 'success' | 'failure';
  text: string;
}

export const NO_FILTER: AuditFilter = { action: '', userId: '', outcome: '', text: '' };

export function isFiltered(f: AuditFilter): boolean {
  return Boolean(f.action || f.userId || f.outcome || f.text.trim());
}

/** The audit.list input for a filter (empty fields left out). */
export function listInput(f: AuditFilter, limit: number, beforeSeq?: number): InputOf<'audit.list'> {
  const text = f.text.trim();
  return {
    limit,
    ...(beforeSeq !== undefined ? { beforeSeq } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.userId ? { userId: f.userId } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(text ? { text } : {}),
  };
}

/**
 * What the core records, grouped for the action filter: each action with its catalogue key
 * ('audit', action.<key>); the groups' names are under group.<key>.
 */
export const ACTION_GROUPS: { key: string; actions: [action: string, key: string][] }[] = [
  {
    key: 'sessions',
    actions: [
      ['session.setup', 'sessionSetup'],
      ['session.login', 'sessionLogin'],
      ['session.logout', 'sessionLogout'],
      ['session.lock', 'sessionLock'],
      ['session.unlock', 'sessionUnlock'],
    ],
  },
  {
    key: 'payments',
    actions: [
      ['payments.purchase', 'paymentsPurchase'],
      ['payments.authorize', 'paymentsAuthorize'],
      ['payments.capture', 'paymentsCapture'],
      ['payments.void', 'paymentsVoid'],
      ['payments.refund', 'paymentsRefund'],
      ['payments.cash_sale', 'paymentsCashSale'],
      ['payments.cash_refund', 'paymentsCashRefund'],
      ['payments.check_status', 'paymentsCheckStatusQueued'],
      ['payments.checkStatus', 'paymentsCheckStatus'],
      ['payments.hostedReturn', 'paymentsHostedReturn'],
    ],
  },
  {
    key: 'approvals',
    actions: [
      ['approval.granted', 'approvalGranted'],
      ['approval.refused', 'approvalRefused'],
    ],
  },
  {
    key: 'people',
    actions: [
      ['user.create', 'userCreate'],
      ['user.update', 'userUpdate'],
      ['user.lockout', 'userLockout'],
      ['user.pin.change', 'userPinChange'],
      ['settings.update', 'settingsUpdate'],
      ['customer.create', 'customerCreate'],
      ['customer.update', 'customerUpdate'],
    ],
  },
  {
    key: 'records',
    actions: [
      ['reports.closeDay', 'reportsCloseDay'],
      ['audit.verify', 'auditVerify'],
    ],
  },
  {
    key: 'gateway',
    actions: [
      ['gateway.offline', 'gatewayOffline'],
      ['gateway.online', 'gatewayOnline'],
      ['sync.needs_attention', 'syncNeedsAttention'],
      ['sync.retry', 'syncRetry'],
      ['sync.dismiss', 'syncDismiss'],
    ],
  },
  {
    key: 'confirmations',
    actions: [
      ['confirmations.start', 'confirmationsStart'],
      ['confirmations.outcome', 'confirmationsOutcome'],
      ['confirmations.charge', 'confirmationsCharge'],
    ],
  },
  {
    key: 'recurring',
    actions: [
      ['recurring.create', 'recurringCreate'],
      ['recurring.update', 'recurringUpdate'],
      ['recurring.pause', 'recurringPause'],
      ['recurring.resume', 'recurringResume'],
      ['recurring.cancel', 'recurringCancel'],
      ['recurring.complete', 'recurringComplete'],
      ['recurring.charge', 'recurringCharge'],
      ['recurring.runPeriod', 'recurringRunPeriod'],
      ['recurring.skipPeriod', 'recurringSkipPeriod'],
      ['cards.deactivate', 'cardsDeactivate'],
      ['cards.updateExpiry', 'cardsUpdateExpiry'],
    ],
  },
];

const ACTION_KEYS = new Map(ACTION_GROUPS.flatMap((g) => g.actions));

/** A group of the action filter, in the user's language. */
export function groupLabel(key: string): string {
  return i18next.t(`audit:group.${key}`);
}

/** "Sign-in" for session.login; an unknown action shows as it was recorded. */
export function actionLabel(action: string): string {
  const key = ACTION_KEYS.get(action);
  return key ? i18next.t(`audit:action.${key}`) : action;
}

/** Operation words the core writes at the start of a detail ("purchase 4250 USD …"). */
const DETAIL_WORDS = new Set(['purchase', 'authorize', 'capture', 'void', 'refund', 'cash_sale', 'cash_refund', 'check_status']);

/**
 * A detail as a person reads it: amounts the core recorded in minor units ("4250 USD") formatted
 * with their currency ("USD 42.50"), and a leading operation word in plain words (the same words
 * as everywhere: operation-labels). The record itself (and the CSV export) keeps what was written:
 * the log is hash-chained and never rewritten.
 */
export function detailText(detail: string): string {
  const amounts = detail.replace(/(?<![\d.,])(\d{1,13}) ([A-Z]{3})\b/g, (all, n: string, code: string) => (isCurrencyCode(code) ? fmtMoney(Number(n), code) : all));
  return amounts.replace(/^([a-z_]+)(?= )/, (w) => (DETAIL_WORDS.has(w) ? operationType(w) : w));
}

export function outcomeLabel(outcome: AuditEntry['outcome']): string {
  return outcome === 'success' ? i18next.t('audit:outcome.success') : i18next.t('audit:outcome.failure');
}

export { csvCell };

export const CSV_COLUMNS = ['seq', 'time_utc', 'user', 'user_id', 'action', 'action_label', 'target', 'outcome', 'station', 'detail', 'hash'] as const;

/** The header row in the user's language (catalogue 'audit', csv.<column>). */
export function csvHeader(): string[] {
  return CSV_COLUMNS.map((c) => csvCell(i18next.t(`audit:csv.${c}`)));
}

/**
 * One row per entry, as recorded (times in UTC, the action's code, the outcome's code); the header
 * and the action_label column in the user's language. CRLF line ends (RFC 4180).
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [csvHeader().join(',')];
  for (const e of entries) {
    lines.push(
      [e.seq, e.at, e.userName, e.userId, e.action, actionLabel(e.action), e.target, e.outcome, e.station, e.detail, e.hash].map(csvCell).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function csvFileName(station: string, now: Date, filtered: boolean): string {
  // Letters of any script (an Arabic station name stays readable); nothing a file system refuses.
  const safe = station.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || i18next.t('audit:csv.stationFallback');
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return filtered ? i18next.t('audit:csv.fileNameFiltered', { station: safe, day }) : i18next.t('audit:csv.fileName', { station: safe, day });
}

export type DisplayRow = { kind: 'entry'; entry: AuditEntry } | { kind: 'missing'; seq: number };

/**
 * The rows to show: the entries, plus a marker where the verdict says an entry is missing and the
 * loaded (unfiltered) entries straddle it, so the screen can point at the gap.
 */
export function displayRows(entries: readonly AuditEntry[], missingSeq: number | null): DisplayRow[] {
  const rows: DisplayRow[] = [];
  let placed = missingSeq === null || entries.some((e) => e.seq === missingSeq);
  for (const [i, e] of entries.entries()) {
    const newer = i > 0 ? entries[i - 1]! : null;
    if (!placed && missingSeq !== null && e.seq < missingSeq && newer !== null && newer.seq > missingSeq) {
      rows.push({ kind: 'missing', seq: missingSeq });
      placed = true;
    }
    rows.push({ kind: 'entry', entry: e });
  }
  return rows;
}
