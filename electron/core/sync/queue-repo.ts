import { readText } from '../../../shared/contract/core-text-schema';
import { coreText, englishText, type CoreText } from '../../../shared/contract/messages';
import type { OutputOf } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';
import { isCardExpired } from '../cards';
import type { Db } from '../db/database';
import { toOperation, type OperationRow } from '../payments';
import { stmt } from '../ledger/sql';

export type QueuePage = OutputOf<'sync.queue'>;
export type QueueEntry = QueuePage['rows'][number];
export type QueueSection = QueuePage['section'];
export type QueueCounts = QueuePage['counts'];

/**
 * A recurring period that needs attention is listed (and counted) unless its charge is already
 * listed as an operation of the queue (an offline charge queued or held for attention): one thing,
 * one row, one count.
 */
const RECURRING_ATTENTION = `rp.state = 'needs_attention' AND NOT EXISTS (
  SELECT 1 FROM operations q WHERE q.payment_id = rp.payment_id AND q.state IN ('queued', 'needs_attention'))`;

/** Counts for sync.status and the Queue screen; exact, whatever was paged. */
export function queueCounts(db: Db): { queued: number; oldestQueuedAt: string | null; needsAttention: number; recurringAttention: number; inDoubt: number } {
  // Both operation counts use the partial index operations_waiting; the recurring one recurring_periods_state.
  const q = stmt(db, `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM operations WHERE state = 'queued'`).get() as { n: number; oldest: string | null };
  const a = stmt(db, `SELECT COUNT(*) AS n FROM operations WHERE state = 'needs_attention'`).get() as { n: number };
  const r = stmt(db, `SELECT COUNT(*) AS n FROM recurring_periods rp WHERE ${RECURRING_ATTENTION}`).get() as { n: number };
  // Bulk rows refused at send time (no operation of their own): partial index bulk_rows_attention.
  const b = stmt(db, `SELECT COUNT(*) AS n FROM bulk_rows WHERE attention = 'open'`).get() as { n: number };
  // Payments whose bank answer is not in (sent, or unknown after a timeout): partial index payments_unknown.
  const d = stmt(db, `SELECT COUNT(*) AS n FROM payments WHERE open_ops > 0`).get() as { n: number };
  return { queued: q.n, oldestQueuedAt: q.oldest, needsAttention: a.n + r.n + b.n, recurringAttention: r.n, inDoubt: d.n };
}

interface Cursor {
  at: string;
  id: string;
}

function encodeCursor(section: QueueSection, c: Cursor): string {
  return Buffer.from(`${section}|${c.at}|${c.id}`, 'utf8').toString('base64url');
}

function decodeCursor(section: QueueSection, cursor: string): Cursor {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || parts[0] !== section || !parts[1] || !parts[2]) throw new ContractError('VALIDATION', 'Invalid cursor.', { cursor: 'Invalid cursor' });
  return { at: parts[1], id: parts[2] };
}

type OpRow = OperationRow & { order_reference: string; currency: string; releases: number; rc_schedule: string | null; rc_short: string | null; rc_period: number | null };

const OP_SELECT = `SELECT o.*, ord.reference AS order_reference, p.currency AS currency, MAX(0, p.authorized - p.captured) AS releases,
    rp.schedule_id AS rc_schedule, rs.short_id AS rc_short, rp.period AS rc_period
  FROM operations o JOIN payments p ON p.id = o.payment_id JOIN orders ord ON ord.id = p.order_id
  LEFT JOIN recurring_periods rp ON rp.reference = ord.reference
  LEFT JOIN recurring_schedules rs ON rs.id = rp.schedule_id`;

function toOpEntry(r: OpRow): QueueEntry {
  return {
    kind: 'operation',
    ...toOperation(r, r.releases),
    orderReference: r.order_reference,
    currency: r.currency,
    recurring: r.rc_schedule && r.rc_short && r.rc_period !== null ? { scheduleId: r.rc_schedule, shortId: r.rc_short, period: r.rc_period } : null,
  };
}

interface PeriodRow {
  id: string;
  schedule_id: string;
  period: number;
  due_at: string;
  reference: string;
  reason: string | null;
  reason_text: string | null;
  payment_id: string | null;
  attempts: number;
  since: string;
  short_id: string;
  description: string;
  customer_name: string;
  amount: number;
  currency: string;
  card_status: string | null;
  card_expiry: string | null;
}

/** What a person does about a recurring charge that failed, in one sentence. */
export function recurringNextStepText(card: { status: string | null; expiry: string | null }, now: Date): CoreText {
  if (card.status === null) return coreText('period.cardGone');
  if (card.status !== 'active') return coreText('period.cardDeactivated');
  if (card.expiry !== null && isCardExpired(card.expiry, now)) return coreText('period.cardExpired');
  return coreText('period.askCustomer');
}

/** recurringNextStepText in English. */
export function recurringNextStep(card: { status: string | null; expiry: string | null }, now: Date): string {
  return englishText(recurringNextStepText(card, now));
}

function toRecurringEntry(r: PeriodRow, now: Date): QueueEntry {
  const next = recurringNextStepText({ status: r.card_status, expiry: r.card_expiry }, now);
  return {
    kind: 'recurring',
    id: r.id,
    scheduleId: r.schedule_id,
    shortId: r.short_id,
    description: r.description,
    customerName: r.customer_name,
    period: r.period,
    reference: r.reference,
    dueAt: r.due_at,
    since: r.since,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    reasonText: readText(r.reason_text),
    nextStep: englishText(next),
    nextStepText: next,
    paymentId: r.payment_id,
    attempts: r.attempts,
  };
}

