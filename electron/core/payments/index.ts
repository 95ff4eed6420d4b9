import { CardService } from '../cards';
import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { OrderService } from '../orders';
import { paymentHandlers } from './handlers';
import { HostedCards } from './hosted';
import { defaultPorts } from '../default-ports';
import type { Ports } from '../ports';
import { recoverAll, type RecoveryReport } from './recovery';
import { PaymentService, type PaymentServiceOptions } from './service';

export type { RecoveryReport } from './recovery';
export { PaymentService } from './service';
export type { Ports } from '../ports';
export { customerHistory, listPayments, paymentDetail } from './queries';

export interface PaymentsFeature {
  handlers: PartialHandlers;
  /** For the web endpoint / Electron interceptor that receives the hosted card page's return. */
  acceptHostedReturn(params: Record<string, string>): Promise<{ sessionId: string | null; ok: boolean; message: string }>;
  /** Start-up sweep: run once after the ledger opens, before serving the screen. */
  recover(): Promise<RecoveryReport>;
  service: PaymentService;
  /** Orders (recurring schedules create the order of each period through it). */
  orders: OrderService;
  /** Stops background resolution (unfinished work stays in the log for the next start). */
  close(): Promise<void>;
}

export interface PaymentsFeatureOptions extends PaymentServiceOptions {
  /** Replace collaborators of other features (tests). */
  ports?: Partial<Ports>;
}

/** Orders, payments, cards on file and hosted card sessions, built from the core's deps. */
export function createPaymentsFeature(deps: CoreDeps, opts: PaymentsFeatureOptions = {}): PaymentsFeature {
  const ports: Ports = { ...defaultPorts, ...opts.ports };
  const service = new PaymentService(deps, ports, opts);
  const orders = new OrderService(deps, ports);
  const cards = new CardService(deps, ports);
  const hosted = new HostedCards(deps, ports);
  return {
    handlers: paymentHandlers({ payments: service, orders, cards, hosted }),
    acceptHostedReturn: (params) => hosted.acceptReturn(params),
    recover: () => recoverAll(service),
    service,
    orders,
    close: () => service.close(),
  };
}

// For the other features (their only way in: this file).
export { appendOperation, getOperation, markSent, nextQueuedOf, queuedOf, refusedForwarded, toOperation, type OperationRow } from './operation-log';
export type { OpResult } from './executor';
export { moveOperation } from './operation-states';
export { effectiveTotals, getPaymentRow, getPaymentWithOrder, insertPayment, paymentsOfOrder, totalsOf, updatePayment, type PaymentRow } from './payments-repo';
export { reconcilePayment } from './reconcile';
export { type CallerActor, type OfflineGate } from './service';
