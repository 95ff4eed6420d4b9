import { ContractError } from '../../../shared/contract';
import type { Handler, Handlers } from '../context';
import type { GuardRefusal, PaymentGuard } from './payment-guard';

/** Why the shop says no, as the contract's error: wait (server, grace), another desk's turn, or never here (a desk left). */
function refusal(d: GuardRefusal): ContractError {
  if (d.code === 'NOT_OURS_WHILE_UNREACHABLE' || d.code === 'WAIT_OFFLINE_GRACE') return new ContractError('SHOP_SERVER_UNREACHABLE', d.message);
  if (d.code === 'OWNER_LEFT' || d.code === 'NOT_OURS_LEFT_SHOP') return new ContractError('NOT_ALLOWED', d.message);
  return new ContractError('CONFLICT', d.message);
}

/** The channels that move money on an existing payment: asked of the shop before they run. */
export const GUARDED_CHANNELS = ['payments.capture', 'payments.void', 'payments.refund'] as const;

/**
 * Wraps capture, void and refund so that, in a shop, each runs only with the payment's lease (or
 * under the policy while the server is unreachable: docs/decisions/shop-money-semantics.md), and
 * gives the lease back (after pushing its result) when done. A single station (no guard) runs
 * them as before. Done around the handlers, so the payments feature itself does not change.
 *
 * Work the offline queue forwards later (and `sync.resolve` retries, which go back to it) and
 * the background resolver take the same lease through PaymentService.lease (backgroundLease).
 */
export function guardPaymentActions(handlers: Handlers, guard: () => PaymentGuard | null): Handlers {
  const out = { ...handlers };
  for (const ch of GUARDED_CHANNELS) {
    const inner = handlers[ch] as Handler<typeof ch>;
    const wrapped: Handler<typeof ch> = async (input, ctx) => {
      const g = guard();
      if (!g) return inner(input, ctx);
      const d = await g.acquire(input.paymentId);
      if (!d.allowed) throw refusal(d);
      try {
        return await inner(input, ctx);
      } finally {
        await d.release();
      }
    };
    (out as Record<string, unknown>)[ch] = wrapped;
  }
  out['orders.refund'] = guardOrderRefund(handlers, guard);
  return out;
}

/**
 * A refund of an order over its tenders (split tender) may touch each of its payments: it runs
 * with the lease of every tender that can still give money back, taken one by one and all given
 * back after; refused (nothing sent) when one cannot be had.
 */
function guardOrderRefund(handlers: Handlers, guard: () => PaymentGuard | null): Handler<'orders.refund'> {
  const inner = handlers['orders.refund'];
  const tenders = handlers['orders.tenders'];
  return async (input, ctx) => {
    const g = guard();
    if (!g) return inner(input, ctx);
    const of = await tenders({ orderId: input.orderId }, ctx);
    const ids = of.tenders.filter((t) => t.refundable > 0 && (input.paymentId === undefined || t.paymentId === input.paymentId)).map((t) => t.paymentId);
    const held: (() => Promise<void>)[] = [];
    try {
      for (const id of ids) {
        const d = await g.acquire(id);
        if (!d.allowed) throw refusal(d);
        held.push(d.release);
      }
      return await inner(input, ctx);
    } finally {
      for (const release of held.reverse()) await release();
    }
  };
}
