import { randomInt } from 'node:crypto';
import { ContractError, type OutputOf, type ParsedInputOf, coreText, englishText, nested, readText, storeText, type CoreText } from '../../../shared/contract';
import { isTimeZone, periodExists, periodReference, periodsDueBy, periodsFrom, totalPeriods, type PlannedPeriod, type Recurrence } from '../../../shared/domain/recurrence';
import { MAX_MINOR_UNITS } from '../../../shared/money';
import { usableCard } from '../cards/card-service';
import { getCardRow, isCardExpired } from '../cards/cards-repo';
import { getCustomer } from '../customers/customers-repo';
import { getOrderRow } from '../orders/orders-repo';
import type { CoreDeps } from '../deps';
import { startInterval, type Timer } from '../clock';
import { auditAs } from '../ledger/audit-as';
import type { PaymentsFeature } from '../payments';
import { getPaymentRow, paymentsOfOrder } from '../payments/payments-repo';
import { stationPrefix } from '../payments/references';
import { newId, tx } from '../ledger/sql';
import { fmtMinor } from '../sync/format';
import {
  activeSchedules,
  anchorOf,
  countAll,
  countsOf,
  getPeriod,
  getSchedule,
  insertPeriod,
  insertSchedule,
  lastPeriodOf,
  listSchedules,
  movePeriod,
  periodsInState,
  periodsOf,
  setPeriodOrder,
  shortIdExists,
  unpricedPeriodsOf,
  updateSchedule,
  type PeriodRow,
  type PeriodState,
  type ScheduleRow,
} from './repo';

export type RecurringDetail = OutputOf<'recurring.get'>;
export type ScheduleView = RecurringDetail['schedule'];
export type PeriodView = RecurringDetail['periods'][number];
export interface Actor {
  id: string;
  name: string;
}

/** Who charges a period that fell due while the station was running. */
export const RUNNER: Actor = { id: 'system', name: 'recurring runner' };

export interface RecurringOptions {
  /** How often the runner looks for due periods (default 60 s). */
  tickMs?: number;
  /** Called when the number of periods needing attention changed (the Queue screen lists them; electron/core/app.ts wires it to sync). */
  onAttentionChange?: () => void;
  /**
   * Fixes the IANA time zone new schedules follow (tests, the simulation). Default: the shop's
   * zone from settings.timeZone, read at each new schedule, else the station's own zone.
   */
  timeZone?: string;
  /**
   * Whether this station's runner charges a schedule. In a shop (docs/stations.md) only the
   * schedule's own station does: period references carry the station's prefix, so two runners
   * would charge one period twice. Default: every schedule (a single station).
   */
  runsSchedule?: (scheduleId: string) => boolean;
}

