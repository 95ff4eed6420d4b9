import type { z } from 'zod';
import { operationText, readText, type OperationSchema } from '../../../shared/contract';
import type { Db } from '../db/database';
import { FINAL_STATES, INITIAL_STATES, IllegalTransitionError, moveOperation, StateMismatchError, type OperationEvent } from './operation-states';
import { newId, stmt } from '../ledger/sql';

export type Operation = z.output<typeof OperationSchema>;
export type OperationType = Operation['type'];
export type OperationState = Operation['state'];

export { FINAL_STATES } from './operation-states';
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
  /** `message` as a key + params (migration 016); NULL on older rows and on the bank's own words. */
  message_text: string | null;
  user_id: string | null;
  user_name: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  finished_at: string | null;
  /** 1 from the commit that takes it out of the offline queue until its outcome needs no one (migration 009). */
  forwarded: number;
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

// One fixed statement with positional parameters: the write-ahead log's hottest insert, so no SQL
// text is rebuilt and no parameter is looked up by name on each call.
const OPERATION_COLUMNS = [
  'id', 'payment_id', 'seq', 'type', 'amount', 'state', 'reference', 'attempts', 'checks', 'response_code', 'message', 'message_text',
  'user_id', 'user_name', 'approved_by', 'approved_by_name', 'reason', 'created_at', 'updated_at', 'sent_at', 'finished_at', 'forwarded',
] as const satisfies readonly (keyof OperationRow)[];
// Every field of a row is written (an OperationRow field missing here fails to compile).
const EVERY_OPERATION_FIELD: Exclude<keyof OperationRow, (typeof OPERATION_COLUMNS)[number]> extends never ? true : false = true;
void EVERY_OPERATION_FIELD;
const INSERT_OPERATION = `INSERT INTO operations (${OPERATION_COLUMNS.join(', ')}) VALUES (${OPERATION_COLUMNS.map(() => '?').join(', ')})`;

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
  if (!INITIAL_STATES.has(op.state)) throw new IllegalTransitionError(op.state, 'create');
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
    message_text: null,
    user_id: op.userId,
    user_name: op.userName,
    approved_by: op.approvedBy ?? null,
    approved_by_name: op.approvedByName ?? null,
    reason: op.reason ?? null,
    created_at: at,
    updated_at: at,
    sent_at: sent ? at : null,
    finished_at: final ? at : null,
    forwarded: 0,
  };
  stmt(db, INSERT_OPERATION).run(OPERATION_COLUMNS.map((c) => row[c]));
  return row;
}


export function getOperation(db: Db, id: string): OperationRow | undefined {
  return stmt(db, 'SELECT * FROM operations WHERE id = ?').get(id) as OperationRow | undefined;
}

/**
 * Committed right before a request goes out; attempts counts the requests that may have reached
 * the gateway. `send` takes a PENDING or QUEUED row to SENT; `check_not_received` is the resend
 * of a SENT or UNKNOWN row after a status check proved the gateway never got it (executor.ts is
 * the only caller, from its status check). The state the row leaves is checked (moveOperation).
 *
 * A row that becomes SENT (from QUEUED or PENDING) is in flight from this commit on: the
 * payment's open_ops / queued counters change in the same transaction, because in-flight work
 * is found through `payments.open_ops` after a crash (paymentsWithUnfinished).
 */
export function markSent(db: Db, op: Pick<OperationRow, 'id' | 'payment_id' | 'state'>, event: Extract<OperationEvent, 'send' | 'check_not_received'>, at: string): void {
  moveOperation(db, op.id, op.state, event, { attempts: 1 }, at);
  // PENDING → SENT changes neither counter: both are open.
  if (op.state === 'queued') countInFlight(db, op.payment_id, 'queued', null);
}

/**
 * One more of the payment's operations in flight: a new row inserted SENT (`from` 'new'), or a
 * QUEUED one sent. The one change, by difference, instead of recounting the payment's operations
 * (every live operation and every forwarded one does this); the outcome's updatePayment recounts.
 * `at`: the payment's updated_at, or null to leave it.
 */
export function countInFlight(db: Db, paymentId: string, from: 'new' | 'queued', at: string | null): void {
  stmt(db, 'UPDATE payments SET open_ops = open_ops + 1, queued = queued - ?, updated_at = COALESCE(?, updated_at) WHERE id = ?').run(from === 'queued' ? 1 : 0, at, paymentId);
}

/** The payment's PENDING / SENT / UNKNOWN and QUEUED operations: one pass over its (payment_id, seq) index. */
export function openCounts(db: Db, paymentId: string): { open_ops: number; queued: number } {
  return stmt(
    db,
    `SELECT COALESCE(SUM(state IN ('pending', 'sent', 'unknown')), 0) AS open_ops, COALESCE(SUM(state = 'queued'), 0) AS queued
     FROM operations WHERE payment_id = ?`,
  ).get(paymentId) as { open_ops: number; queued: number };
}

/** One more status check asked about a SENT or UNKNOWN operation (only those are ever checked). */
export function markChecked(db: Db, op: Pick<OperationRow, 'id' | 'state'>, at: string): void {
  if (op.state !== 'sent' && op.state !== 'unknown') throw new IllegalTransitionError(op.state, 'check');
  const r = stmt(db, 'UPDATE operations SET checks = checks + 1, updated_at = ? WHERE id = ? AND state = ?').run(at, op.id, op.state);
  if (r.changes !== 1) throw new StateMismatchError(op.id, op.state, getOperation(db, op.id)?.state ?? null);
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

/**
 * Operations the forwarder took out of the queue that ended DECLINED and have not been handed to
 * a person yet (the partial index operations_forwarded_refused lists exactly these), oldest first.
 */
export function refusedForwarded(db: Db): OperationRow[] {
  return stmt(db, `SELECT * FROM operations WHERE forwarded = 1 AND state = 'declined' ORDER BY created_at`).all() as OperationRow[];
}

/** Operations waiting to be forwarded for one payment, in the order they must go out. */
export function queuedOf(db: Db, paymentId: string): OperationRow[] {
  // `+state`: the payment's own index, not operations_waiting (every queued row) — SQLite has no
  // statistics to tell which is narrower.
  return stmt(db, `SELECT * FROM operations WHERE payment_id = ? AND +state = 'queued' ORDER BY seq`).all(paymentId) as OperationRow[];
}

/** The payment's next operation to forward (the first of queuedOf), read alone. */
export function nextQueuedOf(db: Db, paymentId: string): OperationRow | undefined {
  return stmt(db, `SELECT * FROM operations WHERE payment_id = ? AND +state = 'queued' ORDER BY seq LIMIT 1`).get(paymentId) as OperationRow | undefined;
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
    text: readText(row.message_text) ?? operationText({ message: row.message, responseCode: row.response_code, type: row.type }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
