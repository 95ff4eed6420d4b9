import type { Db } from '../db/database';

/** A row of `confirmations` (migration 004). */
export interface ConfirmationRow {
  id: string;
  order_id: string;
  order_reference: string;
  card_id: string;
  mode: 'purchase' | 'authorize';
  gateway_id: string | null;
  email_address: string;
  amount: number;
  currency: string;
  timeout_seconds: number;
  state: 'idle' | 'processing' | 'confirmed' | 'refused' | 'failed' | 'expired';
  process_state: string;
  fail_reason: string | null;
  user_response: string | null;
  charge_state: 'none' | 'charging' | 'done';
  charge_started_at: string | null;
  payment_id: string | null;
  charge_outcome: 'approved' | 'declined' | 'unknown' | 'queued' | null;
  charge_message: string | null;
  last_error: string | null;
  created_by: string;
  created_by_name: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const FINAL_STATES: ReadonlySet<ConfirmationRow['state']> = new Set(['confirmed', 'refused', 'failed', 'expired']);

export function insertConfirmation(db: Db, row: ConfirmationRow): void {
  db.prepare(
    `INSERT INTO confirmations (id, order_id, order_reference, card_id, mode, gateway_id, email_address, amount, currency, timeout_seconds,
       state, process_state, fail_reason, user_response, charge_state, charge_started_at, payment_id, charge_outcome, charge_message, last_error,
       created_by, created_by_name, created_at, updated_at, finished_at)
     VALUES (@id, @order_id, @order_reference, @card_id, @mode, @gateway_id, @email_address, @amount, @currency, @timeout_seconds,
       @state, @process_state, @fail_reason, @user_response, @charge_state, @charge_started_at, @payment_id, @charge_outcome, @charge_message, @last_error,
       @created_by, @created_by_name, @created_at, @updated_at, @finished_at)`,
  ).run(row);
}

export function getConfirmationRow(db: Db, id: string): ConfirmationRow | undefined {
  return db.prepare('SELECT * FROM confirmations WHERE id = ?').get(id) as ConfirmationRow | undefined;
}

/** Confirmations of an order still waiting for the customer (at most one is allowed). */
export function openConfirmationOf(db: Db, orderId: string): ConfirmationRow | undefined {
  return db
    .prepare(`SELECT * FROM confirmations WHERE order_id = ? AND (state IN ('idle', 'processing') OR (state = 'confirmed' AND charge_state <> 'done')) ORDER BY created_at DESC LIMIT 1`)
    .get(orderId) as ConfirmationRow | undefined;
}

/** What the start-up sweep resumes: still waiting, or confirmed and not charged yet. */
export function unfinishedConfirmations(db: Db): ConfirmationRow[] {
  return db
    .prepare(`SELECT * FROM confirmations WHERE (state IN ('idle', 'processing') AND gateway_id IS NOT NULL) OR (state = 'confirmed' AND charge_state <> 'done') ORDER BY created_at`)
    .all() as ConfirmationRow[];
}

export function updateConfirmation(db: Db, id: string, patch: Partial<ConfirmationRow>, at: string): void {
  const keys = Object.keys(patch).filter((k) => k !== 'id');
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'];
  db.prepare(`UPDATE confirmations SET ${sets.join(', ')} WHERE id = @id`).run({ ...patch, id, updated_at: at });
}

/**
 * The exactly-once guard: moves charge_state none → charging for a confirmed row. True for the
 * one caller that wins; every other caller (a concurrent poll, the background watcher) gets false.
 */
export function claimCharge(db: Db, id: string, at: string): boolean {
  return db.prepare(`UPDATE confirmations SET charge_state = 'charging', charge_started_at = @at, updated_at = @at WHERE id = @id AND state = 'confirmed' AND charge_state = 'none'`).run({ id, at }).changes === 1;
}

/** Marks the row final once (for the one audit entry of the outcome). */
export function markFinished(db: Db, id: string, at: string): boolean {
  return db.prepare(`UPDATE confirmations SET finished_at = @at WHERE id = @id AND finished_at IS NULL`).run({ id, at }).changes === 1;
}
