import type { z } from 'zod';
import type { SplitOrderSchema } from '../../../shared/contract/reports';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

type SplitOrder = z.infer<typeof SplitOrderSchema>;

/** At most this many orders are listed (the totals above them count everything). */
export const SPLIT_ORDERS_LISTED = 500;

/**
 * Orders whose first tender was taken in [from, to) and that stand on more than one tender
 * (declined and voided tenders count nothing: docs/decisions/split-tender.md), each tender with its
 * method, amount, cash tendered and change.
 */
export function splitOrders(db: Db, from: string, to: string): SplitOrder[] {
  // Candidates are the orders with a payment made in the day (payments_created range): an order
  // whose first counted tender falls in [from, to) has one. Grouping every payment of the ledger
  // instead took seconds on a year of payments (docs/performance.md, year).
  const rows = stmt(
    db,
    `SELECT o.id AS order_id, o.reference AS order_reference, o.currency, o.total,
            p.id AS payment_id, p.method, p.brand, p.last4, p.amount, p.tendered, p.change_due, p.refunded
     FROM orders o JOIN payments p ON p.order_id = o.id
     WHERE o.id IN (
       SELECT order_id FROM payments WHERE declined = 0 AND voided = 0
         AND order_id IN (SELECT order_id FROM payments WHERE created_at >= ? AND created_at < ?)
       GROUP BY order_id HAVING COUNT(*) > 1 AND MIN(created_at) >= ? AND MIN(created_at) < ?
       LIMIT ${SPLIT_ORDERS_LISTED}
     ) AND p.declined = 0 AND p.voided = 0
     ORDER BY o.created_at, o.id, p.created_at, p.reference`,
  ).all(from, to, from, to) as {
    order_id: string; order_reference: string; currency: string; total: number; payment_id: string; method: 'card' | 'cash';
    brand: string | null; last4: string | null; amount: number; tendered: number | null; change_due: number | null; refunded: number;
  }[];
  const out = new Map<string, SplitOrder>();
  for (const r of rows) {
    let o = out.get(r.order_id);
    if (!o) out.set(r.order_id, (o = { orderId: r.order_id, orderReference: r.order_reference, currency: r.currency, total: r.total, tenders: [] }));
    o.tenders.push({
      paymentId: r.payment_id, method: r.method, brand: r.brand, last4: r.last4, amount: r.amount,
      tendered: r.method === 'cash' ? (r.tendered ?? r.amount) : null, change: r.method === 'cash' ? (r.change_due ?? 0) : null, refunded: r.refunded,
    });
  }
  return [...out.values()];
}
