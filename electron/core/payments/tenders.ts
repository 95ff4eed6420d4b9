import type { z } from 'zod';
import type { OrderTendersSchema } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';
import { paymentBalance } from '../../../shared/domain/payment-balance';
import { paymentStatus } from '../../../shared/domain/payment-state';
import { countTender, orderCover, planTender, type TenderFacts, type TenderPlan } from '../../../shared/domain/tenders';
import type { Db } from '../db/database';
import { getOrderRow, type OrderRow } from '../orders';
import { queuedOf } from './operation-log';
import { paymentsOfOrder, totalsOf, type PaymentRow } from './payments-repo';

// Split tender in the core (docs/decisions/split-tender.md): reads an order's payments as tenders
// and applies the rules of shared/domain/tenders.ts. Kept out of service.ts on purpose: the charge
// only asks `planChargeTender` what to record and `assertTendersWithinTotal` after recording it.
// The refund of an order over its tenders is in order-refund.ts (it calls the service).

export type OrderTenders = z.output<typeof OrderTendersSchema>;

export function tenderFacts(p: PaymentRow): TenderFacts {
  return {
    method: p.method,
    kind: p.kind,
    amount: p.amount,
    authorized: p.authorized,
    captured: p.captured,
    refunded: p.refunded,
    voided: p.voided === 1,
    declined: p.declined === 1,
    openOps: p.open_ops,
    queued: p.queued,
    expiresAt: p.expires_at,
  };
}

/** The attempt number in the payment reference ("…-P3" → 3): the order tenders were taken in, even within one millisecond. */
function seqOf(reference: string): number {
  const m = /-P(\d+)$/.exec(reference);
  return m ? Number(m[1]) : 0;
}

/** The order's payments in the order they were taken. */
export function tendersOf(db: Db, orderId: string): PaymentRow[] {
  return paymentsOfOrder(db, orderId).sort((a, b) => a.created_at.localeCompare(b.created_at) || seqOf(a.reference) - seqOf(b.reference));
}

function requireOrder(db: Db, orderId: string): OrderRow {
  const order = getOrderRow(db, orderId);
  if (!order) throw new ContractError('NOT_FOUND', 'No such order.');
  return order;
}

export function orderTenders(db: Db, orderId: string, now: Date): OrderTenders {
  const order = requireOrder(db, orderId);
  const rows = tendersOf(db, orderId);
  const cover = orderCover(order.total, rows.map(tenderFacts), now);
  let refundable = 0;
  const tenders = rows.map((p) => {
    const c = countTender(tenderFacts(p), now);
    const r = paymentBalance(totalsOf(p), queuedOf(db, p.id), now).refundable;
    refundable += r;
    return {
      paymentId: p.id,
      reference: p.reference,
      method: p.method,
      kind: p.kind,
      brand: p.brand,
      last4: p.last4,
      amount: p.amount,
      tendered: p.method === 'cash' ? (p.tendered ?? p.amount) : null,
      change: p.method === 'cash' ? (p.change_due ?? 0) : null,
      captured: p.captured,
      refunded: p.refunded,
      refundable: r,
      status: paymentStatus(totalsOf(p), now),
      standing: c.standing,
      counted: c.counted,
      held: c.held,
      createdAt: p.created_at,
    };
  });
  return {
    orderId: order.id,
    orderReference: order.reference,
    currency: order.currency,
    total: order.total,
    counted: cover.counted,
    inDoubt: cover.inDoubt,
    remaining: cover.remaining,
    covered: cover.covered,
    state: cover.state,
    orderStatus: order.status,
    tenders,
    refundable,
  };
}

/**
 * Inside the charge's transaction, before anything is written: what this tender records (its
 * amount; cash tendered and change), or a ContractError that leaves everything as it was.
 */
export function planChargeTender(
  db: Db,
  order: OrderRow,
  req: { method: 'card' | 'cash'; amount?: number | undefined; tendered?: number | undefined },
  now: Date,
): Extract<TenderPlan, { ok: true }> {
  const cover = orderCover(order.total, paymentsOfOrder(db, order.id).map(tenderFacts), now);
  const plan = planTender(cover, req);
  if (!plan.ok) throw new ContractError(plan.code, plan.reason, plan.field ? { [plan.field]: plan.fieldMessage ?? plan.reason } : undefined);
  return plan;
}

/**
 * The invariant, asserted in the charge's transaction after the new tender is written: what the
 * tenders count and hold never exceeds the order's total (cash change is not counted). A breach is a
 * bug: it throws and the transaction rolls back, so nothing is sent.
 */
export function assertTendersWithinTotal(db: Db, orderId: string, now: Date): void {
  const order = requireOrder(db, orderId);
  const cover = orderCover(order.total, paymentsOfOrder(db, orderId).map(tenderFacts), now);
  if (cover.counted + cover.inDoubt > order.total) {
    throw new Error(`split tender invariant: order ${order.reference} tenders ${cover.counted} + ${cover.inDoubt} in doubt > total ${order.total}`);
  }
}