/** The station's own IANA time zone. */
export function stationTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export interface PassReport {
  charged: number;
  attention: number;
  running: number;
  missed: number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DAY_MS = 86_400_000;
/** Most periods written for one schedule in one pass (a daily schedule left closed for years). */
const MAX_PERIODS_PER_PASS = 400;
/** Most periods a change writes as history first (a daily schedule paused for years is cancelled, not changed). */
const MAX_PERIODS_BEFORE_CHANGE = 5_000;
/** Refusals that prove nothing was sent and will clear by themselves: the period waits for the next pass. */
const TRANSIENT = new Set(['GATEWAY_UNREACHABLE', 'OFFLINE_LIMIT', 'OFFLINE_NEW_CARD']);

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Recurring charges on a card on file (seed 001; docs/recurring.md).
 *
 * Exactly once per period: the period row (reference derived from the schedule and the period,
 * UNIQUE) is written before anything is charged; claiming it (due|missed|needs_attention →
 * running) is one conditional UPDATE in the transaction that also creates the period's order with
 * the same reference (orders.reference is UNIQUE); the charge goes through the payments feature,
 * whose write-ahead log commits the payment's reference before the first network attempt, resolves
 * an unknown outcome by check status with that reference, and allows one live payment per order.
 * After a crash, a running period is finished from the ledger, never charged blindly.
 */
export class RecurringService {
  /** When this run of the station started: a period due before it fell due while the app was closed. */
  readonly startedAt: string;
  private readonly tickMs: number;
  private readonly onAttentionChange: (() => void) | undefined;
  private readonly runs: (scheduleId: string) => boolean;
  private attentionSeen = -1;
  private timer: Timer | null = null;
  private passing: Promise<PassReport> | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: PaymentsFeature,
    opts: RecurringOptions = {},
  ) {
    this.startedAt = deps.clock.now().toISOString();
    this.tickMs = opts.tickMs ?? 60_000;
    this.onAttentionChange = opts.onAttentionChange;
    this.fixedZone = opts.timeZone;
    if (this.fixedZone !== undefined && !isTimeZone(this.fixedZone)) throw new Error(`unknown time zone ${this.fixedZone}`);
    this.runs = opts.runsSchedule ?? (() => true);
  }

  private readonly fixedZone: string | undefined;

  /** The shop's zone (settings.timeZone, else the station's own; a test may fix it), recorded on each new schedule. */
  get timeZone(): string {
    return this.fixedZone ?? this.deps.settings.get().timeZone ?? stationTimeZone();
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** The schedule's rule, anchored where its last change put it (repo.anchorOf). */
  private recurrence(s: ScheduleRow): Recurrence {
    return { frequency: s.frequency, startAt: s.start_at, endAt: s.end_at, count: s.count, anchor: anchorOf(this.deps.db, s.id, s.start_at), timeZone: s.time_zone };
  }

  /** Tells whoever listens (the Queue screen, through sync) when the number of periods needing attention changed. */
  private noteAttention(): void {
    if (!this.onAttentionChange || this.closed || !this.deps.db.open) return;
    const n = countAll(this.deps.db, 'needs_attention');
    if (n === this.attentionSeen) return;
    this.attentionSeen = n;
    this.onAttentionChange();
  }

  // --- schedules ---------------------------------------------------------------------------

  async create(input: ParsedInputOf<'recurring.create'>, actor: Actor): Promise<RecurringDetail> {
    const { db } = this.deps;
    const now = this.now();
    const customer = getCustomer(db, input.customerId);
    if (!customer) throw new ContractError('NOT_FOUND', 'No such customer.');
    const card = usableCard(db, input.cardId, now);
    if (card.customer_id !== customer.id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
    if (input.amount > MAX_MINOR_UNITS) throw new ContractError('VALIDATION', coreText('refuse.recurringAmountTooLarge'), { amount: 'Too large' });
    if (input.endAt !== null && input.count !== null) throw new ContractError('VALIDATION', coreText('refuse.recurringBothEnds'), { count: 'End date or count, not both' });

    let startAt = now.toISOString();
    if (input.startAt !== null) {
      const t = Date.parse(input.startAt);
      if (Number.isNaN(t)) throw new ContractError('VALIDATION', 'The start date is not a date.', { startAt: 'Not a date' });
      if (t < now.getTime() - DAY_MS) throw new ContractError('VALIDATION', coreText('refuse.recurringStartPast'), { startAt: 'In the past' });
      if (t > now.getTime() + 366 * DAY_MS) throw new ContractError('VALIDATION', coreText('refuse.recurringStartFar'), { startAt: 'More than a year ahead' });
      // Today (a moment already passed): period 1 is due now.
      startAt = new Date(Math.max(t, now.getTime())).toISOString();
    }
    if (input.endAt !== null) {
      const t = Date.parse(input.endAt);
      if (Number.isNaN(t)) throw new ContractError('VALIDATION', 'The end date is not a date.', { endAt: 'Not a date' });
      if (t < Date.parse(startAt)) throw new ContractError('VALIDATION', coreText('refuse.recurringEndBeforeStart'), { endAt: 'Before the start' });
    }

    const at = now.toISOString();
    const row = tx(db, () => {
      let shortId = randomShortId();
      while (shortIdExists(db, shortId)) shortId = randomShortId();
      const r: ScheduleRow = {
        id: newId('rcs'),
        short_id: shortId,
        customer_id: customer.id,
        customer_name: customer.name,
        card_id: card.id,
        amount: input.amount,
        currency: input.currency,
        frequency: input.frequency,
        start_at: startAt,
        end_at: input.endAt,
        count: input.count,
        description: input.description,
        state: 'active',
        active_since: at,
        last_period: 0,
        created_by: actor.id,
        created_by_name: actor.name,
        created_at: at,
        updated_at: at,
        time_zone: this.timeZone,
      };
      insertSchedule(db, r);
      const end = r.count !== null ? `${r.count} charges` : r.end_at ? `until ${r.end_at.slice(0, 10)}` : 'until cancelled';
      this.audit(actor, 'recurring.create', `RC-${shortId}`, 'success', `${r.frequency} ${r.amount} ${r.currency} from ${startAt.slice(0, 16)} ${end}; card …${card.last4}; customer ${customer.name}`);
      return r;
    });
    // Period 1 may be due now: the same pass as the runner's (charged once, whoever gets there first).
    await this.pass();
    return this.detail(row.id);
  }

  pause(id: string, actor: Actor): RecurringDetail {
    return this.changeState(id, actor, 'recurring.pause', (s) => {
      if (s.state === 'paused') return null;
      if (s.state !== 'active') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotActive'));
      return { state: 'paused' };
    });
  }

  async resume(id: string, actor: Actor): Promise<RecurringDetail> {
    this.changeState(id, actor, 'recurring.resume', (s) => {
      if (s.state === 'active') return null;
      if (s.state !== 'paused') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotPaused'));
      // Periods that fell due while paused are listed as missed (a supervisor runs or skips them).
      return { state: 'active', active_since: this.now().toISOString() };
    });
    await this.pass();
    return this.detail(id);
  }

  cancel(id: string, actor: Actor): RecurringDetail {
    const { db } = this.deps;
    return this.changeState(id, actor, 'recurring.cancel', (s) => {
      if (s.state === 'cancelled') return null;
      const at = this.now().toISOString();
      let skipped = 0;
      for (const p of periodsOf(db, s.id)) {
        if (movePeriod(db, p.id, ['missed', 'due', 'needs_attention'], { state: 'skipped', ...said(coreText('refuse.scheduleCancelled')), acted_by: actor.id, acted_by_name: actor.name, finished_at: at }, at)) skipped++;
      }
      return { state: 'cancelled', note: skipped ? `${skipped} period(s) not charged were skipped` : '' };
    });
  }

  /**
   * Changes an active or paused schedule from its next charge on (docs/recurring.md "Changing a
   * schedule"). History is never rewritten: the periods that already fell due are written first,
   * under the old rule, and keep the amount and description they fell due with (their orders are
   * made now if they were not yet); period numbers, and so the derived references, go on from the
   * last one written, so no period can be charged twice whatever the new dates. A new rhythm or
   * next date anchors the rule at the next period (shared/domain/recurrence "anchor").
   */
  async update(input: ParsedInputOf<'recurring.update'>, actor: Actor): Promise<RecurringDetail> {
    const { db } = this.deps;
    const changed = tx(db, () => {
      const now = this.now();
      const at = now.toISOString();
      const s = getSchedule(db, input.id);
      if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
      if (s.state !== 'active' && s.state !== 'paused') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotChangeable'));

      // Validate everything before writing anything (a refusal changes nothing: the transaction rolls back anyway).
      if (input.amount !== undefined && input.amount > MAX_MINOR_UNITS) throw new ContractError('VALIDATION', coreText('refuse.recurringAmountTooLarge'), { amount: 'Too large' });
      const card = input.cardId !== undefined && input.cardId !== s.card_id ? usableCard(db, input.cardId, now) : null;
      if (card && card.customer_id !== s.customer_id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
      let nextAt: string | null = null;
      if (input.nextAt !== undefined) {
        const t = Date.parse(input.nextAt);
        if (Number.isNaN(t)) throw new ContractError('VALIDATION', 'The next charge date is not a date.', { nextAt: 'Not a date' });
        if (t < now.getTime() - DAY_MS) throw new ContractError('VALIDATION', coreText('refuse.recurringNextPast'), { nextAt: 'In the past' });
        if (t > now.getTime() + 366 * DAY_MS) throw new ContractError('VALIDATION', coreText('refuse.recurringNextFar'), { nextAt: 'More than a year ahead' });
        // Today (a moment already passed): the next period is due now.
        nextAt = new Date(Math.max(t, now.getTime())).toISOString();
      }

      // Every period that fell due under the current rule is history (written below, before the change).
      const old = this.recurrence(s);
      const fallen = periodsDueBy(old, s.last_period + 1, at, MAX_PERIODS_BEFORE_CHANGE);
      if (fallen.length === MAX_PERIODS_BEFORE_CHANGE) throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleTooManyFallen', { n: MAX_PERIODS_BEFORE_CHANGE }));
      const lastPeriod = s.last_period + fallen.length;
      const planned = periodsFrom(old, lastPeriod + 1, 1)[0];
      if (!planned) throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleAllFallen'));

      const patch: Partial<ScheduleRow> = {};
      const notes: string[] = [];
      if (input.amount !== undefined && input.amount !== s.amount) {
        patch.amount = input.amount;
        notes.push(`amount ${fmtMinor(s.amount, s.currency)} → ${fmtMinor(input.amount, s.currency)}`);
      }
      if (input.description !== undefined && input.description !== s.description) {
        patch.description = input.description;
        notes.push(`description "${s.description}" → "${input.description}"`);
      }
      if (card) {
        patch.card_id = card.id;
        notes.push(`card …${getCardRow(db, s.card_id)?.last4 ?? '????'} → …${card.last4}`);
      }

      // 2. A new rhythm or next date: the rule restarts at the next period, after everything written.
      const frequency = input.frequency ?? s.frequency;
      const startAt = nextAt ?? planned.dueAt;
      if (frequency !== s.frequency || startAt !== planned.dueAt) {
        if (Date.parse(startAt) < now.getTime()) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAt', { at: startAt }), { nextAt: 'In the past' });
        }
        const written = lastPeriodOf(db, s.id);
        const last = fallen.length ? fallen[fallen.length - 1]! : written ? { period: written.period, dueAt: written.due_at } : null;
        if (last && Date.parse(startAt) <= Date.parse(last.dueAt)) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAfterPeriod', { period: last.period, at: last.dueAt }), { nextAt: 'Not after the last period' });
        }
        if (s.end_at !== null && Date.parse(startAt) > Date.parse(s.end_at)) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAfterEnd', { at: s.end_at }), { nextAt: 'After the end date' });
        }
        patch.frequency = frequency;
        patch.start_at = startAt;
        if (frequency !== s.frequency) notes.push(`${s.frequency} → ${frequency}`);
        notes.push(`next charge (period ${planned.period}) ${utcMinute(planned.dueAt)} → ${utcMinute(startAt)}`);
      }
      if (notes.length === 0) return false; // nothing different: nothing written, nothing audited

      // 1. History first: the periods that fell due under the old rule get their rows, as the runner writes them.
      if (fallen.length) {
        this.writeFallenDue(s, fallen, at);
        updateSchedule(db, s.id, { last_period: lastPeriod }, at);
      }
      // 3. Periods that fell due and have no order yet keep the amount and description they fell due with.
      if (patch.amount !== undefined || patch.description !== undefined) {
        for (const p of unpricedPeriodsOf(db, s.id)) setPeriodOrder(db, p.id, this.periodOrder(s, p, actor), at);
      }
      updateSchedule(db, s.id, patch, at);
      this.audit(actor, 'recurring.update', `RC-${s.short_id}`, 'success', `${notes.join('; ')}${fallen.length ? `; ${fallen.length} period(s) that fell due before the change keep the old terms` : ''}`.slice(0, 500));
      return true;
    });
    if (changed) {
      this.noteAttention();
      // A next charge "today" is due now: the same pass as the runner's.
      if (getSchedule(db, input.id)?.state === 'active') await this.pass();
    }
    return this.detail(input.id);
  }

  /** The order of a period (its reference is the period's): made once, with the schedule's amount and description at that moment. */
  private periodOrder(s: ScheduleRow, p: PeriodRow, actor: Actor): string {
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

  private changeState(id: string, actor: Actor, action: string, decide: (s: ScheduleRow) => (Partial<ScheduleRow> & { note?: string }) | null): RecurringDetail {
    const { db } = this.deps;
    tx(db, () => {
      const s = getSchedule(db, id);
      if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
      const patch = decide(s);
      if (!patch) return;
      const { note, ...rest } = patch;
      updateSchedule(db, id, rest, this.now().toISOString());
      this.audit(actor, action, `RC-${s.short_id}`, 'success', `${s.state} → ${rest.state ?? s.state}${note ? `; ${note}` : ''}`);
    });
    this.noteAttention();
    return this.detail(id);
  }

  // --- periods -----------------------------------------------------------------------------

  /** A supervisor charges a missed period, or retries one that needs attention (same period reference). */
  async runPeriod(periodId: string, actor: Actor): Promise<RecurringDetail> {
    const { db } = this.deps;
    const p = getPeriod(db, periodId);
    if (!p) throw new ContractError('NOT_FOUND', 'No such period.');
    const s = getSchedule(db, p.schedule_id)!;
    if (s.state === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleCancelled'));
    if (p.state === 'running') throw new ContractError('CONFLICT', coreText('refuse.periodRunning'));
    if (p.state !== 'missed' && p.state !== 'needs_attention') throw new ContractError('NOT_ALLOWED', coreText(p.state === 'charged' ? 'refuse.periodCharged' : 'refuse.periodNotRunnable'));
    this.audit(actor, 'recurring.runPeriod', p.reference, 'success', `period ${p.period} (${p.state.replace('_', ' ')}) run by hand`);
    await this.chargePeriod(periodId, ['missed', 'needs_attention'], actor);
    this.noteAttention();
    return this.detail(s.id);
  }

  skipPeriod(periodId: string, reason: string, actor: Actor): RecurringDetail {
    const { db } = this.deps;
    const at = this.now().toISOString();
    const scheduleId = tx(db, () => {
      const p = getPeriod(db, periodId);
      if (!p) throw new ContractError('NOT_FOUND', 'No such period.');
      if (!movePeriod(db, p.id, ['missed', 'due', 'needs_attention'], { state: 'skipped', ...(reason ? { reason } : said(coreText('period.skippedBySupervisor'))), acted_by: actor.id, acted_by_name: actor.name, finished_at: at }, at)) {
        throw new ContractError('NOT_ALLOWED', coreText(p.state === 'running' ? 'refuse.periodRunningNoSkip' : 'refuse.periodNotSkippable'));
      }
      this.audit(actor, 'recurring.skipPeriod', p.reference, 'success', `period ${p.period} skipped${reason ? `; reason: ${reason}` : ''}`);
      return p.schedule_id;
    });
    this.noteAttention();
    return this.detail(scheduleId);
  }

  // --- the runner --------------------------------------------------------------------------

  /** One pass (single flight): write the periods now due, finish running ones, charge those due while running. */
  pass(): Promise<PassReport> {
    if (this.passing) return this.passing;
    const p = this.doPass().finally(() => {
      this.passing = null;
    });
    this.passing = p;
    return p;
  }

  private async doPass(): Promise<PassReport> {
    const { db } = this.deps;
    const now = this.now().toISOString();
    for (const s of activeSchedules(db)) if (this.runs(s.id)) this.materialize(s, now);
    for (const p of periodsInState(db, 'running')) {
      if (this.closed) break;
      if (!this.runs(p.schedule_id)) continue;
      await this.finishRunning(p);
    }
    for (const p of periodsInState(db, 'due')) {
      if (this.closed) break;
      if (!this.runs(p.schedule_id)) continue;
      // A completed schedule still charges its last periods; paused and cancelled ones charge nothing.
      const state = getSchedule(db, p.schedule_id)?.state;
      if (state !== 'active' && state !== 'completed') continue;
      await this.chargePeriod(p.id, ['due'], RUNNER);
    }
    this.noteAttention();
    return { charged: countAll(db, 'charged'), attention: countAll(db, 'needs_attention'), running: countAll(db, 'running'), missed: countAll(db, 'missed') };
  }

  /**
   * Writes the rows of periods that are now due. One due before this run of the station started, or
   * before the schedule was (re)activated, fell due while nobody could charge it: "missed", for a
   * supervisor to run or skip; any other is "due" and charged by the runner.
   */
  private materialize(s: ScheduleRow, now: string): void {
    const { db } = this.deps;
    const r = this.recurrence(s);
    const due = periodsDueBy(r, s.last_period + 1, now, MAX_PERIODS_PER_PASS);
    const finished = !periodExists(r, s.last_period + due.length + 1);
    if (due.length === 0 && !finished) return;
    tx(db, () => {
      const cur = getSchedule(db, s.id);
      // Someone else got here, or the schedule was changed since it was read.
      if (!cur || cur.state !== 'active' || cur.last_period !== s.last_period || cur.start_at !== s.start_at || cur.frequency !== s.frequency) return;
      this.writeFallenDue(s, due, now);
      const last = s.last_period + due.length;
      updateSchedule(db, s.id, { last_period: last, ...(finished ? { state: 'completed' as const } : {}) }, now);
      if (finished) this.audit(RUNNER, 'recurring.complete', `RC-${s.short_id}`, 'success', `all ${last} period(s) have fallen due`);
    });
  }

  /**
   * Inserts the rows of periods that fell due (inside the caller's transaction). Missed when due
   * before this run of the station started or before the schedule was last (re)activated, or when
   * the schedule is paused; due otherwise.
   */
  private writeFallenDue(s: ScheduleRow, due: PlannedPeriod[], now: string): void {
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

  /**
   * Claims the period (from one of `from` to running, creating its order with the period's
   * reference in the same transaction) and charges it once. A second caller for the same period
   * waits for the first, or finds it no longer claimable.
   */
  private chargePeriod(periodId: string, from: readonly PeriodState[], actor: Actor): Promise<void> {
    const running = this.inFlight.get(periodId);
    if (running) return running;
    const work = (async () => {
      const claimed = this.claim(periodId, from, actor);
      if (claimed) await this.charge(claimed.period, claimed.schedule, claimed.previous, actor);
    })().finally(() => this.inFlight.delete(periodId));
    this.inFlight.set(periodId, work);
    return work;
  }

  private claim(periodId: string, from: readonly PeriodState[], actor: Actor): { period: PeriodRow; schedule: ScheduleRow; previous: PeriodState } | null {
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
  private async finishRunning(p: PeriodRow, fromCharge = false): Promise<void> {
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

  // --- lifecycle ---------------------------------------------------------------------------

  /** Start-up (after payments recovered): finish running periods, write what fell due while closed, then tick. */
  async start(): Promise<void> {
    try {
      await this.pass();
    } catch (e) {
      this.deps.log.error({ err: errText(e) }, 'recurring start-up pass failed');
    }
    if (this.closed || this.timer) return;
    this.timer = startInterval(this.deps.clock, () => {
      this.pass().catch((e: unknown) => this.deps.log.error({ err: errText(e) }, 'recurring pass failed'));
    }, this.tickMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.timer.clear();
    this.timer = null;
    await Promise.allSettled([this.passing, ...this.inFlight.values()]);
  }

  // --- views -------------------------------------------------------------------------------

  list(filter: ParsedInputOf<'recurring.list'>): OutputOf<'recurring.list'> {
    const { db } = this.deps;
    return { schedules: listSchedules(db, filter).map((s) => this.scheduleView(s)), missed: countAll(db, 'missed'), attention: countAll(db, 'needs_attention') };
  }

  detail(id: string): RecurringDetail {
    const { db } = this.deps;
    const s = getSchedule(db, id);
    if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
    const upcoming = s.state === 'active' || s.state === 'paused' ? periodsFrom(this.recurrence(s), s.last_period + 1, 6) : [];
    return { schedule: this.scheduleView(s), periods: periodsOf(db, id).map((p) => this.periodView(p, s)), upcoming };
  }

  private scheduleView(s: ScheduleRow): ScheduleView {
    const { db } = this.deps;
    const now = this.now();
    const card = getCardRow(db, s.card_id);
    const counts = countsOf(db, s.id);
    const r = this.recurrence(s);
    const next = s.state === 'active' || s.state === 'paused' ? periodsFrom(r, s.last_period + 1, 1)[0] : undefined;
    const cardProblem = !card ? 'The card on file is gone.' : card.status !== 'active' ? 'The card on file was deactivated.' : isCardExpired(card.expiry, now) ? 'The card on file has expired.' : null;
    return {
      id: s.id,
      shortId: s.short_id,
      customerId: s.customer_id,
      customerName: s.customer_name,
      cardId: s.card_id,
      cardBrand: card?.brand ?? '',
      cardLast4: card?.last4 ?? '0000',
      cardProblem,
      amount: s.amount,
      currency: s.currency,
      frequency: s.frequency,
      startAt: s.start_at,
      endAt: s.end_at,
      count: s.count,
      description: s.description,
      state: s.state,
      nextDueAt: next?.dueAt ?? null,
      nextPeriod: next?.period ?? null,
      totalPeriods: totalPeriods(r),
      charged: counts.charged,
      missed: counts.missed,
      attention: counts.needs_attention,
      running: counts.running,
      createdAt: s.created_at,
      createdBy: s.created_by_name,
    };
  }

  private periodView(p: PeriodRow, s: ScheduleRow): PeriodView {
    const pay = p.payment_id ? getPaymentRow(this.deps.db, p.payment_id) : undefined;
    const order = p.order_id ? getOrderRow(this.deps.db, p.order_id) : undefined;
    return {
      id: p.id,
      scheduleId: p.schedule_id,
      period: p.period,
      dueAt: p.due_at,
      state: p.state,
      reference: p.reference,
      amount: order?.total ?? s.amount,
      orderId: p.order_id,
      paymentId: p.payment_id,
      paymentReference: pay?.reference ?? null,
      paymentStatus: pay?.status ?? null,
      attempts: p.attempts,
      reason: p.reason,
      reasonText: readText(p.reason_text),
      actedBy: p.acted_by_name,
      startedAt: p.started_at,
      finishedAt: p.finished_at,
    };
  }

  private audit(actor: Actor, action: string, target: string, outcome: 'success' | 'failure', detail: string): void {
    try {
      this.deps.db.transaction(() => auditAs(this.deps, actor, { action, target, outcome, detail }))();
    } catch (e) {
      this.deps.log.error({ action, target, err: errText(e) }, 'audit append failed');
    }
  }
}

function randomShortId(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CROCKFORD[randomInt(CROCKFORD.length)];
  return s;
}

/** A period's reason in English (logs, CSV) and as its key (the screen's language). */
function said(text: CoreText): { reason: string; reason_text: string | null } {
  return { reason: englishText(text).slice(0, 500), reason_text: storeText(text) };
}
