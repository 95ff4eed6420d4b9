import type { InputOf, OutputOf } from '../../../shared/contract';
import { csvCell } from '../../lib/csv';
import { isCurrencyCode } from '../../../shared/money';
import { fmtMoney } from '../../lib/format';

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

/** What the core records, in words, grouped for the action filter. */
export const ACTION_GROUPS: { label: string; actions: [string, string][] }[] = [
  {
    label: 'Sessions',
    actions: [
      ['session.setup', 'Station set up'],
      ['session.login', 'Sign-in'],
      ['session.logout', 'Sign-out'],
      ['session.lock', 'Screen locked'],
      ['session.unlock', 'Screen unlocked'],
    ],
  },
  {
    label: 'Payments',
    actions: [
      ['payments.purchase', 'Card sale'],
      ['payments.authorize', 'Authorization'],
      ['payments.capture', 'Capture'],
      ['payments.void', 'Void'],
      ['payments.refund', 'Refund'],
      ['payments.cash_sale', 'Cash sale'],
      ['payments.cash_refund', 'Cash refund'],
      ['payments.check_status', 'Status check (queued)'],
      ['payments.checkStatus', 'Status check'],
      ['payments.hostedReturn', 'Card entry (gateway page)'],
    ],
  },
  {
    label: 'Approvals',
    actions: [
      ['approval.granted', 'Approval granted'],
      ['approval.refused', 'Approval refused'],
    ],
  },
  {
    label: 'People and settings',
    actions: [
      ['user.create', 'User added'],
      ['user.update', 'User changed'],
      ['user.lockout', 'Account locked out'],
      ['user.pin.change', 'Own PIN changed'],
      ['settings.update', 'Settings changed'],
      ['customer.create', 'Customer added'],
      ['customer.update', 'Customer changed'],
    ],
  },
  {
    label: 'Records',
    actions: [
      ['reports.closeDay', 'Day closed'],
      ['audit.verify', 'Audit log verified'],
    ],
  },
  {
    label: 'Gateway and offline queue',
    actions: [
      ['gateway.offline', 'Gateway unreachable'],
      ['gateway.online', 'Gateway reachable again'],
      ['sync.needs_attention', 'Queued operation needs attention'],
      ['sync.retry', 'Queued operation retried'],
      ['sync.dismiss', 'Queued operation dismissed'],
    ],
  },
  {
    label: 'Email confirmation',
    actions: [
      ['confirmations.start', 'Confirmation email sent'],
      ['confirmations.outcome', 'Customer answered the email'],
      ['confirmations.charge', 'Charge after email confirmation'],
    ],
  },
  {
    label: 'Recurring and cards on file',
    actions: [
      ['recurring.create', 'Recurring schedule created'],
      ['recurring.update', 'Recurring schedule changed'],
      ['recurring.pause', 'Recurring schedule paused'],
      ['recurring.resume', 'Recurring schedule resumed'],
      ['recurring.cancel', 'Recurring schedule cancelled'],
      ['recurring.complete', 'Recurring schedule completed'],
      ['recurring.charge', 'Recurring charge'],
      ['recurring.runPeriod', 'Recurring charge run by hand'],
      ['recurring.skipPeriod', 'Recurring period skipped'],
      ['cards.deactivate', 'Card on file removed'],
      ['cards.updateExpiry', 'Card expiry updated'],
    ],
  },
];

const LABELS = new Map(ACTION_GROUPS.flatMap((g) => g.actions));

/** "Sign-in" for session.login; an unknown action shows as it was recorded. */
export function actionLabel(action: string): string {
  return LABELS.get(action) ?? action;
}

/** Operation words the core writes at the start of a detail ("purchase 4250 USD …"), as the screen says them. */
const DETAIL_WORDS: Readonly<Record<string, string>> = {
  purchase: 'Sale',
  authorize: 'Authorization',
  capture: 'Capture',
  void: 'Void',
  refund: 'Refund',
  cash_sale: 'Cash sale',
  cash_refund: 'Cash refund',
  check_status: 'Status check',
};

/**
 * A detail as a person reads it: amounts the core recorded in minor units ("4250 USD") formatted
 * with their currency ("USD 42.50"), and a leading operation word in plain words. The record itself
 * (and the CSV export) keeps what was written: the log is hash-chained and never rewritten.
 */
export function detailText(detail: string): string {
  const amounts = detail.replace(/(?<![\d.,])(\d{1,13}) ([A-Z]{3})\b/g, (all, n: string, code: string) => (isCurrencyCode(code) ? fmtMoney(Number(n), code) : all));
  return amounts.replace(/^([a-z_]+)(?= )/, (w) => DETAIL_WORDS[w] ?? w);
}

export function outcomeLabel(outcome: AuditEntry['outcome']): string {
  return outcome === 'success' ? 'Succeeded' : 'Failed';
}

export { csvCell };

export const CSV_HEADER = ['seq', 'time_utc', 'user', 'user_id', 'action', 'action_label', 'target', 'outcome', 'station', 'detail', 'hash'] as const;

/** One row per entry, as recorded (times in UTC); CRLF line ends (RFC 4180). */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) {
    lines.push(
      [e.seq, e.at, e.userName, e.userId, e.action, actionLabel(e.action), e.target, e.outcome, e.station, e.detail, e.hash].map(csvCell).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function csvFileName(station: string, now: Date, filtered: boolean): string {
  const safe = station.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'station';
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `audit-log-${safe}-${day}${filtered ? '-filtered' : ''}.csv`;
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
