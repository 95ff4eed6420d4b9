import type { z } from 'zod';
import type { CardSchema, ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText, englishText, type CoreText } from '../../../shared/contract';
import { allowedAction, checkAmount, type ActionVerdict } from '../../../shared/domain/payment-state';
import type { Role } from '../../../shared/domain/roles';
import { usableCard } from '../cards/card-service';
import { getCardRow, toCard } from '../cards/cards-repo';
import type { CoreDeps } from '../deps';
import { getOrderRow, refreshOrderStatus } from '../orders/orders-repo';
import { audit, SYSTEM_ACTOR, type Actor } from './audit';
import { NO_EMAIL, OperationRunner, type OpResult } from './executor';
import { markSessionUsed, usableSession } from './hosted-sessions';
import { BackgroundResolver } from './background-resolver';
import { checkOfflineChargeLimits } from './offline-limits';
import { KeyedMutex } from './mutex';
import { appendOperation, queuedOf, unfinishedOf } from './operation-log';
import { effectiveTotals, getPaymentRow, getPaymentWithOrder, insertPayment, paymentsOfOrder, storedStatus, toSummary, totalsOf, updatePayment, type PaymentRow, type PaymentSummary } from './payments-repo';
import type { Ports } from './ports';
import { paymentDetail, type PaymentDetail } from './queries';
import { reconcilePayment } from './reconcile';
import { paymentReference, refundReference } from './references';
import { immediateCommit, newId, tx, type Committer } from '../ledger/sql';
import { assertTendersWithinTotal, planChargeTender } from './tenders';
import { accountParam, EMBEDDED_ACCOUNT } from '../gateway-accounts/model';

/** How a maintenance operation's writes are committed (see capture). */
export interface MaintenanceOptions {
  commit?: Committer;
}

export interface CallerActor extends Actor {
  role: Role;
}

export type Outcome = 'approved' | 'declined' | 'unknown' | 'queued';

export interface ChargeOutput {
  outcome: Outcome;
  message: string;
  text?: CoreText;
  payment: PaymentSummary;
  cardSaved: z.output<typeof CardSchema> | null;
  change: number | null;
}

export interface OperationOutput {
  outcome: Outcome;
  message: string;
  text?: CoreText;
  detail: PaymentDetail;
}

/**
 * What the payment service needs from the offline queue (electron/core/sync). Without one the
 * service behaves as always online (tests of the payment core alone).
 */
export interface OfflineGate {
  /** False when the gateway is known to be down; may probe first when the last contact is stale. */
  ensureOnline(): Promise<boolean>;
  /** Queued work changed: publish the status and wake the forwarder. */
  queueChanged(): void;
}

export const ALWAYS_ONLINE: OfflineGate = { ensureOnline: () => Promise.resolve(true), queueChanged: () => undefined };

/**
 * In a shop, work this station does on a payment in the background (the offline queue's
 * forwarder, the background resolver, which may re-send) runs only under the payment's lease, as
 * live capture, void and refund do (shop/payment-guard.ts; docs/decisions/shop-money-semantics.md).
 */
export interface PaymentLease {
  /** A grant to give back when done, or null: not now (another desk works on it, or the shop's policy says wait). */
  take(paymentId: string): Promise<{ release(): Promise<void> } | null>;
}

/** A single station: nothing to coordinate with. */
export const NO_SHOP_LEASE: PaymentLease = { take: () => Promise.resolve({ release: () => Promise.resolve() }) };

export interface PaymentServiceOptions {
  /** Connectivity and the forwarder; default: always online. */
  offline?: OfflineGate;
  /** Delays between background resolutions of an UNKNOWN outcome; after the last, it waits for checkStatus or the next start. */
  retryDelaysMs?: readonly number[];
  /** See OperationRunner: how old a capture attempt must be before "not found" allows a resend. */
  captureResendGraceMs?: number;
}

/**
 * The first commit of a live capture, void or refund (run inside the caller's committer): the
 * operation inserted SENT and the payment's counters refreshed. Exported so that the bench times
 * this very code (bench/suites/core.ts, durable commits).
 */
