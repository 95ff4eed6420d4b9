import type { Db } from '../db/database';
import { toOrder, type Order, type OrderRow } from '../orders/orders-repo';
import { toSummary, type PaymentSummary, type PaymentWithOrder } from '../payments/payments-repo';
import { prepared } from './stmt-cache';

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
