import type { z } from 'zod';
import type { PaymentDetailSchema, PaymentListFilter } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';
import { paymentBalance } from '../../../shared/domain/payment-balance';
import { asciiDigits } from '../../../shared/domain/digits';
import { allowedAction, EXPIRY_WARNING_MS } from '../../../shared/domain/payment-state';
import type { Db } from '../db/database';
import { getOrderRow, toOrder, type Order, type OrderRow } from '../orders';
import { operationsOf, queuedOf, toOperation } from './operation-log';
import { stmt } from '../ledger/sql';
import { countByStatus } from './status-counts';
import { effectiveTotals, getPaymentWithOrder, toSummary, totalsOf, type PaymentSummary, type PaymentWithOrder } from './payments-repo';

export type PaymentDetail = z.output<typeof PaymentDetailSchema>;
export type ListFilter = z.output<typeof PaymentListFilter>;

export function paymentDetail(db: Db, paymentId: string, now: Date): PaymentDetail {
  const p = getPaymentWithOrder(db, paymentId);
  if (!p) throw new ContractError('NOT_FOUND', 'No such payment.');
  const order = getOrderRow(db, p.order_id)!;
  // What remains to capture / refund counts the operations still queued (offline).
  const queued = queuedOf(db, p.id);
  const totals = effectiveTotals(p, queued);
  // A void carries no amount to the gateway; what it releases is the uncaptured authorization.
  const released = Math.max(0, p.authorized - p.captured);
  return {
    payment: toSummary(p, now),
    order: toOrder(order),
    operations: operationsOf(db, p.id).map((row) => toOperation(row, released)),
    actions: {
      capture: allowedAction('capture', totals, now),
      void: allowedAction('void', totals, now),
      refund: allowedAction('refund', totals, now),
      checkStatus: allowedAction('checkStatus', totals, now),
    },
    cash: p.method === 'cash' ? { tendered: p.tendered ?? p.amount, change: p.change_due ?? 0 } : null,
    balance: paymentBalance(totalsOf(p), queued, now),
  };
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar <= 0) throw new ContractError('VALIDATION', 'Invalid cursor.', { cursor: 'Invalid cursor' });
  return { createdAt: text.slice(0, bar), id: text.slice(bar + 1) };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Transactions, newest first. Keyset paging on (created_at, id) so page N costs the same as page 1
 * at tens of thousands of rows; each filter has an index (migration 002). 'today' is the clock's
 * UTC day, 'week' the last 7 days.
 */
