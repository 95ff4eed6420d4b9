/**
 * Split tender: one order paid by several tenders (payments), the one place the rules live
 * (docs/decisions/split-tender.md). The core computes every figure the screens show from these
 * functions; the screen never adds tenders up itself.
 *
 * A tender is one payment of the order. What it counts toward the order's total:
 * - cash: its amount (the change given back is not part of it);
 * - a card approved: what the gateway authorized, until the authorization lapses; after a lapse
 *   only what was captured (the bank released the rest);
 * - a card whose outcome is not known yet (sent, unknown, queued offline): its amount, "in doubt":
 *   it is never offered again, so money cannot move twice; the order is not paid meanwhile;
 * - declined or voided: nothing.
 * Refunds do not reopen an order: a refund is money given back after the sale, not a lack of payment.
 */

export interface TenderFacts {
  method: 'card' | 'cash';
  kind: 'purchase' | 'authorization' | 'cash';
  /** What this tender was asked for (minor units). */
  amount: number;
  authorized: number;
  captured: number;
  refunded: number;
  voided: boolean;
  declined: boolean;
  /** Operations whose outcome is not known yet (sent, unknown). */
  openOps: number;
  /** Operations waiting in the offline queue. */
  queued: number;
  expiresAt: string | null;
}

export type TenderStanding =
  /** Counts toward the total: `counted`. */
  | 'stands'
  /** Outcome not known yet: `amount` is held back from what remains. */
  | 'in_doubt'
  /** Declined, voided, or lapsed with nothing captured: counts nothing. */
  | 'void';

export interface TenderCount {
  standing: TenderStanding;
  /** What it counts toward the total (0 unless it stands). */
  counted: number;
  /** What it holds back while its outcome is unknown (0 unless in doubt). */
  held: number;
  /** Counted but not captured yet (an open authorization). */
  uncaptured: number;
}

export function countTender(t: TenderFacts, now: Date): TenderCount {
  if (t.declined || t.voided) return { standing: 'void', counted: 0, held: 0, uncaptured: 0 };
  if (t.method === 'cash') return { standing: 'stands', counted: t.amount, held: 0, uncaptured: 0 };
  // The charge itself is not known yet (sent, unknown, or queued offline).
  if (t.authorized === 0) {
    if (t.openOps > 0 || t.queued > 0) return { standing: 'in_doubt', counted: 0, held: t.amount, uncaptured: 0 };
    return { standing: 'void', counted: 0, held: 0, uncaptured: 0 };
  }
  const lapsed = t.kind === 'authorization' && t.expiresAt !== null && now.getTime() >= Date.parse(t.expiresAt);
  const counted = lapsed ? t.captured : t.authorized;
  if (counted === 0) return { standing: 'void', counted: 0, held: 0, uncaptured: 0 };
  return { standing: 'stands', counted, held: 0, uncaptured: Math.max(0, counted - t.captured) };
}

export type OrderPayState = 'awaiting_payment' | 'authorized' | 'paid';

export interface OrderCover {
  total: number;
  /** Sum of what the standing tenders count (never more than the total: see planTender). */
  counted: number;
  /** Sum held back by tenders whose outcome is not known yet. */
  inDoubt: number;
  /** What is left to tender: total − counted − inDoubt, never below zero. The one figure the screen shows. */
  remaining: number;
  covered: boolean;
  /** Paid when covered and nothing counted is an uncaptured authorization; authorized when covered by one; else awaiting payment. */
  state: OrderPayState;
}

export function orderCover(total: number, tenders: readonly TenderFacts[], now: Date): OrderCover {
  let counted = 0;
  let inDoubt = 0;
  let capturedAll = true;
  for (const t of tenders) {
    const c = countTender(t, now);
    counted += c.counted;
    inDoubt += c.held;
    // As before split tender: an authorization partly captured makes the order paid; one with nothing captured, authorized.
    if (c.standing === 'stands' && t.method === 'card' && t.captured === 0) capturedAll = false;
  }
  const covered = counted >= total;
  const remaining = Math.max(0, total - counted - inDoubt);
  const state: OrderPayState = !covered || inDoubt > 0 ? 'awaiting_payment' : capturedAll ? 'paid' : 'authorized';
  return { total, counted, inDoubt, remaining, covered: covered && inDoubt === 0, state };
}

export type TenderRefusal = { ok: false; code: 'CONFLICT' | 'VALIDATION'; reason: string; field?: 'amount' | 'tendered'; fieldMessage?: string };
export type TenderPlan = { ok: true; amount: number; tendered: number | null; change: number | null };

/**
 * What a new tender records, or why it is refused (nothing is written then). `amount`: what the
 * clerk asked for (default: what remains). A card above what remains is refused; cash above what
 * remains is taken as cash tendered with change (the applied amount is what remains).
 */
export function planTender(
  cover: Pick<OrderCover, 'remaining' | 'inDoubt'>,
  req: { method: 'card' | 'cash'; amount?: number | undefined; tendered?: number | undefined },
): TenderPlan | TenderRefusal {
  if (cover.remaining <= 0) {
    return cover.inDoubt > 0
      ? { ok: false, code: 'CONFLICT', reason: 'A payment of this order is still being checked: wait for its outcome before taking another tender.' }
      : { ok: false, code: 'CONFLICT', reason: 'This order already has a payment: capture, void or refund it instead.' };
  }
  const asked = req.amount ?? cover.remaining;
  if (!Number.isSafeInteger(asked) || asked <= 0) return { ok: false, code: 'VALIDATION', reason: 'The amount must be more than zero.', field: 'amount', fieldMessage: 'Amount must be more than zero' };
  if (req.method === 'card') {
    if (asked > cover.remaining) return { ok: false, code: 'VALIDATION', reason: 'The amount is more than what remains to pay on this order.', field: 'amount', fieldMessage: 'More than what remains' };
    return { ok: true, amount: asked, tendered: null, change: null };
  }
  const amount = Math.min(asked, cover.remaining);
  const tendered = Math.max(req.tendered ?? asked, asked);
  if (req.tendered !== undefined && req.tendered < amount) {
    return { ok: false, code: 'VALIDATION', reason: 'The cash tendered is less than the total.', field: 'tendered', fieldMessage: 'Less than the total' };
  }
  return { ok: true, amount, tendered, change: tendered - amount };
}

export interface RefundableTender {
  id: string;
  /** Refundable now: captured − refunded, after queued refunds. */
  refundable: number;
}

/**
 * How a refund of `amount` on the order is shared among its tenders: by default the last tender
 * first, then the one before (`tenders` in the order they were taken); or only the chosen tender.
 * Returns null when the tenders cannot give back that much.
 */
export function planOrderRefund(tenders: readonly RefundableTender[], amount: number, chosen?: string): { id: string; amount: number }[] | null {
  if (!Number.isSafeInteger(amount) || amount <= 0) return null;
  const pool = chosen === undefined ? [...tenders].reverse() : tenders.filter((t) => t.id === chosen);
  const parts: { id: string; amount: number }[] = [];
  let left = amount;
  for (const t of pool) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, t.refundable));
    if (take > 0) parts.push({ id: t.id, amount: take });
    left -= take;
  }
  return left === 0 ? parts : null;
}
