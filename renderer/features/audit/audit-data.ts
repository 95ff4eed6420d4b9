import type { InputOf, OutputOf } from '../../../shared/contract';

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
];

const LABELS = new Map(ACTION_GROUPS.flatMap((g) => g.actions));

/** "Sign-in" for session.login; an unknown action shows as it was recorded. */
export function actionLabel(action: string): string {
  return LABELS.get(action) ?? action;
}

export function outcomeLabel(outcome: AuditEntry['outcome']): string {
  return outcome === 'success' ? 'Succeeded' : 'Failed';
}

/** A CSV text cell: a leading = + - @ (or tab / CR) is defused with ' so a spreadsheet never runs it; quoted when needed. */
export function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

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
