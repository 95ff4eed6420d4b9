import type { OutputOf, ParsedInputOf } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import type { PaymentsFeature } from '../payments';
import type { Actor } from './audit';
import { ShopCalendar } from './calendar';
import { Periods } from './periods';
import type { PeriodState, ScheduleRow } from './repo';
import { RecurringRunner, type PassReport } from './runner';
import { Schedules } from './schedules';
import { RecurringViews, type RecurringDetail } from './views';

export { RUNNER, type Actor } from './audit';
export { stationTimeZone } from './calendar';
export type { PassReport } from './runner';
export type { PeriodView, RecurringDetail, ScheduleView } from './views';

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

/**
 * Recurring charges on a card on file (seed 001; docs/recurring.md), put together from its parts:
 * the shop's calendar (calendar.ts), schedules (schedules.ts), periods and their one charge
 * (periods.ts), the runner and its timer (runner.ts), and what the screen sees (views.ts).
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
  private readonly calendar: ShopCalendar;
  private readonly periods: Periods;
  private readonly runner: RecurringRunner;
  private readonly views: RecurringViews;
  private readonly schedules: Schedules;

  constructor(deps: CoreDeps, payments: PaymentsFeature, opts: RecurringOptions = {}) {
    this.startedAt = deps.clock.now().toISOString();
    this.calendar = new ShopCalendar(deps, opts.timeZone);
    this.periods = new Periods(deps, payments, this.startedAt);
    this.runner = new RecurringRunner(deps, this.calendar, this.periods, { tickMs: opts.tickMs ?? 60_000, onAttentionChange: opts.onAttentionChange, runs: opts.runsSchedule ?? (() => true) });
    this.views = new RecurringViews(deps, this.calendar);
    this.schedules = new Schedules(deps, this.calendar, this.periods, this.runner, this.views);
  }

  /** The shop's zone (settings.timeZone, else the station's own; a test may fix it), recorded on each new schedule. */
  get timeZone(): string {
    return this.calendar.timeZone;
  }

  create(input: ParsedInputOf<'recurring.create'>, actor: Actor): Promise<RecurringDetail> {
    return this.schedules.create(input, actor);
  }

  update(input: ParsedInputOf<'recurring.update'>, actor: Actor): Promise<RecurringDetail> {
    return this.schedules.update(input, actor);
  }

  pause(id: string, actor: Actor): RecurringDetail {
    return this.schedules.pause(id, actor);
  }

  resume(id: string, actor: Actor): Promise<RecurringDetail> {
    return this.schedules.resume(id, actor);
  }

  cancel(id: string, actor: Actor): RecurringDetail {
    return this.schedules.cancel(id, actor);
  }

  /** A supervisor charges a missed period, or retries one that needs attention (same period reference). */
  async runPeriod(periodId: string, actor: Actor): Promise<RecurringDetail> {
    const scheduleId = await this.periods.runByHand(periodId, actor);
    this.runner.noteAttention();
    return this.views.detail(scheduleId);
  }

  skipPeriod(periodId: string, reason: string, actor: Actor): RecurringDetail {
    const scheduleId = this.periods.skip(periodId, reason, actor);
    this.runner.noteAttention();
    return this.views.detail(scheduleId);
  }

  /** One pass (single flight): write the periods now due, finish running ones, charge those due while running. */
  pass(): Promise<PassReport> {
    return this.runner.pass();
  }

  /** Start-up (after payments recovered): finish running periods, write what fell due while closed, then tick. */
  start(): Promise<void> {
    return this.runner.start();
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  list(filter: ParsedInputOf<'recurring.list'>): OutputOf<'recurring.list'> {
    return this.views.list(filter);
  }

  detail(id: string): RecurringDetail {
    return this.views.detail(id);
  }

  /** Writes the periods of a schedule now due; for the crash test, which stops between the period row and the charge. */
  materialize(s: ScheduleRow, now: string): void {
    this.runner.materialize(s, now);
  }

  /** Claims a period without charging it; for the crash test, as above. */
  claim(periodId: string, from: readonly PeriodState[], actor: Actor): unknown {
    return this.periods.claim(periodId, from, actor);
  }
}
