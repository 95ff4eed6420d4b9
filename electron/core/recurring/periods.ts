import { ContractError, coreText, englishText, nested, storeText, type CoreText } from '../../../shared/contract';
import { periodReference, type PlannedPeriod } from '../../../shared/domain/recurrence';
import type { CoreDeps } from '../deps';
import { newId, tx } from '../ledger/sql';
import type { PaymentsFeature } from '../payments';
import { paymentsOfOrder } from '../payments';
import { stationPrefix } from '../ledger/references';
import { errText, recurringAudit, RUNNER, type Actor } from './audit';
import { getPeriod, getSchedule, insertPeriod, movePeriod, type PeriodRow, type PeriodState, type ScheduleRow } from './repo';

/** Refusals that prove nothing was sent and will clear by themselves: the period waits for the next pass. */
const TRANSIENT = new Set(['GATEWAY_UNREACHABLE', 'OFFLINE_LIMIT', 'OFFLINE_NEW_CARD']);

/**
 * A period's life in the ledger: its row written when it falls due, its order, the claim
 * (due|missed|needs_attention → running, with the order, in one transaction), the one charge
 * through the payments feature, and the outcome, also of a period left running (read back from
 * its order's payments, never charged blindly).
 */
export class Periods {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: PaymentsFeature,
    /** When this run of the station started: a period due before it fell due while the app was closed. */
    private readonly startedAt: string,
  ) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  private audit(actor: Actor, action: string, target: string, outcome: 'success' | 'failure', detail: string): void {
    recurringAudit(this.deps, actor, action, target, outcome, detail);
  }

  /** Whether a charge of this period is running in this process now. */
  busy(periodId: string): boolean {
    return this.inFlight.has(periodId);
  }

  /** Charges running now (close waits for them). */
  running(): Promise<void>[] {
    return [...this.inFlight.values()];
  }

  /**
   * Inserts the rows of periods that fell due (inside the caller's transaction). Missed when due
   * before this run of the station started or before the schedule was last (re)activated, or when
   * the schedule is paused; due otherwise.
   */
  writeFallenDue(s: ScheduleRow, due: PlannedPeriod[], now: string): void {
    const cutoff = Math.max(Date.parse(this.startedAt), Date.parse(s.active_since));
    const prefix = stationPrefix(this.deps.station);
    for (const d of due) {
      const t = Date.parse(d.dueAt);
      const missed = s.state === 'paused' || t < cutoff;
      insertPeriod(this.deps.db, {
        id: newId('rcp'),
        schedule_id: s.id,
        period: d.period,
        due_at: d.dueAt,
        state: missed ? 'missed' : 'due',
        reference: periodReference(prefix, s.short_id, d.period),
        order_id: null,
        payment_id: null,
        attempts: 0,
        reason: missed ? (s.state === 'paused' || t < Date.parse(s.active_since) ? 'Fell due while the schedule was paused.' : 'Fell due while the station was closed.') : null,
        acted_by: null,
        acted_by_name: null,
        started_at: null,
        finished_at: null,
        created_at: now,
        updated_at: now,
      });
    }
  }

  /** The order of a period (its reference is the period's): made once, with the schedule's amount and description at that moment. */
  periodOrder(s: ScheduleRow, p: PeriodRow, actor: Actor): string {
    const order = this.payments.orders.create(
      {
        channel: 'phone',
        currency: s.currency,
        customerId: s.customer_id,
        newCustomer: null,
        lines: [{ description: s.description, quantity: 1, unitPrice: s.amount, taxRateBp: 0 }],
        note: `Recurring charge, period ${p.period} (schedule RC-${s.short_id})`,
      },
      actor,
      { reference: p.reference },
    );
    return order.id;
  }

  /** A supervisor charges a missed period, or retries one that needs attention (same period reference). Resolves to its schedule. */
  async runByHand(periodId: string, actor: Actor): Promise<string> {
    const { db } = this.deps;
    const p = getPeriod(db, periodId);
    if (!p) throw new ContractError('NOT_FOUND', 'No such period.');
    const s = getSchedule(db, p.schedule_id)!;
    if (s.state === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleCancelled'));
    if (p.state === 'running') throw new ContractError('CONFLICT', coreText('refuse.periodRunning'));
    if (p.state !== 'missed' && p.state !== 'needs_attention') throw new ContractError('NOT_ALLOWED', coreText(p.state === 'charged' ? 'refuse.periodCharged' : 'refuse.periodNotRunnable'));
    this.audit(actor, 'recurring.runPeriod', p.reference, 'success', `period ${p.period} (${p.state.replace('_', ' ')}) run by hand`);
    await this.chargePeriod(periodId, ['missed', 'needs_attention'], actor);
    return s.id;
  }

  /** A supervisor skips a period not charged. Returns its schedule. */
  skip(periodId: string, reason: string, actor: Actor): string {
    const { db } = this.deps;
    const at = this.now().toISOString();
    return tx(db, () => {
      const p = getPeriod(db, periodId);
      if (!p) throw new ContractError('NOT_FOUND', 'No such period.');
      if (!movePeriod(db, p.id, ['missed', 'due', 'needs_attention'], { state: 'skipped', ...(reason ? { reason } : said(coreText('period.skippedBySupervisor'))), acted_by: actor.id, acted_by_name: actor.name, finished_at: at }, at)) {
        throw new ContractError('NOT_ALLOWED', coreText(p.state === 'running' ? 'refuse.periodRunningNoSkip' : 'refuse.periodNotSkippable'));
      }
      this.audit(actor, 'recurring.skipPeriod', p.reference, 'success', `period ${p.period} skipped${reason ? `; reason: ${reason}` : ''}`);
      return p.schedule_id;
    });
  }

  /**
   * Claims the period (from one of `from` to running, creating its order with the period's
   * reference in the same transaction) and charges it once. A second caller for the same period
   * waits for the first, or finds it no longer claimable.
   */
  chargePeriod(periodId: string, from: readonly PeriodState[], actor: Actor): Promise<void> {
    const running = this.inFlight.get(periodId);
    if (running) return running;
    const work = (async () => {
      const claimed = this.claim(periodId, from, actor);
      if (claimed) await this.charge(claimed.period, claimed.schedule, claimed.previous, actor);
    })().finally(() => this.inFlight.delete(periodId));
    this.inFlight.set(periodId, work);
    return work;
  }

  claim(periodId: string, from: readonly PeriodState[], actor: Actor): { period: PeriodRow; schedule: ScheduleRow; previous: PeriodState } | null {
    const { db } = this.deps;
    const at = this.now().toISOString();
    return tx(db, () => {
      const p = getPeriod(db, periodId);
      if (!p || !from.includes(p.state)) return null;
      const s = getSchedule(db, p.schedule_id)!;
      if (s.state === 'cancelled') return null;
      const orderId = p.order_id ?? this.periodOrder(s, p, actor);
      const patch = { state: 'running' as const, order_id: orderId, attempts: p.attempts + 1, started_at: at, finished_at: null, reason: null, acted_by: actor === RUNNER ? null : actor.id, acted_by_name: actor === RUNNER ? null : actor.name };
      if (!movePeriod(db, p.id, [p.state], patch, at)) throw new Error('period changed under its claim');
      return { period: { ...p, ...patch }, schedule: s, previous: p.state };
    });
  }

  /** The one charge of a claimed period, through the payments feature (eci RECURRING, PURCHASE). */
  private async charge(p: PeriodRow, s: ScheduleRow, previous: PeriodState, actor: Actor): Promise<void> {
    const { db } = this.deps;
    try {
      const r = await this.payments.service.charge({ orderId: p.order_id!, mode: 'purchase', source: { kind: 'card_on_file', cardId: s.card_id } }, actor, { eci: 'RECURRING' });
      this.record(p, r.payment.id, r.outcome, r.message, r.text, actor);
    } catch (e) {
      const at = this.now().toISOString();
      if (e instanceof ContractError && e.code === 'CONFLICT') {
        // The order already has a live payment: a charge of this period exists. Take its outcome.
        await this.finishRunning(getPeriod(db, p.id)!, true);
        return;
      }
      if (e instanceof ContractError) {
        // Refused before anything was sent (card expired or deactivated, gateway down…): no payment.
        const transient = TRANSIENT.has(e.code);
        const back: PeriodState = transient && previous !== 'needs_attention' ? previous : 'needs_attention';
        movePeriod(db, p.id, ['running'], { state: back, attempts: p.attempts - 1, ...said(coreText(transient ? 'period.notChargedYet' : 'period.notCharged', { why: e.text ? nested(e.text) : e.message })), finished_at: back === 'needs_attention' ? at : null }, at);
        this.audit(actor, 'recurring.charge', p.reference, 'failure', `period ${p.period} ${s.amount} ${s.currency} not charged (${e.code}): ${e.message}`.slice(0, 500));
        return;
      }
      // Anything else: the ledger decides at the next pass (never a blind second charge).
      this.deps.log.error({ period: p.id, err: errText(e) }, 'recurring charge failed unexpectedly');
    }
  }

  private record(p: PeriodRow, paymentId: string, outcome: 'approved' | 'declined' | 'unknown' | 'queued', message: string, text: CoreText | undefined, actor: Actor): void {
    const { db } = this.deps;
    const at = this.now().toISOString();
    const s = getSchedule(db, p.schedule_id)!;
    tx(db, () => {
      if (outcome === 'approved') {
        movePeriod(db, p.id, ['running'], { state: 'charged', payment_id: paymentId, reason: null, finished_at: at }, at);
      } else if (outcome === 'declined') {
        movePeriod(db, p.id, ['running'], { state: 'needs_attention', payment_id: paymentId, ...(text ? said(text) : { reason: message }), finished_at: at }, at);
      } else {
        movePeriod(db, p.id, ['running'], { state: 'running', payment_id: paymentId, ...said(coreText(outcome === 'queued' ? 'period.queued' : 'period.unknown')) }, at);
      }
      this.audit(actor, 'recurring.charge', p.reference, outcome === 'approved' ? 'success' : 'failure', `period ${p.period} ${s.amount} ${s.currency} eci RECURRING: ${outcome}${outcome === 'approved' ? '' : ` — ${message}`}`.slice(0, 500));
    });
  }

  /**
   * A period left running (outcome unknown, queued, or a crash): its order's payments say what
   * happened. No payment for the latest attempt means the charge never reached the payments log
   * (a crash between the claim and the charge): nothing was sent, so it is charged now, once.
   */
  async finishRunning(p: PeriodRow, fromCharge = false): Promise<void> {
    const { db } = this.deps;
    if ((!fromCharge && this.inFlight.has(p.id)) || p.state !== 'running') return;
    const pays = p.order_id ? paymentsOfOrder(db, p.order_id) : [];
    if ((pays.length < p.attempts || !p.order_id) && !fromCharge) {
      const s = getSchedule(db, p.schedule_id)!;
      this.deps.log.warn({ period: p.id, reference: p.reference }, 'recurring period claimed without a payment (interrupted): charging now');
      const actor = p.acted_by ? { id: p.acted_by, name: p.acted_by_name ?? '' } : RUNNER;
      const work = this.charge(p, s, 'due', actor).finally(() => this.inFlight.delete(p.id));
      this.inFlight.set(p.id, work);
      await work;
      return;
    }
    const pay = pays[pays.length - 1];
    if (!pay) return;
    const at = this.now().toISOString();
    if (pay.captured > 0) {
      if (movePeriod(db, p.id, ['running'], { state: 'charged', payment_id: pay.id, reason: null, finished_at: at }, at)) {
        this.audit(RUNNER, 'recurring.charge', p.reference, 'success', `period ${p.period} ${pay.amount} ${pay.currency}: approved (payment ${pay.reference})`);
      }
    } else if (pay.declined === 1) {
      const op = db.prepare(`SELECT message, response_code FROM operations WHERE payment_id = ? AND type = 'purchase' ORDER BY seq DESC LIMIT 1`).get(pay.id) as { message: string | null; response_code: string | null } | undefined;
      const declined = coreText('period.declined', { bank: { responseCode: op?.response_code && /^\d{5}$/.test(op.response_code) ? op.response_code : null, message: (op?.message ?? 'refused by the gateway').slice(0, 400) } });
      if (movePeriod(db, p.id, ['running'], { state: 'needs_attention', payment_id: pay.id, ...said(declined), finished_at: at }, at)) {
        this.audit(RUNNER, 'recurring.charge', p.reference, 'failure', `period ${p.period}: declined (payment ${pay.reference})`);
      }
    } else if (p.payment_id !== pay.id) {
      movePeriod(db, p.id, ['running'], { state: 'running', payment_id: pay.id }, at);
    }
  }
}

/** A period's reason in English (logs, CSV) and as its key (the screen's language). */
export function said(text: CoreText): { reason: string; reason_text: string | null } {
  return { reason: englishText(text).slice(0, 500), reason_text: storeText(text) };
}
