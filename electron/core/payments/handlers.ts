import { ContractError, coreText } from '../../../shared/contract';
import type { CardService } from '../cards';
import type { CallContext, PartialHandlers } from '../context';
import type { OrderService } from '../orders';
import type { HostedCards } from './hosted';
import { expiringSummary, listPayments } from './queries';
import type { CallerActor, PaymentService } from './service';
import { refundOrder } from './order-refund';
import { orderTenders } from './tenders';

function caller(ctx: CallContext): CallerActor {
  // The dispatcher checked minRole; a missing user here is a wiring bug, reported as such.
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return { id: ctx.user.id, name: ctx.user.name, role: ctx.user.role };
}

/** The contract channels of orders, payments and cards on file, over the services. */
export function paymentHandlers(s: { payments: PaymentService; orders: OrderService; cards: CardService; hosted: HostedCards }): PartialHandlers {
  const { payments, orders, cards, hosted } = s;
  return {
    'orders.create': (input, ctx) => orders.create(input, caller(ctx)),
    'orders.get': (input) => orders.get(input.id),
    'orders.cancel': (input, ctx) => {
      caller(ctx);
      return orders.cancel(input.id);
    },
    'orders.tenders': (input) => orderTenders(payments.deps.db, input.orderId, payments.deps.clock.now()),
    'orders.refund': (input, ctx) => refundOrder(payments, input, caller(ctx)),
    'payments.hostedForm': async (input, ctx) => {
      const who = caller(ctx);
      // No keyed card entry while offline (DESIGN "Card data"): the order stays awaiting payment.
      if (!(await payments.offline.ensureOnline())) {
        throw new ContractError('OFFLINE_NEW_CARD', coreText('refuse.offlineNewCard'));
      }
      return hosted.form(input, who);
    },
    'payments.hostedResult': (input) => hosted.result(input.sessionId),
    'payments.charge': (input, ctx) => payments.charge(input, caller(ctx)),
    'payments.capture': (input, ctx) => payments.capture(input.paymentId, input.amount, caller(ctx)),
    'payments.void': (input, ctx) => payments.void(input.paymentId, input.reason, caller(ctx)),
    'payments.refund': (input, ctx) => payments.refund(input.paymentId, input.amount, input.reason, input.approval, caller(ctx)),
    'payments.checkStatus': (input, ctx) => payments.checkStatus(input.paymentId, caller(ctx)),
    'payments.list': (input) => listPayments(payments.deps.db, input, payments.deps.clock.now()),
    'payments.expiringSummary': () => expiringSummary(payments.deps.db, payments.deps.clock.now()),
    'payments.get': (input) => payments.detail(input.paymentId),
    'cards.deactivate': (input, ctx) => cards.deactivate(input.cardId, caller(ctx)),
    'cards.updateExpiry': (input, ctx) => cards.updateExpiry(input.cardId, input.expiry, caller(ctx)),
  };
}
