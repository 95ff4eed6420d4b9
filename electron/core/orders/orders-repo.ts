import type { z } from 'zod';
import type { OrderSchema } from '../../../shared/contract';
import type { LineInput } from '../../../shared/domain/order-totals';
import { orderCover, type TenderFacts } from '../../../shared/domain/tenders';
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
 * The order's status follows its tenders (shared/domain/tenders.ts orderCover, split tender): paid
 * once they cover the total with money captured, authorized when an open authorization covers it,
 * otherwise awaiting payment. A cancelled order stays cancelled. `now` decides lapsed authorizations.
 */
export function refreshOrderStatus(db: Db, orderId: string, at: string): void {
  const order = getOrderRow(db, orderId);
  if (!order || order.status === 'cancelled') return;
  const rows = stmt(
    db,
    `SELECT method, kind, amount, authorized, captured, refunded, voided, declined, open_ops, queued, expires_at FROM payments WHERE order_id = ?`,
  ).all(orderId) as TenderRow[];
  const cover = orderCover(order.total, rows.map(toTenderFacts), new Date(at));
  const status: OrderStatus = cover.state;
  if (status !== order.status) setOrderStatus(db, orderId, status, at);
}

interface TenderRow {
  method: 'card' | 'cash';
  kind: 'purchase' | 'authorization' | 'cash';
  amount: number;
  authorized: number;
  captured: number;
  refunded: number;
  voided: number;
  declined: number;
  open_ops: number;
  queued: number;
  expires_at: string | null;
}

function toTenderFacts(r: TenderRow): TenderFacts {
  return {
    method: r.method, kind: r.kind, amount: r.amount, authorized: r.authorized, captured: r.captured, refunded: r.refunded,
    voided: r.voided === 1, declined: r.declined === 1, openOps: r.open_ops, queued: r.queued, expiresAt: r.expires_at,
  };
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
