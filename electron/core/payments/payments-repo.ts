import type { z } from 'zod';
import type { PaymentSummarySchema } from '../../../shared/contract';
import { AUTHORIZATION_LIFETIME_MS, paymentStatus, type PaymentStatus, type PaymentTotals } from '../../../shared/domain/payment-state';
import type { Db } from '../db/database';
import { openCounts } from './operation-log';
import { stmt } from '../ledger/sql';

export type PaymentSummary = z.output<typeof PaymentSummarySchema>;

export interface PaymentRow {
  id: string;
  order_id: string;
  reference: string;
  method: 'card' | 'cash';
  kind: 'purchase' | 'authorization' | 'cash';
  eci: string | null;
  currency: string;
  amount: number;
  authorized: number;
  captured: number;
  refunded: number;
  voided: number;
  declined: number;
  open_ops: number;
  queued: number;
  status: PaymentStatus;
  fort_id: string | null;
  card_id: string | null;
  hosted_session_id: string | null;
  token_name: string | null;
  save_card: number;
  saved_card_id: string | null;
  brand: string | null;
  last4: string | null;
  expiry: string | null;
  holder_name: string | null;
  customer_id: string | null;
  customer_name: string | null;
  customer_email: string | null;
  authorization_code: string | null;
  tendered: number | null;
  change_due: number | null;
  refund_seq: number;
  created_at: string;
  authorized_at: string | null;
  expires_at: string | null;
  created_by: string;
  updated_at: string;
  /** The gateway account it was made on (migration 008); all its later operations go there. */
  gateway_account: string;
}

/** The row joined with its order's reference, as lists and detail show it. */
export type PaymentWithOrder = PaymentRow & { order_reference: string };

const EPOCH = new Date(0);

export function totalsOf(p: Pick<PaymentRow, 'method' | 'authorized' | 'captured' | 'refunded' | 'voided' | 'declined' | 'open_ops' | 'expires_at'>): PaymentTotals {
  return {
    method: p.method,
    authorized: p.authorized,
    captured: p.captured,
    refunded: p.refunded,
    voided: p.voided === 1,
    declined: p.declined === 1,
    unknown: p.open_ops > 0,
    expiresAt: p.expires_at,
  };
}

/**
 * The totals the payment will have once its queued operations have gone through: rules for a new
 * operation (and for the screen's "what remains") are checked against these, so two queued partial
 * refunds can never add up to more than was captured.
 */
export function effectiveTotals(p: Parameters<typeof totalsOf>[0], queued: readonly { type: string; amount: number | null }[]): PaymentTotals {
  const t = totalsOf(p);
  for (const op of queued) {
    if (op.type === 'capture') t.captured += op.amount ?? 0;
    else if (op.type === 'refund') t.refunded += op.amount ?? 0;
    else if (op.type === 'void') t.voided = true;
    // A queued charge adds nothing: the gateway does not know the payment until it is approved.
  }
  return t;
}

/**
 * The stored status: paymentStatus without the clock (expiry is read from expires_at at query
 * time) and without the work in flight. "Outcome unknown" is `open_ops > 0` (its partial index
 * payments_unknown), never a stored status: an operation starting or ending would otherwise move
 * the payment's entries in payments_status and payments_open_auth in both of its commits, the
 * first of which every live capture, void and refund waits on (docs/performance.md, issue 21).
 * Lists that filter on the stored status leave the payments in flight out (queries.ts). Rows
 * stored as 'unknown' by older versions always have open_ops > 0 and get their settled status
 * from the commit that finishes their operation.
 */
export function storedStatus(p: Parameters<typeof totalsOf>[0]): PaymentStatus {
  return paymentStatus({ ...totalsOf(p), unknown: false }, EPOCH);
}

export function insertPayment(db: Db, row: PaymentRow): void {
  const cols = Object.keys(row);
  stmt(db, `INSERT INTO payments (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

export function getPaymentRow(db: Db, id: string): PaymentRow | undefined {
  return stmt(db, 'SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;
}

export function getPaymentWithOrder(db: Db, id: string): PaymentWithOrder | undefined {
  return stmt(db, 'SELECT p.*, o.reference AS order_reference FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id = ?').get(id) as
    | PaymentWithOrder
    | undefined;
}

export function paymentsOfOrder(db: Db, orderId: string): PaymentRow[] {
  return stmt(db, 'SELECT * FROM payments WHERE order_id = ? ORDER BY created_at').all(orderId) as PaymentRow[];
}

export interface TotalsPatch {
  authorized?: number;
  captured?: number;
  refunded?: number;
  voided?: number;
  declined?: number;
  fort_id?: string | null;
  authorization_code?: string | null;
  authorized_at?: string | null;
  expires_at?: string | null;
  saved_card_id?: string | null;
  refund_seq?: number;
}

/** The columns updatePayment may change; `updated_at` always is. */
const MUTABLE_PAYMENT_COLUMNS = [
  'authorized', 'captured', 'refunded', 'voided', 'declined', 'open_ops', 'queued', 'status', 'fort_id',
  'authorization_code', 'authorized_at', 'expires_at', 'saved_card_id', 'refund_seq',
] as const satisfies readonly (keyof PaymentRow)[];
// Every field of a patch must be among them, or it would be silently dropped.
const EVERY_PATCH_FIELD_WRITTEN: Exclude<keyof TotalsPatch, (typeof MUTABLE_PAYMENT_COLUMNS)[number]> extends never ? true : false = true;
void EVERY_PATCH_FIELD_WRITTEN;

/**
 * Applies a totals patch, recounts the payment's open and queued operations, derives the status,
 * and writes only the columns whose value changed. Called inside the transaction of every change
 * of one of the payment's operations (the counters find in-flight work after a crash), so it is
 * part of every commit: SQLite rewrites the entry of every index whose columns (or partial-index
 * condition) appear in the SET list, changed or not (docs/performance.md, durable commits).
 */
/** `read`: the payment's row as read earlier in the same transaction, when nothing has changed it since (saves a read on the hot path). */
export function updatePayment(db: Db, id: string, patch: TotalsPatch, at: string, read?: PaymentRow): PaymentRow {
  const current = read ?? getPaymentRow(db, id);
  if (!current) throw new Error(`payment ${id} vanished`);
  const counts = openCounts(db, id);
  const next: PaymentRow = { ...current, ...patch, ...counts, updated_at: at };
  next.status = storedStatus(next);
  const changed = MUTABLE_PAYMENT_COLUMNS.filter((c) => next[c] !== current[c]);
  const params: Record<string, unknown> = { id, updated_at: at };
  for (const c of changed) params[c] = next[c];
  stmt(db, `UPDATE payments SET ${[...changed, 'updated_at'].map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(params);
  return next;
}

export function authorizationExpiry(authorizedAt: Date): string {
  return new Date(authorizedAt.getTime() + AUTHORIZATION_LIFETIME_MS).toISOString();
}

export function toSummary(p: PaymentWithOrder, now: Date): PaymentSummary {
  return {
    id: p.id,
    orderId: p.order_id,
    orderReference: p.order_reference,
    reference: p.reference,
    fortId: p.fort_id,
    method: p.method,
    kind: p.kind,
    currency: p.currency,
    amount: p.amount,
    authorized: p.authorized,
    captured: p.captured,
    refunded: p.refunded,
    status: paymentStatus(totalsOf(p), now),
    brand: p.brand,
    last4: p.last4,
    customerName: p.customer_name,
    authorizationCode: p.authorization_code,
    createdAt: p.created_at,
    expiresAt: p.expires_at,
    queued: p.queued,
  };
}