export function startLiveOperation(
  db: CoreDeps['db'],
  paymentId: string,
  type: 'capture' | 'void' | 'refund',
  amount: number | null,
  reference: string,
  actor: Actor,
  extra: { reason?: string | null; approvedBy?: string | null; approvedByName?: string | null },
  at: string,
): string {
  const op = appendOperation(db, { paymentId, type, amount, reference, state: 'sent', userId: actor.id, userName: actor.name, ...extra }, at);
  updatePayment(db, paymentId, {}, at);
  return op.id;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

const APS_EMAIL = /^[A-Za-z0-9_.+-]+@[A-Za-z0-9_.-]+$/;

function toOutcome(state: OpResult['state']): Outcome {
  return state === 'succeeded' ? 'approved' : state;
}

const QUEUED_CHARGE_MESSAGE = englishText(coreText('outcome.chargeQueued'));

/** Capture, void and refund offline only on payments the gateway already approved. */
function requireKnownToGateway(p: PaymentRow): void {
  if (p.method === 'card' && p.authorized === 0) throw new ContractError('NOT_ALLOWED', coreText('rule.notApprovedYet'));
}

function refuse(v: ActionVerdict): void {
  if (!v.allowed) throw new ContractError(v.code, v.text);
}

/**
 * The payment service: charges (card on file, hosted card, cash), capture, void, refund, check
 * status, and the background resolution of unknown outcomes. All changes of one payment run under
 * that payment's mutex; rules from shared/domain/payment-state are checked before anything is
 * written or sent, so a refusal changes nothing.
 */
export class PaymentService {
  readonly mutex = new KeyedMutex();
  readonly runner: OperationRunner;
  offline: OfflineGate;
  /** Set by the shop feature when this station is in a shop. */
  lease: PaymentLease = NO_SHOP_LEASE;
  private readonly resolver: BackgroundResolver;

  constructor(
    readonly deps: CoreDeps,
    readonly ports: Ports,
    opts: PaymentServiceOptions = {},
  ) {
    this.runner = new OperationRunner(deps, ports, opts.captureResendGraceMs);
    // Not leased now: still unknown for the resolver, which tries again later (then the forwarder or the next start does).
    this.resolver = new BackgroundResolver(this.mutex, (paymentId) => this.underLease(paymentId, () => this.resolveUnfinished(paymentId), { stillUnknown: true, resolved: 0, resent: 0, message: '' }), opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS, deps.log, deps.clock);
    this.offline = opts.offline ?? ALWAYS_ONLINE;
  }

  /**
   * Whether a maintenance operation on this payment goes to the offline queue instead of the wire:
   * when the gateway is down, and also when the payment already has queued work (it goes out in
   * order, after what is waiting).
   */
  private async mustQueue(p: PaymentRow): Promise<boolean> {
    if (p.method !== 'card') return false;
    if (p.queued > 0) return true;
    return !(await this.offline.ensureOnline());
  }

  private queueOperation(
    p: PaymentRow,
    type: 'capture' | 'void' | 'refund',
    amount: number | null,
    reference: string,
    actor: Actor,
    extra: { reason?: string | null; approvedBy?: string | null; approvedByName?: string | null },
  ): OperationOutput {
    const at = this.now().toISOString();
    tx(this.deps.db, () => {
      appendOperation(this.deps.db, { paymentId: p.id, type, amount, reference, state: 'queued', userId: actor.id, userName: actor.name, ...extra }, at);
      updatePayment(this.deps.db, p.id, {}, at);
      const approved = extra.approvedByName ? `; approved by ${extra.approvedByName}` : '';
      const why = extra.reason ? `; reason: ${extra.reason}` : '';
      audit(this.deps, this.ports, actor, `payments.${type}`, p.reference, 'success', `${type}${amount !== null ? ` ${amount} ${p.currency}` : ''} ref ${reference} queued (gateway offline)${approved}${why}`.slice(0, 500));
    });
    this.offline.queueChanged();
    const what = type === 'capture' ? 'Capture' : type === 'void' ? 'Void' : 'Refund';
    return { outcome: 'queued', message: `${what} queued: the gateway cannot be reached. It is sent once, automatically, when the station is back online.`, detail: this.detail(p.id) };
  }

  /** Rules against the totals the payment will have after its queued work (two queued refunds never exceed captured). */
  private totalsWithQueue(p: PaymentRow) {
    return effectiveTotals(p, queuedOf(this.deps.db, p.id));
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  private load(paymentId: string): PaymentRow {
    const p = getPaymentRow(this.deps.db, paymentId);
    if (!p) throw new ContractError('NOT_FOUND', 'No such payment.');
    return p;
  }

  /** Every later operation goes to the payment's own account; if it is gone, nothing is sent anywhere. */
  private requireAccount(p: PaymentRow): void {
    if (p.method !== 'card') return;
    const why = this.deps.accounts?.refusal(p.gateway_account);
    if (why) throw new ContractError('NOT_ALLOWED', why);
  }

  detail(paymentId: string): PaymentDetail {
    return paymentDetail(this.deps.db, paymentId, this.now());
  }

  // --- charge -----------------------------------------------------------------------------

  /**
   * `opts.eci`: RECURRING for merchant-initiated repeat charges (recurring schedules); default MOTO.
   * `opts.commit`: how the charge's writes are committed, as for capture (a bill run's group commit).
   */
  async charge(input: ParsedInputOf<'payments.charge'>, actor: Actor, opts: { eci?: 'MOTO' | 'RECURRING' } & MaintenanceOptions = {}): Promise<ChargeOutput> {
    const { db } = this.deps;
    // Offline (DESIGN "Offline-first"): a new card is refused; a card on file only within the
    // admin's offline-charge limits, queued and shown as not yet approved by the bank.
    let queueCharge = false;
    // A currency the account does not take is refused first, online or not: waiting cannot fix it.
    const pending = input.source.kind === 'new_card' ? getOrderRow(db, input.orderId) : undefined;
    if (pending) this.deps.accounts?.checkCurrency(pending.currency);
    if (input.source.kind !== 'cash' && !(await this.offline.ensureOnline())) {
      if (input.source.kind === 'new_card') {
        throw new ContractError('OFFLINE_NEW_CARD', coreText('refuse.offlineNewCard'));
      }
      if (!this.deps.settings.get().offlineCharges.enabled) {
        throw new ContractError('GATEWAY_UNREACHABLE', coreText('refuse.offlineChargesOff'));
      }
      queueCharge = true;
    }
    const now = this.now();
    const at = now.toISOString();
    // Validation and the two inserts are one synchronous transaction (a savepoint of a group
    // commit): no other call can slip in between the "no live payment" check and the new payment row.
    const created = await this.committer(opts)(() => {
      const order = getOrderRow(db, input.orderId);
      if (!order) throw new ContractError('NOT_FOUND', 'No such order.');
      if (order.status === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.orderCancelled'));
      const previous = paymentsOfOrder(db, order.id);
      // Split tender (payments/tenders.ts): this tender's amount, default what remains; refused when nothing remains.
      const src0 = input.source;
      const tender = planChargeTender(db, order, { method: src0.kind === 'cash' ? 'cash' : 'card', amount: input.amount, tendered: src0.kind === 'cash' ? src0.tendered : undefined }, now);
      const customer = order.customer_id ? this.ports.getCustomer(db, order.customer_id) : null;
      const base: PaymentRow = {
        id: newId('pay'),
        order_id: order.id,
        reference: paymentReference(order.reference, previous.length + 1),
        method: 'card',
        kind: input.mode === 'authorize' ? 'authorization' : 'purchase',
        eci: opts.eci ?? 'MOTO',
        currency: order.currency,
        amount: tender.amount,
        authorized: 0,
        captured: 0,
        refunded: 0,
        voided: 0,
        declined: 0,
        open_ops: 0,
        queued: 0,
        status: 'pending',
        fort_id: null,
        card_id: null,
        hosted_session_id: null,
        token_name: null,
        save_card: 0,
        saved_card_id: null,
        brand: null,
        last4: null,
        expiry: null,
        holder_name: null,
        customer_id: order.customer_id,
        customer_name: order.customer_name,
        customer_email: customer?.email && APS_EMAIL.test(customer.email) ? customer.email : NO_EMAIL,
        authorization_code: null,
        tendered: null,
        change_due: null,
        refund_seq: 0,
        created_at: at,
        authorized_at: null,
        expires_at: null,
        created_by: actor.id,
        updated_at: at,
        gateway_account: this.deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT,
      };
      const src = input.source;
      if (src.kind === 'cash') {
        const row: PaymentRow = { ...base, method: 'cash', kind: 'cash', eci: null, customer_email: null, authorized: tender.amount, captured: tender.amount, authorized_at: at, tendered: tender.tendered, change_due: tender.change };
        row.status = storedStatus(row);
        insertPayment(db, row);
        appendOperation(db, { paymentId: row.id, type: 'cash_sale', amount: tender.amount, reference: row.reference, state: 'succeeded', userId: actor.id, userName: actor.name, message: englishText(coreText('note.cashReceived')) }, at);
        assertTendersWithinTotal(db, order.id, now);
        refreshOrderStatus(db, order.id, at);
        audit(this.deps, this.ports, actor, 'payments.cash_sale', row.reference, 'success', `cash ${tender.amount} ${order.currency} tendered ${tender.tendered}`);
        return { payment: row, opId: null as string | null };
      }
      let row: PaymentRow;
      if (src.kind === 'card_on_file') {
        const card = usableCard(db, src.cardId, now);
        if (order.customer_id && card.customer_id !== order.customer_id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
        // A token belongs to the account that made it: charged there or nowhere (a sandbox token never goes to production).
        if (opts.eci !== 'RECURRING' && card.gateway_account !== base.gateway_account) {
          throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherAccount', { saved: accountParam(card.gateway_account), active: accountParam(base.gateway_account) }));
        }
        const why = this.deps.accounts?.refusal(card.gateway_account);
        if (why) throw new ContractError('NOT_ALLOWED', why);
        row = { ...base, gateway_account: card.gateway_account, card_id: card.id, token_name: card.token_name, brand: card.brand, last4: card.last4, expiry: card.expiry, holder_name: card.holder_name };
      } else {
        const s = usableSession(db, src.handle, now);
        if (s.gateway_account !== base.gateway_account) {
          throw new ContractError('NOT_ALLOWED', coreText('refuse.cardTakenBeforeSwitch', { account: accountParam(s.gateway_account) }));
        }
        if (src.save && !order.customer_id) throw new ContractError('VALIDATION', coreText('refuse.saveNeedsCustomer'), { save: 'No customer on the order' });
        row = { ...base, hosted_session_id: s.id, token_name: s.token_name, brand: s.brand, last4: s.last4, expiry: s.expiry, holder_name: s.holder_name, save_card: src.save ? 1 : 0 };
        markSessionUsed(db, s.id, at);
      }
      const accounts = this.deps.accounts;
      if (accounts && row.gateway_account === accounts.activeAccount()) accounts.checkCurrency(row.currency);
      if (queueCharge) checkOfflineChargeLimits(db, this.deps.settings.get(), tender.amount, order.currency, now);
      insertPayment(db, row);
      assertTendersWithinTotal(db, order.id, now);
      // The reference is on disk (SENT, synchronous=FULL) before the first network attempt: one commit (operation-log.ts).
      const type = input.mode === 'authorize' ? 'authorize' : 'purchase';
      const op = appendOperation(db, { paymentId: row.id, type, amount: tender.amount, reference: row.reference, state: queueCharge ? 'queued' : 'sent', userId: actor.id, userName: actor.name, ...(queueCharge ? { message: englishText(coreText('note.waitingGateway')) } : {}) }, at);
      updatePayment(db, row.id, {}, at);
      if (queueCharge) {
        audit(this.deps, this.ports, actor, `payments.${type}`, row.reference, 'success', `${type} ${tender.amount} ${order.currency} card on file queued (gateway offline)`);
        return { payment: row, opId: null as string | null, queued: true };
      }
      return { payment: row, opId: op.id };
    });

    if ('queued' in created) {
      this.offline.queueChanged();
      const p = getPaymentWithOrder(db, created.payment.id)!;
      return { outcome: 'queued', message: QUEUED_CHARGE_MESSAGE, text: coreText('outcome.chargeQueued'), payment: toSummary(p, this.now()), cardSaved: null, change: null };
    }
    if (created.opId === null) {
      const p = getPaymentWithOrder(db, created.payment.id)!;
      return { outcome: 'approved', message: 'Cash received.', text: coreText('outcome.cashReceived'), payment: toSummary(p, this.now()), cardSaved: null, change: p.change_due };
    }
    const opId = created.opId;
    const result = await this.mutex.run(created.payment.id, () => this.runner.send(opId, actor, { markedSent: true, commit: this.committer(opts) }));
    if (result.state === 'unknown') this.scheduleResolution(created.payment.id);
    const p = getPaymentWithOrder(db, created.payment.id)!;
    const saved = p.saved_card_id ? getCardRow(db, p.saved_card_id) : undefined;
    return {
      outcome: toOutcome(result.state),
      message: englishText(chargeMessage(result)),
      text: chargeMessage(result),
      payment: toSummary(p, this.now()),
      cardSaved: saved ? toCard(saved, this.now()) : null,
      change: null,
    };
  }

  // --- maintenance ------------------------------------------------------------------------

  /**
   * `opts.commit`: how the operation's writes are committed (default: one transaction each, now).
   * A bulk run passes a group commit, so rows in flight share fsyncs; each row still waits for its
   * own commit (SENT on disk before its request), as the forwarder's do.
   */
  capture(paymentId: string, amount: number, actor: Actor, opts: MaintenanceOptions = {}): Promise<OperationOutput> {
    return this.mutex.run(paymentId, async () => {
      const p = this.load(paymentId);
      requireKnownToGateway(p);
      this.requireAccount(p);
      refuse(checkAmount('capture', amount, this.totalsWithQueue(p), this.now()));
      if (await this.mustQueue(p)) return this.queueOperation(this.load(paymentId), 'capture', amount, p.reference, actor, {});
      const op = await this.committer(opts)(() => this.startOperation(p, 'capture', amount, p.reference, actor, {}));
      return this.finish(p.id, await this.runner.send(op, actor, { markedSent: true, commit: this.committer(opts) }));
    });
  }

  void(paymentId: string, reason: string, actor: Actor, opts: MaintenanceOptions = {}): Promise<OperationOutput> {
    return this.mutex.run(paymentId, async () => {
      const p = this.load(paymentId);
      requireKnownToGateway(p);
      this.requireAccount(p);
      refuse(allowedAction('void', this.totalsWithQueue(p), this.now()));
      if (await this.mustQueue(p)) return this.queueOperation(this.load(paymentId), 'void', null, p.reference, actor, { reason: reason || null });
      const op = await this.committer(opts)(() => this.startOperation(p, 'void', null, p.reference, actor, { reason: reason || null }));
      return this.finish(p.id, await this.runner.send(op, actor, { markedSent: true, commit: this.committer(opts) }));
    });
  }

  /** `opts.approvedBy`: a supervisor's approval already checked for a larger amount (an order refund over several tenders, payments/tenders.ts). */
  refund(paymentId: string, amount: number, reason: string, approval: { supervisorId: string; pin: string } | undefined, actor: CallerActor, opts: MaintenanceOptions & { approvedBy?: { supervisorId: string; supervisorName: string } | null } = {}): Promise<OperationOutput> {
    return this.mutex.run(paymentId, async () => {
      const { db } = this.deps;
      const p = this.load(paymentId);
      requireKnownToGateway(p);
      this.requireAccount(p);
      refuse(checkAmount('refund', amount, this.totalsWithQueue(p), this.now()));
      let approver: { supervisorId: string; supervisorName: string } | null = opts.approvedBy ?? null;
      if (!approver && this.ports.refundNeedsApproval(this.deps, amount, actor.role)) {
        // Outside any transaction: a refused PIN must still count and be audited (people/approval.ts).
        approver = this.ports.verifyApproval(this.deps, {
          supervisorId: approval?.supervisorId,
          pin: approval?.pin,
          requesterId: actor.id,
          target: p.reference,
          detail: `refund ${amount} ${p.currency}`,
        });
      }
      const who = { reason, approvedBy: approver?.supervisorId ?? null, approvedByName: approver?.supervisorName ?? null };
      if (p.method === 'cash') {
        const at = this.now().toISOString();
        tx(db, () => {
          appendOperation(db, { paymentId: p.id, type: 'cash_refund', amount, reference: p.reference, state: 'succeeded', userId: actor.id, userName: actor.name, message: englishText(coreText('note.cashPaidBack')), ...who }, at);
          updatePayment(db, p.id, { refunded: p.refunded + amount }, at);
          audit(this.deps, this.ports, actor, 'payments.cash_refund', p.reference, 'success', `cash refund ${amount} ${p.currency}; approved by ${approver?.supervisorName ?? 'not required'}; reason: ${reason}`);
        });
        return { outcome: 'approved', message: 'Cash refund recorded.', text: coreText('outcome.cashRefunded'), detail: this.detail(p.id) };
      }
      if (await this.mustQueue(p)) {
        // The maintenance_reference is fixed now and kept with the queued row: never regenerated.
        const cur = this.load(paymentId);
        const seq = cur.refund_seq + 1;
        updatePayment(db, p.id, { refund_seq: seq }, this.now().toISOString());
        return this.queueOperation(this.load(paymentId), 'refund', amount, refundReference(p.reference, seq), actor, who);
      }
      const opId = await this.committer(opts)(() => {
        const seq = p.refund_seq + 1;
        updatePayment(db, p.id, { refund_seq: seq }, this.now().toISOString());
        return this.startOperation(p, 'refund', amount, refundReference(p.reference, seq), actor, who);
      });
      return this.finish(p.id, await this.runner.send(opId, actor, { markedSent: true, commit: this.committer(opts) }));
    });
  }

  /** payments.checkStatus: finish whatever is unresolved, then reconcile with the gateway. */
  checkStatus(paymentId: string, actor: Actor): Promise<OperationOutput> {
    return this.mutex.run(paymentId, async () => {
      const p = this.load(paymentId);
      refuse(allowedAction('checkStatus', totalsOf(p), this.now()));
      this.requireAccount(p);
      const pending = await this.resolveUnfinished(paymentId, actor);
      if (pending.stillUnknown) {
        this.scheduleResolution(paymentId);
        return { outcome: 'unknown', message: pending.message, text: coreText('outcome.opUnknown'), detail: this.detail(paymentId) };
      }
      const r = await reconcilePayment(this.deps, this.ports, paymentId, actor);
      return { outcome: r.outcome, message: pending.message ? `${pending.message} ${r.message}` : r.message, text: r.text, detail: this.detail(paymentId) };
    });
  }

  private committer(opts: MaintenanceOptions): Committer {
    return opts.commit ?? immediateCommit(this.deps.db);
  }

  private startOperation(
    p: PaymentRow,
    type: 'capture' | 'void' | 'refund',
    amount: number | null,
    reference: string,
    actor: Actor,
    extra: { reason?: string | null; approvedBy?: string | null; approvedByName?: string | null },
  ): string {
    return startLiveOperation(this.deps.db, p.id, type, amount, reference, actor, extra, this.now().toISOString());
  }

  private finish(paymentId: string, result: OpResult): OperationOutput {
    if (result.state === 'unknown') this.scheduleResolution(paymentId);
    if (result.state === 'queued') this.offline.queueChanged();
    return { outcome: toOutcome(result.state), message: englishText(opMessage(result)), text: opMessage(result), detail: this.detail(paymentId) };
  }

  // --- resolution of unknown outcomes ------------------------------------------------------

  /**
   * Resolves the payment's unfinished operations in order (caller holds the mutex). Stops at the
   * first one that stays unknown: a later operation is never sent before an earlier one is known.
   */
  async resolveUnfinished(paymentId: string, actor: Actor = SYSTEM_ACTOR): Promise<{ stillUnknown: boolean; resolved: number; resent: number; message: string }> {
    let resolved = 0;
    let resent = 0;
    const messages: string[] = [];
    for (const op of unfinishedOf(this.deps.db, paymentId)) {
      const r = await this.runner.resolve(op.id, actor);
      if (r.resent) resent++;
      if (r.state === 'unknown') return { stillUnknown: true, resolved, resent, message: r.message };
      // Provably not sent (no connection): it waits in the offline queue, and so does everything after it.
      if (r.state === 'queued') {
        this.offline.queueChanged();
        return { stillUnknown: false, resolved, resent, message: r.message };
      }
      resolved++;
      messages.push(`${op.type}: ${r.state}.`);
    }
    return { stillUnknown: false, resolved, resent, message: messages.join(' ') };
  }

  /** Runs background work on the payment under its lease (a shop), or answers `notNow` without running it. */
  async underLease<T>(paymentId: string, work: () => Promise<T>, notNow: T): Promise<T> {
    const grant = await this.lease.take(paymentId);
    if (!grant) return notNow;
    try {
      return await work();
    } finally {
      await grant.release();
    }
  }

  /** Bounded background retry with backoff (BackgroundResolver); never throws at anyone. */
  scheduleResolution(paymentId: string): void {
    this.resolver.schedule(paymentId);
  }

  /** Resolves once no background resolution is scheduled or running (tests, orderly shutdown). */
  settle(): Promise<void> {
    return this.resolver.settle();
  }

  /** Stops scheduling; unfinished work stays in the log for the next start-up sweep. */
  close(): Promise<void> {
    return this.resolver.close();
  }
}

function chargeMessage(r: OpResult): CoreText {
  switch (r.state) {
    case 'succeeded':
      return coreText('outcome.approved');
    case 'declined':
      return coreText('outcome.chargeDeclined', { bank: { responseCode: r.responseCode, message: r.message } });
    case 'unknown':
      return coreText('outcome.chargeUnknown');
    case 'queued':
      return coreText('outcome.chargeQueued');
  }
}

function opMessage(r: OpResult): CoreText {
  switch (r.state) {
    case 'succeeded':
      return coreText('outcome.done');
    case 'declined':
      return coreText('outcome.opRefused', { bank: { responseCode: r.responseCode, message: r.message } });
    case 'unknown':
      return coreText('outcome.opUnknown');
    case 'queued':
      return coreText('outcome.opQueued');
  }
}
