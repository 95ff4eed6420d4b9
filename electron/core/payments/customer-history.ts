import { paymentStatus, type PaymentStatus } from '../../../shared/domain/payment-state';
import type { Db } from '../db/database';
import { toOrder, type Order, type OrderRow } from '../orders';
import { queuedOf } from './operation-log';
import { effectiveTotals, toSummary, type PaymentSummary, type PaymentWithOrder } from './payments-repo';
import { prepared } from '../ledger/stmt-cache';

/**
 * A customer's recent orders and payments, newest first, for the customer screen. The tables
 * belong to the payments feature (migration 002); its row mappers are reused so the shapes stay
 * in one place. Both queries walk orders_customer(customer_id, created_at) backwards with a LIMIT.
 */
export function recentHistory(db: Db, customerId: string, now: Date, limit = 20): { orders: Order[]; payments: PaymentSummary[] } {
  const orders = prepared(db, `SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`).all(customerId, limit) as OrderRow[];
  const payments = prepared(
    db,
    `SELECT p.*, o.reference AS order_reference
     FROM orders o JOIN payments p ON p.order_id = o.id
     WHERE o.customer_id = ? ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
  ).all(customerId, limit) as PaymentWithOrder[];
  return { orders: orders.map(toOrder), payments: payments.map((p) => toSummary(p, now)) };
}

/**
 * A payment "stands" when money was taken or is still reserved: not voided, declined, fully
 * refunded, lapsed, still unknown or only queued. Queued operations count as done (a queued void
 * already takes the payment back), as they do for every other rule (effectiveTotals).
 */
export const STANDING: ReadonlySet<PaymentStatus> = new Set(['authorized', 'partially_captured', 'captured', 'partially_refunded']);

/**
 * What "Charge again" repeats: the newest order of this customer with a payment that stands, and
 * that payment (so the screen can say which one). The stored status narrows the walk; the clock
 * and the queue decide (an authorization may have lapsed, a void may be queued). Fifty candidates
 * is far more than lapse or a queued reversal can cover.
 */
export function lastStandingPayment(db: Db, customerId: string, now: Date): { order: Order; payment: PaymentSummary } | null {
  const rows = prepared(
    db,
    `SELECT p.*, o.reference AS order_reference
     FROM orders o JOIN payments p ON p.order_id = o.id
     WHERE o.customer_id = ? AND p.status IN ('authorized', 'partially_captured', 'captured', 'partially_refunded')
     ORDER BY p.created_at DESC, p.id DESC LIMIT 50`,
  ).all(customerId) as PaymentWithOrder[];
  for (const p of rows) {
    if (!STANDING.has(paymentStatus(effectiveTotals(p, queuedOf(db, p.id)), now))) continue;
    const order = prepared(db, `SELECT * FROM orders WHERE id = ?`).get(p.order_id) as OrderRow | undefined;
    if (!order) continue;
    return { order: toOrder(order), payment: toSummary(p, now) };
  }
  return null;
}
