import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import { planOrderRefund } from '../../../shared/domain/tenders';
import type { CallerActor, Outcome, PaymentService } from './service';
import { orderTenders, type OrderTenders } from './tenders';

export interface OrderRefundOutput {
  parts: { paymentId: string; amount: number; outcome: Outcome; message: string }[];
  tenders: OrderTenders;
}

/**
 * orders.refund: the refund is shared among the tenders, the last tender first (or only the one
 * chosen); each part is an ordinary refund of that payment (its own maintenance_reference, its own
 * lock). The supervisor's approval, when the amount needs one, is checked once for the whole
 * amount. A part that is not approved stops the rest: nothing is sent on an earlier tender until
 * the clerk has seen it.
 */
export async function refundOrder(service: PaymentService, input: ParsedInputOf<'orders.refund'>, actor: CallerActor): Promise<OrderRefundOutput> {
  const { db, clock } = service.deps;
  const before = orderTenders(db, input.orderId, clock.now());
  if (input.paymentId !== undefined && !before.tenders.some((t) => t.paymentId === input.paymentId)) {
    throw new ContractError('NOT_FOUND', 'No such tender on this order.');
  }
  const plan = planOrderRefund(
    before.tenders.map((t) => ({ id: t.paymentId, refundable: t.refundable })),
    input.amount,
    input.paymentId,
  );
  if (!plan) {
    const most = input.paymentId === undefined ? before.refundable : (before.tenders.find((t) => t.paymentId === input.paymentId)?.refundable ?? 0);
    throw new ContractError('AMOUNT_EXCEEDS_CAPTURED', coreText('refuse.orderRefundTooMuch', { most: { amount: most, currency: before.currency } }));
  }
  let approvedBy: { supervisorId: string; supervisorName: string } | null = null;
  if (service.ports.refundNeedsApproval(service.deps, input.amount, actor.role)) {
    approvedBy = await service.ports.verifyApproval(service.deps, {
      supervisorId: input.approval?.supervisorId,
      pin: input.approval?.pin,
      requesterId: actor.id,
      target: before.orderReference,
      detail: `refund ${input.amount} ${before.currency} over ${plan.length} tender(s)`,
    });
  }
  const parts: OrderRefundOutput['parts'] = [];
  for (const part of plan) {
    const out = await service.refund(part.id, part.amount, input.reason, undefined, actor, { approvedBy });
    parts.push({ paymentId: part.id, amount: part.amount, outcome: out.outcome, message: out.message });
    if (out.outcome !== 'approved') break;
  }
  return { parts, tenders: orderTenders(db, input.orderId, clock.now()) };
}
