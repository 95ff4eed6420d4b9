import type { z } from 'zod';
import type { OrderSchema } from '../../../shared/contract';
import type { LineInput } from '../../../shared/domain/order-totals';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

export type Order = z.output<typeof OrderSchema>;
export type OrderStatus = Order['status'];

export interface OrderRow {
  id: string;
  reference: string;
  channel: Order['channel'];
  customer_id: string | null;
  customer_name: string | null;
  currency: string;
  lines_json: string;
  net: number;
  tax: number;
  total: number;
  note: string;
  status: OrderStatus;
  created_at: string;
  created_by: string;
  created_by_name: string;
  updated_at: string;
}

export function insertOrder(db: Db, row: OrderRow): void {
  stmt(
    db,
    `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note,
       status, created_at, created_by, created_by_name, updated_at)
     VALUES (@id, @reference, @channel, @customer_id, @customer_name, @currency, @lines_json, @net, @tax, @total, @note,
       @status, @created_at, @created_by, @created_by_name, @updated_at)`,
  ).run(row);
}

export function getOrderRow(db: Db, id: string): OrderRow | undefined {
  return stmt(db, 'SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
}

export function referenceExists(db: Db, reference: string): boolean {
  return stmt(db, 'SELECT 1 FROM orders WHERE reference = ?').get(reference) !== undefined;
}

export function setOrderStatus(db: Db, id: string, status: OrderStatus, at: string): void {
  stmt(db, 'UPDATE orders SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

/**
 * The order's status follows its payments: paid once money was captured, authorized while an
 * authorization is open, otherwise awaiting payment. A cancelled order stays cancelled.
 */
export function refreshOrderStatus(db: Db, orderId: string, at: string): void {
  const order = getOrderRow(db, orderId);
  if (!order || order.status === 'cancelled') return;
  const agg = stmt(
    db,
    `SELECT COALESCE(MAX(captured > 0), 0) AS paid,
            COALESCE(MAX(authorized > 0 AND voided = 0 AND declined = 0), 0) AS authorized
     FROM payments WHERE order_id = ?`,
  ).get(orderId) as { paid: number; authorized: number };
  const status: OrderStatus = agg.paid ? 'paid' : agg.authorized ? 'authorized' : 'awaiting_payment';
  if (status !== order.status) setOrderStatus(db, orderId, status, at);
}

export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    reference: row.reference,
    channel: row.channel,
    customerId: row.customer_id,
    customerName: row.customer_name,
    currency: row.currency,
    lines: JSON.parse(row.lines_json) as LineInput[],
    net: row.net,
    tax: row.tax,
    total: row.total,
    note: row.note,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by_name,
  };
}
