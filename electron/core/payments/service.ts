import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText, englishText } from '../../../shared/contract';
import { allowedAction, checkAmount, type ActionVerdict } from '../../../shared/domain/payment-state';
import type { Role } from '../../../shared/domain/roles';
import { getCardRow } from '../cards';
import type { CoreDeps } from '../deps';
import { immediateCommit, tx, type Committer } from '../ledger/sql';
import { audit, SYSTEM_ACTOR, type Actor } from '../ledger/audit-entry';
import { BackgroundResolver } from './background-resolver';
import { recordCharge } from './charge-record';
import { OperationRunner, type OpResult } from './executor';
import { NO_SHOP_LEASE, underLease, type PaymentLease } from './lease';
import { KeyedMutex } from './mutex';
import { ALWAYS_ONLINE, chargeMustQueue, maintenanceMustQueue, type OfflineGate } from './offline-gate';
import { appendOperation, countInFlight, queuedOf, unfinishedOf } from './operation-log';
import { effectiveTotals, getPaymentRow, getPaymentWithOrder, toSummary, totalsOf, updatePayment, type PaymentRow } from './payments-repo';
import type { Ports } from '../ports';
import { paymentDetail, type PaymentDetail } from './queries';
import { reconcilePayment } from './reconcile';
import { refundReference } from '../ledger/references';
import { cardChargeReply, cashChargeReply, operationReply, queuedChargeReply, type ChargeOutput, type OperationOutput } from './replies';

export { ALWAYS_ONLINE, type OfflineGate } from './offline-gate';
export { NO_SHOP_LEASE, type PaymentLease } from './lease';
export type { ChargeOutput, OperationOutput, Outcome } from './replies';

/** How a maintenance operation's writes are committed (see capture). */
export interface MaintenanceOptions {
  commit?: Committer;
}

export interface CallerActor extends Actor {
  role: Role;
}

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
  countInFlight(db, paymentId, 'new', at);
  return op.id;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

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

  private mustQueue(p: PaymentRow): Promise<boolean> {
    return maintenanceMustQueue(this.offline, p);
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
   * The parts: may it go out or be queued (offline-gate.ts), the row (charge-row.ts) and its
   * write-ahead record (charge-record.ts), sending, and the reply (replies.ts).
   */
  async charge(input: ParsedInputOf<'payments.charge'>, actor: Actor, opts: { eci?: 'MOTO' | 'RECURRING' } & MaintenanceOptions = {}): Promise<ChargeOutput> {
    const { db } = this.deps;
    const queue = await chargeMustQueue(this.deps, this.offline, input);
    const created = await recordCharge(this.deps, this.ports, input, actor, opts.eci ?? 'MOTO', queue, this.now(), this.committer(opts));
    if (created.kind === 'queued') {
      this.offline.queueChanged();
      return queuedChargeReply(toSummary(getPaymentWithOrder(db, created.payment.id)!, this.now()));
    }
    if (created.kind === 'cash') {
      const p = getPaymentWithOrder(db, created.payment.id)!;
      return cashChargeReply(toSummary(p, this.now()), p.change_due);
    }
    const result = await this.mutex.run(created.payment.id, () => this.runner.send(created.opId, actor, { markedSent: true, commit: this.committer(opts) }));
    if (result.state === 'unknown') this.scheduleResolution(created.payment.id);
    const p = getPaymentWithOrder(db, created.payment.id)!;
    return cardChargeReply(result, toSummary(p, this.now()), p.saved_card_id ? getCardRow(db, p.saved_card_id) : undefined, this.now());
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
      const asked = { requesterId: actor.id, target: p.reference, detail: `refund ${amount} ${p.currency}` };
      if (!approver && this.ports.refundNeedsApproval(this.deps, amount, actor.role)) {
        // Outside any transaction: the PIN's hash is awaited, and a refused PIN must still count and be audited (people/approval.ts).
        approver = await this.ports.verifyApproval(this.deps, { supervisorId: approval?.supervisorId, pin: approval?.pin, ...asked });
      }
      // Right before each write below, with nothing awaited in between: the approver may still approve.
      const stillApproved = () => {
        if (approver) this.ports.approverStillValid(this.deps, approver, asked);
      };
      const who = { reason, approvedBy: approver?.supervisorId ?? null, approvedByName: approver?.supervisorName ?? null };
      if (p.method === 'cash') {
        const at = this.now().toISOString();
        stillApproved();
        tx(db, () => {
          appendOperation(db, { paymentId: p.id, type: 'cash_refund', amount, reference: p.reference, state: 'succeeded', userId: actor.id, userName: actor.name, message: englishText(coreText('note.cashPaidBack')), ...who }, at);
          updatePayment(db, p.id, { refunded: p.refunded + amount }, at);
          audit(this.deps, this.ports, actor, 'payments.cash_refund', p.reference, 'success', `cash refund ${amount} ${p.currency}; approved by ${approver?.supervisorName ?? 'not required'}; reason: ${reason}`);
        });
        return { outcome: 'approved', message: 'Cash refund recorded.', text: coreText('outcome.cashRefunded'), detail: this.detail(p.id) };
      }
      if (await this.mustQueue(p)) {
        stillApproved();
        // The maintenance_reference is fixed now and kept with the queued row: never regenerated.
        const cur = this.load(paymentId);
        const seq = cur.refund_seq + 1;
        updatePayment(db, p.id, { refund_seq: seq }, this.now().toISOString());
        return this.queueOperation(this.load(paymentId), 'refund', amount, refundReference(p.reference, seq), actor, who);
      }
      stillApproved();
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
    return operationReply(result, this.detail(paymentId));
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
  underLease<T>(paymentId: string, work: () => Promise<T>, notNow: T): Promise<T> {
    return underLease(this.lease, paymentId, work, notNow);
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
