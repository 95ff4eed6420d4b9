import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText, englishText } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { immediateCommit, type Committer } from '../ledger/sql';
import { getOrderRow, refreshOrderStatus } from '../orders';
import { audit, type Actor } from '../ledger/audit-entry';
import { baseChargeRow, cardOnFileRow, cashRow, hostedCardRow } from './charge-row';
import { checkOfflineChargeLimits } from './offline-limits';
import { appendOperation } from './operation-log';
import { insertPayment, paymentsOfOrder, updatePayment, type PaymentRow } from './payments-repo';
import type { Ports } from '../ports';
import { assertTendersWithinTotal, planChargeTender } from './tenders';

/** What the charge wrote: cash (done), queued (offline), or a card operation SENT on disk and to be sent now. */
export type ChargeRecord = { kind: 'cash'; payment: PaymentRow } | { kind: 'queued'; payment: PaymentRow } | { kind: 'sent'; payment: PaymentRow; opId: string };

/**
 * The charge's write-ahead record: validation, the payment row, its first operation and the audit
 * entry are one synchronous transaction, so no other call can slip in between the "no live
 * payment" check and the new payment row, and a refusal writes nothing. A card operation is
 * inserted as SENT: its reference is on disk (synchronous=FULL) before the first network attempt
 * (operation-log.ts).
 */
export function recordCharge(
  deps: CoreDeps,
  ports: Ports,
  input: ParsedInputOf<'payments.charge'>,
  actor: Actor,
  eci: 'MOTO' | 'RECURRING',
  queue: boolean,
  now: Date,
  commit: Committer = immediateCommit(deps.db),
): Promise<ChargeRecord> {
  const { db } = deps;
  const at = now.toISOString();
  // A savepoint of the caller's group commit (a bill run) or a transaction of its own.
  return commit((): ChargeRecord => {
    const order = getOrderRow(db, input.orderId);
    if (!order) throw new ContractError('NOT_FOUND', 'No such order.');
    if (order.status === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.orderCancelled'));
    const attempt = paymentsOfOrder(db, order.id).length + 1;
    const src = input.source;
    // Split tender (payments/tenders.ts): this tender's amount, default what remains; refused when nothing remains.
    const tender = planChargeTender(db, order, { method: src.kind === 'cash' ? 'cash' : 'card', amount: input.amount, tendered: src.kind === 'cash' ? src.tendered : undefined }, now);
    const base = baseChargeRow(deps, ports, order, attempt, input, tender, actor, eci, at);
    if (src.kind === 'cash') {
      const row = cashRow(base, tender, at);
      insertPayment(db, row);
      appendOperation(db, { paymentId: row.id, type: 'cash_sale', amount: tender.amount, reference: row.reference, state: 'succeeded', userId: actor.id, userName: actor.name, message: englishText(coreText('note.cashReceived')) }, at);
      assertTendersWithinTotal(db, order.id, now);
      refreshOrderStatus(db, order.id, at);
      audit(deps, ports, actor, 'payments.cash_sale', row.reference, 'success', `cash ${tender.amount} ${order.currency} tendered ${tender.tendered}`);
      return { kind: 'cash', payment: row };
    }
    const row = src.kind === 'card_on_file' ? cardOnFileRow(deps, base, order, src.cardId, eci, now) : hostedCardRow(db, base, order, src, now, at);
    const accounts = deps.accounts;
    if (accounts && row.gateway_account === accounts.activeAccount()) accounts.checkCurrency(row.currency);
    if (queue) checkOfflineChargeLimits(db, deps.settings.get(), tender.amount, order.currency, now);
    insertPayment(db, row);
    assertTendersWithinTotal(db, order.id, now);
    const type = input.mode === 'authorize' ? 'authorize' : 'purchase';
    const op = appendOperation(db, { paymentId: row.id, type, amount: tender.amount, reference: row.reference, state: queue ? 'queued' : 'sent', userId: actor.id, userName: actor.name, ...(queue ? { message: englishText(coreText('note.waitingGateway')) } : {}) }, at);
    updatePayment(db, row.id, {}, at);
    if (queue) {
      audit(deps, ports, actor, `payments.${type}`, row.reference, 'success', `${type} ${tender.amount} ${order.currency} card on file queued (gateway offline)`);
      return { kind: 'queued', payment: row };
    }
    return { kind: 'sent', payment: row, opId: op.id };
  });
}
