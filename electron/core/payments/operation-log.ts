import type { z } from 'zod';
import type { OperationSchema } from '../../../shared/contract';
import type { Db } from '../db/database';
import { newId, stmt } from './sql';

export type Operation = z.output<typeof OperationSchema>;
export type OperationType = Operation['type'];
export type OperationState = Operation['state'];

/** States after which the row never changes again. */
export const FINAL_STATES: ReadonlySet<OperationState> = new Set(['succeeded', 'declined']);
/** States the start-up sweep and the background resolver must finish. */
export const UNFINISHED_STATES = ['pending', 'sent', 'unknown'] as const;
/** States of the offline queue (electron/core/sync): waiting to be forwarded, or held for a person. */
export const QUEUE_STATES = ['queued', 'needs_attention'] as const;

export interface OperationRow {
  id: string;
  payment_id: string;
  seq: number;
  type: OperationType;
  amount: number | null;
  state: OperationState;
  reference: string;
  attempts: number;
  checks: number;
  response_code: string | null;
  message: string | null;
  user_id: string | null;
  user_name: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  finished_at: string | null;
}

export interface NewOperation {
  paymentId: string;
  type: OperationType;
  amount: number | null;
  reference: string;
  state: OperationState;
  userId: string | null;
  userName: string | null;
  approvedBy?: string | null;
  approvedByName?: string | null;
  reason?: string | null;
  message?: string | null;
  responseCode?: string | null;
}

/**
 * The write-ahead log. Each state change is committed before anything acts on it (its own
 * statement, part of the transaction that creates or finishes the operation, or a group commit);
 * with synchronous=FULL a commit is on disk when it returns, so the reference exists before any
 * network attempt and SENT before each request.
 *
 * An operation sent right after it is created (every live charge, capture, void, refund) is
 * inserted directly as SENT (attempts = 1, sent_at) in the transaction that creates it: one
 * commit instead of PENDING then SENT. That is safe because SENT only claims "may have reached
 * the gateway", which recovery settles by check status before any resend; an insert that never
 * committed leaves nothing, and nothing was sent. PENDING stays valid (resolve simply sends it).
 */
