import { periodExists, periodsDueBy } from '../../../shared/domain/recurrence';
import { startInterval, type Timer } from '../clock';
import type { CoreDeps } from '../deps';
import { tx } from '../ledger/sql';
import { errText, recurringAudit, RUNNER } from './audit';
import type { ShopCalendar } from './calendar';
import type { Periods } from './periods';
import { activeSchedules, countAll, getSchedule, periodsInState, updateSchedule, type ScheduleRow } from './repo';

export interface PassReport {
  charged: number;
  attention: number;
  running: number;
  missed: number;
}

/** Most periods written for one schedule in one pass (a daily schedule left closed for years). */
const MAX_PERIODS_PER_PASS = 400;

/**
 * The runner: a pass (single flight) writes the periods now due, finishes running ones and
 * charges those that fell due while the station ran; it ticks on the core's clock
 * (Clock.setTimer through startInterval: virtual time in the simulation) from start to close,
 * and tells whoever listens when the number of periods needing attention changed.
 */
export class RecurringRunner {
  private attentionSeen = -1;
  private timer: Timer | null = null;
  private passing: Promise<PassReport> | null = null;
  private closed = false;

  constructor(
    private readonly deps: CoreDeps,
    private readonly calendar: ShopCalendar,
    private readonly periods: Periods,
    private readonly opts: {
      tickMs: number;
      onAttentionChange: (() => void) | undefined;
      /** Whether this station's runner charges a schedule (in a shop, only the schedule's own station). */
      runs: (scheduleId: string) => boolean;
    },
  ) {}

  /** Tells whoever listens (the Queue screen, through sync) when the number of periods needing attention changed. */
  noteAttention(): void {
    if (!this.opts.onAttentionChange || this.closed || !this.deps.db.open) return;
    const n = countAll(this.deps.db, 'needs_attention');
    if (n === this.attentionSeen) return;
    this.attentionSeen = n;
    this.opts.onAttentionChange();
  }

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
    const runs = this.opts.runs;
    const now = this.deps.clock.now().toISOString();
    for (const s of activeSchedules(db)) if (runs(s.id)) this.materialize(s, now);
    for (const p of periodsInState(db, 'running')) {
      if (this.closed) break;
      if (!runs(p.schedule_id)) continue;
      await this.periods.finishRunning(p);
    }
    for (const p of periodsInState(db, 'due')) {
      if (this.closed) break;
      if (!runs(p.schedule_id)) continue;
      // A completed schedule still charges its last periods; paused and cancelled ones charge nothing.
      const state = getSchedule(db, p.schedule_id)?.state;
      if (state !== 'active' && state !== 'completed') continue;
      await this.periods.chargePeriod(p.id, ['due'], RUNNER);
    }
    this.noteAttention();
    return { charged: countAll(db, 'charged'), attention: countAll(db, 'needs_attention'), running: countAll(db, 'running'), missed: countAll(db, 'missed') };
  }

  /**
   * Writes the rows of periods that are now due. One due before this run of the station started, or
   * before the schedule was (re)activated, fell due while nobody could charge it: "missed", for a
   * supervisor to run or skip; any other is "due" and charged by the runner.
   */
  materialize(s: ScheduleRow, now: string): void {
    const { db } = this.deps;
    const r = this.calendar.recurrence(db, s);
    const due = periodsDueBy(r, s.last_period + 1, now, MAX_PERIODS_PER_PASS);
    const finished = !periodExists(r, s.last_period + due.length + 1);
    if (due.length === 0 && !finished) return;
    tx(db, () => {
      const cur = getSchedule(db, s.id);
      // Someone else got here, or the schedule was changed since it was read.
      if (!cur || cur.state !== 'active' || cur.last_period !== s.last_period || cur.start_at !== s.start_at || cur.frequency !== s.frequency) return;
      this.periods.writeFallenDue(s, due, now);
      const last = s.last_period + due.length;
      updateSchedule(db, s.id, { last_period: last, ...(finished ? { state: 'completed' as const } : {}) }, now);
      if (finished) recurringAudit(this.deps, RUNNER, 'recurring.complete', `RC-${s.short_id}`, 'success', `all ${last} period(s) have fallen due`);
    });
  }

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
    }, this.opts.tickMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.timer.clear();
    this.timer = null;
    await Promise.allSettled([this.passing, ...this.periods.running()]);
  }
}
