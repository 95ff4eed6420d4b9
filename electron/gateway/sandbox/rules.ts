import type { MessageCode } from './codes';
import type { CardBehaviour } from './cards';
import type { OrderRow } from './store';
import type { SandboxOrderStatus } from './types';

/**
 * The business rules of docs/aps-gateway.md §4 and §10 as pure functions of an order's state.
 * Amounts are integer minor units throughout.
 */

/** Capture and void are allowed for 7 days after the authorization ([NEW-CAPTURE], [NEW-VOID]). */
export const AUTHORIZATION_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

export type Decision = { ok: true } | { ok: false; message: MessageCode };

const refuse = (message: MessageCode): Decision => ({ ok: false, message });
const OK: Decision = { ok: true };

/**
 * Magic amounts (simulator-only; APS documents none, UNCONFIRMED #6): the last three digits of
 * the amount in minor units pick the outcome, so they work the same for USD 10.29, JPY 1029 and
 * KWD 1.029.
 */
export const MAGIC_SUFFIX = {
  INSUFFICIENT_FUNDS: 29, // ...029 → x3029 Insufficient funds
  CARD_EXPIRED: 12, // ...012 → x3012 Card expired
  DECLINED: 666, // ...666 → x3666 Transaction declined (also declines CAPTURE 05666 and REFUND 07666)
  UNCERTAIN: 777, // ...777 → 15777 Uncertain; the charge IS made, CHECK_STATUS shows the success
} as const;

const suffix = (amount: number): number => amount % 1000;

export function isAuthorizationExpired(order: Pick<OrderRow, 'command' | 'created_at_ms'>, nowMs: number): boolean {
  return order.command === 'AUTHORIZATION' && nowMs - order.created_at_ms > AUTHORIZATION_VALIDITY_MS;
}

export type ChargeOutcome = { kind: 'approve' } | { kind: 'uncertain' } | { kind: 'decline'; message: MessageCode };

/** The outcome of AUTHORIZATION / PURCHASE: the token's card first, then the magic amounts. */
export function decideCharge(amount: number, behaviour: CardBehaviour, cardExpired: boolean): ChargeOutcome {
  if (behaviour === 'insufficient_funds') return { kind: 'decline', message: '029' };
  if (behaviour === 'declined') return { kind: 'decline', message: '666' };
  if (behaviour === 'expired' || cardExpired) return { kind: 'decline', message: '012' };
  switch (suffix(amount)) {
    case MAGIC_SUFFIX.INSUFFICIENT_FUNDS:
      return { kind: 'decline', message: '029' };
    case MAGIC_SUFFIX.CARD_EXPIRED:
      return { kind: 'decline', message: '012' };
    case MAGIC_SUFFIX.DECLINED:
      return { kind: 'decline', message: '666' };
    case MAGIC_SUFFIX.UNCERTAIN:
      return { kind: 'uncertain' };
    default:
      return { kind: 'approve' };
  }
}

function closed(order: OrderRow): boolean {
  return order.declined === 1 || order.voided === 1;
}

export function decideCapture(order: OrderRow, amount: number, currency: string, nowMs: number): Decision {
  if (closed(order) || order.command !== 'AUTHORIZATION') return refuse('034');
  // Capture needs the order authorized or captured (transaction status 02/04, docs/aps-gateway.md §10);
  // after a refund it is not, so the uncaptured rest can only lapse.
  if (order.refunded_amount > 0) return refuse('034');
  if (isAuthorizationExpired(order, nowMs)) return refuse('773');
  if (currency !== order.currency) return refuse('013');
  if (amount <= 0) return refuse('005');
  if (order.captured_amount + amount > order.authorized_amount) return refuse('042');
  if (suffix(amount) === MAGIC_SUFFIX.DECLINED) return refuse('666');
  return OK;
}

export function decideVoid(order: OrderRow, nowMs: number): Decision {
  if (closed(order) || order.command !== 'AUTHORIZATION') return refuse('034');
  if (order.captured_amount > 0) return refuse('034');
  if (isAuthorizationExpired(order, nowMs)) return refuse('773');
  return OK;
}

export function decideRefund(order: OrderRow, amount: number, currency: string): Decision {
  if (closed(order) || order.captured_amount === 0) return refuse('034');
  if (currency !== order.currency) return refuse('013');
  if (amount <= 0) return refuse('005');
  if (order.refunded_amount + amount > order.captured_amount) return refuse('048');
  if (suffix(amount) === MAGIC_SUFFIX.DECLINED) return refuse('666');
  return OK;
}

export function orderStatus(order: OrderRow): SandboxOrderStatus {
  if (order.declined) return 'declined';
  if (order.voided) return 'voided';
  if (order.refunded_amount > 0) return order.refunded_amount === order.captured_amount ? 'refunded' : 'partially_refunded';
  if (order.captured_amount > 0) return order.captured_amount === order.authorized_amount ? 'captured' : 'partially_captured';
  return 'authorized';
}