export function appendOperation(db: Db, op: NewOperation, at: string): OperationRow {
  const seqRow = stmt(db, 'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM operations WHERE payment_id = ?').get(op.paymentId) as { seq: number };
  const final = FINAL_STATES.has(op.state);
  const sent = op.state === 'sent';
  const row: OperationRow = {
    id: newId('op'),
    payment_id: op.paymentId,
    seq: seqRow.seq,
    type: op.type,
    amount: op.amount,
    state: op.state,
    reference: op.reference,
    attempts: sent ? 1 : 0,
    checks: 0,
    response_code: op.responseCode ?? null,
    message: op.message ?? null,
    user_id: op.userId,
    user_name: op.userName,
    approved_by: op.approvedBy ?? null,
    approved_by_name: op.approvedByName ?? null,
    reason: op.reason ?? null,
    created_at: at,
    updated_at: at,
    sent_at: sent ? at : null,
    finished_at: final ? at : null,
  };
  const cols = Object.keys(row);
  stmt(db, `INSERT INTO operations (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
  return row;
}

export function getOperation(db: Db, id: string): OperationRow | undefined {
  return stmt(db, 'SELECT * FROM operations WHERE id = ?').get(id) as OperationRow | undefined;
}

/**
 * Committed right before a request goes out; attempts counts the requests that may have reached the gateway.
 *
 * A row that is already SENT (a resend after check status proved the first attempt never arrived)
 * keeps its state column untouched: SQLite rewrites the entry of every index whose columns appear
 * in the SET list even when the value is the same (docs/performance.md). The first statement
 * changes nothing (and writes nothing) unless the row is SENT; the caller holds the payment's
 * mutex and one connection writes the ledger, so the state cannot change between the statements.
 *
 * A row that becomes SENT (from QUEUED or PENDING) is in flight from this commit on: the
 * payment's open_ops / queued counters change in the same transaction, because in-flight work
 * is found through `payments.open_ops` after a crash (paymentsWithUnfinished).
 */
export function markSent(db: Db, id: string, at: string): void {
  const again = stmt(db, `UPDATE operations SET attempts = attempts + 1, sent_at = ?, updated_at = ? WHERE id = ? AND state = 'sent'`).run(at, at, id);
  if (again.changes > 0) return;
  const row = stmt(db, `UPDATE operations SET state = 'sent', attempts = attempts + 1, sent_at = ?, updated_at = ? WHERE id = ? RETURNING payment_id`).get(at, at, id) as
    | { payment_id: string }
    | undefined;
  if (row) refreshOpenCounts(db, row.payment_id);
}

/** The payment's PENDING / SENT / UNKNOWN and QUEUED operations: one pass over its (payment_id, seq) index. */
export function openCounts(db: Db, paymentId: string): { open_ops: number; queued: number } {
  return stmt(
    db,
    `SELECT COALESCE(SUM(state IN ('pending', 'sent', 'unknown')), 0) AS open_ops, COALESCE(SUM(state = 'queued'), 0) AS queued
     FROM operations WHERE payment_id = ?`,
  ).get(paymentId) as { open_ops: number; queued: number };
}

/**
 * payments.open_ops (PENDING / SENT / UNKNOWN operations) and payments.queued, from the payment's
 * own operations. Every change of an operation's state rewrites them in its transaction
 * (updatePayment does it with the totals); markSent, which changes nothing else, does only this.
 */
export function refreshOpenCounts(db: Db, paymentId: string): void {
  const counts = openCounts(db, paymentId);
  stmt(db, 'UPDATE payments SET open_ops = @open_ops, queued = @queued WHERE id = @id AND (open_ops != @open_ops OR queued != @queued)').run({ id: paymentId, ...counts });
}

export function markChecked(db: Db, id: string, at: string): void {
  stmt(db, 'UPDATE operations SET checks = checks + 1, updated_at = ? WHERE id = ?').run(at, id);
}

export function finishOperation(
  db: Db,
  id: string,
  state: OperationState,
  fields: { responseCode?: string | null; message?: string | null },
  at: string,
): void {
  stmt(
    db,
    `UPDATE operations SET state = ?, response_code = COALESCE(?, response_code), message = COALESCE(?, message),
       updated_at = ?, finished_at = CASE WHEN ? IN ('succeeded', 'declined') THEN ? ELSE finished_at END
     WHERE id = ?`,
  ).run(state, fields.responseCode ?? null, fields.message ?? null, at, state, at, id);
}

export function operationsOf(db: Db, paymentId: string): OperationRow[] {
  return stmt(db, 'SELECT * FROM operations WHERE payment_id = ? ORDER BY seq').all(paymentId) as OperationRow[];
}

export function unfinishedOf(db: Db, paymentId: string): OperationRow[] {
  return stmt(db, `SELECT * FROM operations WHERE payment_id = ? AND state IN ('pending', 'sent', 'unknown') ORDER BY seq`).all(paymentId) as OperationRow[];
}

/**
 * Every payment with an operation whose outcome is not final (start-up sweep), oldest payment
 * first: found through payments.open_ops (its partial index payments_unknown), which every state
 * change keeps exact in its own transaction; each is confirmed against the operations themselves.
 */
export function paymentsWithUnfinished(db: Db): string[] {
  const rows = stmt(
    db,
    `SELECT p.id FROM payments p WHERE p.open_ops > 0
       AND EXISTS (SELECT 1 FROM operations o WHERE o.payment_id = p.id AND o.state IN ('pending', 'sent', 'unknown'))
     ORDER BY p.created_at, p.id`,
  ).all() as { id: string }[];
  return rows.map((r) => r.id);
}

/** Operations waiting to be forwarded for one payment, in the order they must go out. */
export function queuedOf(db: Db, paymentId: string): OperationRow[] {
  // `+state`: the payment's own index, not operations_waiting (every queued row) — SQLite has no
  // statistics to tell which is narrower.
  return stmt(db, `SELECT * FROM operations WHERE payment_id = ? AND +state = 'queued' ORDER BY seq`).all(paymentId) as OperationRow[];
}

/** Any state → QUEUED or NEEDS_ATTENTION (the offline queue), with a message for the screen. */
export function setQueueState(db: Db, id: string, state: 'queued' | 'needs_attention', message: string | null, at: string): void {
  stmt(db, `UPDATE operations SET state = ?, message = COALESCE(?, message), updated_at = ?, finished_at = NULL WHERE id = ?`).run(state, message, at, id);
}

/** `voidReleases`: what a void of this payment releases (its uncaptured authorization), shown as the void's amount. */
export function toOperation(row: OperationRow, voidReleases: number | null = null): Operation {
  return {
    id: row.id,
    paymentId: row.payment_id,
    type: row.type,
    amount: row.type === 'void' && row.amount === null && voidReleases ? voidReleases : row.amount,
    state: row.state,
    reference: row.reference,
    responseCode: row.response_code,
    message: row.message,
    userId: row.user_id,
    userName: row.user_name,
    approvedBy: row.approved_by_name,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