interface BulkAttentionRow {
  run_id: string;
  seq: number;
  kind: 'capture' | 'void' | 'refund' | 'charge';
  reference: string;
  payment_id: string | null;
  order_reference: string | null;
  amount: number | null;
  currency: string | null;
  attention_reason: string | null;
  attention_at: string;
  created_by_name: string;
}

/** A bulk row's queue id: `<run id>-<row>` (a run id is an Id, the row a number after the last '-'). */
export function bulkEntryId(runId: string, seq: number): string {
  return `${runId}-${seq}`;
}

function toBulkEntry(r: BulkAttentionRow): QueueEntry {
  return {
    kind: 'bulk',
    id: bulkEntryId(r.run_id, r.seq),
    runId: r.run_id,
    seq: r.seq,
    bulkKind: r.kind,
    reference: r.reference,
    paymentId: r.payment_id,
    orderReference: r.kind === 'charge' ? r.order_reference : null,
    amount: r.amount,
    currency: r.currency,
    reason: r.attention_reason ?? '',
    runBy: r.created_by_name,
    since: r.attention_at,
  };
}

/**
 * One page of the Queue screen (keyset paging on (time, id), so page N costs what page 1 does at
 * 10,000 rows), oldest first:
 * - 'attention': operations held for a person (by when they were requested), recurring charges
 *   that failed (by when they failed) and bulk rows refused at send time (by when), merged in one order;
 * - 'queued': operations waiting to be sent (by when they were queued).
 */
export function queuePage(db: Db, input: { section: QueueSection; cursor?: string | undefined; limit: number }, now: Date): QueuePage {
  const c = input.cursor ? decodeCursor(input.section, input.cursor) : null;
  const args = { cAt: c?.at ?? null, cId: c?.id ?? '', limit: input.limit + 1 };
  let keys: { kind: 'operation' | 'recurring' | 'bulk'; id: string; at: string }[];
  if (input.section === 'queued') {
    keys = stmt(
      db,
      `SELECT 'operation' AS kind, id, created_at AS at FROM operations
       WHERE state = 'queued' AND (@cAt IS NULL OR created_at > @cAt OR (created_at = @cAt AND id > @cId))
       ORDER BY created_at, id LIMIT @limit`,
    ).all(args) as typeof keys;
  } else {
    keys = stmt(
      db,
      `SELECT kind, id, at FROM (
         SELECT 'operation' AS kind, id, created_at AS at FROM operations WHERE state = 'needs_attention'
         UNION ALL
         SELECT 'recurring' AS kind, rp.id AS id, COALESCE(rp.finished_at, rp.updated_at) AS at FROM recurring_periods rp WHERE ${RECURRING_ATTENTION}
         UNION ALL
         SELECT 'bulk' AS kind, run_id || '-' || seq AS id, attention_at AS at FROM bulk_rows WHERE attention = 'open'
       ) WHERE (@cAt IS NULL OR at > @cAt OR (at = @cAt AND id > @cId))
       ORDER BY at, id LIMIT @limit`,
    ).all(args) as typeof keys;
  }
  const more = keys.length > input.limit;
  const page = more ? keys.slice(0, input.limit) : keys;

  const opIds = page.filter((k) => k.kind === 'operation').map((k) => k.id);
  const periodIds = page.filter((k) => k.kind === 'recurring').map((k) => k.id);
  const ops = new Map<string, QueueEntry>();
  if (opIds.length) {
    for (const r of stmt(db, `${OP_SELECT} WHERE o.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(opIds)) as OpRow[]) ops.set(r.id, toOpEntry(r));
  }
  const periods = new Map<string, QueueEntry>();
  if (periodIds.length) {
    const rows = stmt(
      db,
      `SELECT rp.id, rp.schedule_id, rp.period, rp.due_at, rp.reference, rp.reason, rp.reason_text, rp.payment_id, rp.attempts,
         COALESCE(rp.finished_at, rp.updated_at) AS since, rs.short_id, rs.description, rs.customer_name,
         COALESCE(ord.total, rs.amount) AS amount, rs.currency, c.status AS card_status, c.expiry AS card_expiry
       FROM recurring_periods rp JOIN recurring_schedules rs ON rs.id = rp.schedule_id
       LEFT JOIN orders ord ON ord.id = rp.order_id LEFT JOIN cards c ON c.id = rs.card_id
       WHERE rp.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(periodIds)) as PeriodRow[];
    for (const r of rows) periods.set(r.id, toRecurringEntry(r, now));
  }
  const bulkIds = page.filter((k) => k.kind === 'bulk').map((k) => k.id);
  const bulk = new Map<string, QueueEntry>();
  if (bulkIds.length) {
    const rows = stmt(
      db,
      `SELECT br.run_id, br.seq, run.kind, br.reference, br.payment_id, br.order_reference, br.amount, br.currency, br.attention_reason, br.attention_at, run.created_by_name
       FROM bulk_rows br JOIN bulk_runs run ON run.id = br.run_id
       WHERE br.attention = 'open' AND br.run_id || '-' || br.seq IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(bulkIds)) as BulkAttentionRow[];
    for (const r of rows) bulk.set(bulkEntryId(r.run_id, r.seq), toBulkEntry(r));
  }
  // A row that left the section between the two reads is simply not on this page.
  const rows = page
    .map((k) => (k.kind === 'operation' ? ops.get(k.id) : k.kind === 'recurring' ? periods.get(k.id) : bulk.get(k.id)))
    .filter((e): e is QueueEntry => e !== undefined);
  const last = page[page.length - 1];
  const counts = queueCounts(db);
  return {
    section: input.section,
    rows,
    nextCursor: more && last ? encodeCursor(input.section, { at: last.at, id: last.id }) : null,
    counts: { attention: counts.needsAttention, recurringAttention: counts.recurringAttention, queued: counts.queued },
    now: now.toISOString(),
  };
}