export function listPayments(db: Db, f: ListFilter, now: Date): { rows: PaymentSummary[]; nextCursor: string | null; total: number } {
  const where: string[] = [];
  const args: Record<string, string | number> = {};
  const nowIso = now.toISOString();
  args.now = nowIso;
  if (f.period === 'today') {
    where.push('p.created_at >= @since');
    args.since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
  } else if (f.period === 'week') {
    where.push('p.created_at >= @since');
    args.since = new Date(now.getTime() - 7 * 24 * 3600 * 1000).toISOString();
  }
  // The stored status leaves work in flight out (payments-repo.ts storedStatus): a filter on it
  // leaves out the payments in flight, which show as unknown.
  let settledOnly = f.status !== undefined && f.status !== 'unknown';
  if (f.status === 'unknown') {
    where.push('p.open_ops > 0');
  } else if (f.status === 'expired') {
    where.push(`p.status = 'authorized' AND p.expires_at <= @now`);
  } else if (f.status === 'authorized') {
    where.push(`p.status = 'authorized' AND (p.expires_at IS NULL OR p.expires_at > @now)`);
  } else if (f.status) {
    where.push('p.status = @status');
    args.status = f.status;
  }
  const openAuth = `p.kind = 'authorization' AND p.status IN ('authorized', 'partially_captured')`;
  switch (f.view) {
    case 'uncaptured':
      where.push(`${openAuth} AND p.expires_at > @now`);
      settledOnly = true;
      break;
    case 'expiring':
      where.push(`${openAuth} AND p.expires_at > @now AND p.expires_at <= @soon`);
      args.soon = new Date(now.getTime() + EXPIRY_WARNING_MS).toISOString();
      settledOnly = true;
      break;
    case 'unknown':
      where.push('p.open_ops > 0');
      break;
    case 'queued':
      where.push('p.queued > 0');
      break;
    default:
      break;
  }
  const q = f.query?.trim();
  if (q) {
    // Candidates through indexes (migration 016): references by prefix on payments_reference_nocase,
    // names through the trigram index payments_text (three characters or more, and no LIKE
    // wildcard in the text: FTS5 cannot use its index with ESCAPE). The exact condition below still
    // decides, so the rows are those of the plain LIKE, without reading every payment.
    // Four digits (either digit set) are also a card's last 4, through payments_last4 (migration 022).
    const last4 = /^\d{4}$/.test(asciiDigits(q)) ? asciiDigits(q) : null;
    const byLast4 = last4 ? ' OR p.rowid IN (SELECT rowid FROM payments WHERE last4 = @last4)' : '';
    if (last4) args.last4 = last4;
    if (q.length >= 3 && !/[\\%_]/.test(q)) {
      where.push(`(p.rowid IN (SELECT rowid FROM payments WHERE reference LIKE @prefix ESCAPE '\\') OR p.rowid IN (SELECT rowid FROM payments_text WHERE customer_name LIKE @ftsContains)${byLast4})`);
      args.ftsContains = `%${q}%`;
    }
    where.push(`(p.reference LIKE @prefix ESCAPE '\\' OR p.customer_name LIKE @contains ESCAPE '\\'${last4 ? ' OR p.last4 = @last4' : ''})`);
    args.prefix = `${escapeLike(q)}%`;
    args.contains = `%${escapeLike(q)}%`;
  }
  const filterSql = where.length ? where.join(' AND ') : '1';
  // A status over all time (no date, view or text): its count is kept (status-counts.ts). The
  // payments in flight among them (few, on the partial index payments_unknown) show as unknown.
  const statusOnly = f.period === 'all' && f.view === 'all' && !q && f.status !== undefined && where.length === 1 && args.status === f.status;
  const all = statusOnly ? countByStatus(db, f.status!) : (stmt(db, `SELECT COUNT(*) AS n FROM payments p WHERE ${filterSql}`).get(args) as { n: number }).n;
  const total = all - (settledOnly ? inFlightAmong(db, filterSql, args) : 0);

  const pageWhere = [filterSql];
  if (settledOnly) pageWhere.push('p.open_ops = 0');
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    pageWhere.push('(p.created_at < @cAt OR (p.created_at = @cAt AND p.id < @cId))');
    args.cAt = c.createdAt;
    args.cId = c.id;
  }
  args.limit = f.limit + 1;
  const rows = stmt(
    db,
    `SELECT p.*, o.reference AS order_reference FROM payments p JOIN orders o ON o.id = p.order_id
     WHERE ${pageWhere.join(' AND ')} ORDER BY p.created_at DESC, p.id DESC LIMIT @limit`,
  ).all(args) as PaymentWithOrder[];
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => toSummary(r, now)),
    nextCursor: more && last ? encodeCursor(last.created_at, last.id) : null,
    total,
  };
}

/**
 * How many payments in flight match a filter: subtracted from a count over the stored status, so
 * that count stays a walk of one covering index (payments_status) and the few payments in flight
 * are read through their own partial index, never by a check on every row.
 */
function inFlightAmong(db: Db, filterSql: string, args: Record<string, string | number>): number {
  return (stmt(db, `SELECT COUNT(*) AS n FROM payments p INDEXED BY payments_unknown WHERE p.open_ops > 0 AND ${filterSql}`).get(args) as { n: number }).n;
}

/**
 * Open authorizations that lapse within EXPIRY_WARNING_MS: how many, and the first to lapse
 * (the expiry banner). Ordered by expires_at over the partial index payments_open_auth, so the
 * soonest is the soonest of all of them, however many there are.
 */
export function expiringSummary(db: Db, now: Date): { total: number; soonest: PaymentSummary | null } {
  const args = { now: now.toISOString(), soon: new Date(now.getTime() + EXPIRY_WARNING_MS).toISOString() };
  const where = `p.kind = 'authorization' AND p.status IN ('authorized', 'partially_captured') AND p.expires_at > @now AND p.expires_at <= @soon`;
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM payments p WHERE ${where}`).get(args) as { n: number }).n - inFlightAmong(db, where, args);
  const first = stmt(
    db,
    `SELECT p.*, o.reference AS order_reference FROM payments p JOIN orders o ON o.id = p.order_id
     WHERE ${where} AND p.open_ops = 0 ORDER BY p.expires_at, p.id LIMIT 1`,
  ).get(args) as PaymentWithOrder | undefined;
  return { total, soonest: first ? toSummary(first, now) : null };
}

/** A customer's recent orders and payments, newest first (for customers.get). */
export function customerHistory(db: Db, customerId: string, now: Date, limit = 20): { orders: Order[]; payments: PaymentSummary[] } {
  const orders = (stmt(db, 'SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?').all(customerId, limit) as OrderRow[]).map(toOrder);
  const payments = (
    stmt(
      db,
      `SELECT p.*, o.reference AS order_reference FROM payments p JOIN orders o ON o.id = p.order_id
       WHERE o.customer_id = ? ORDER BY p.created_at DESC LIMIT ?`,
    ).all(customerId, limit) as PaymentWithOrder[]
  ).map((p) => toSummary(p, now));
  return { orders, payments };
}
