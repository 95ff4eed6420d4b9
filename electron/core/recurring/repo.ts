import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/** A row of `recurring_schedules` (migration 005). */
export interface ScheduleRow {
  id: string;
  short_id: string;
  customer_id: string;
  customer_name: string;
  card_id: string;
  amount: number;
  currency: string;
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly';
  start_at: string;
  end_at: string | null;
  count: number | null;
  description: string;
  state: 'active' | 'paused' | 'cancelled' | 'completed';
  active_since: string;
  last_period: number;
  created_by: string;
  created_by_name: string;
  created_at: string;
  updated_at: string;
  /** IANA zone whose calendar the periods follow (migration 009; 'UTC' for older schedules). */
  time_zone: string;
}

export type PeriodState = 'missed' | 'due' | 'running' | 'charged' | 'skipped' | 'needs_attention';

/** A row of `recurring_periods` (migration 005). */
export interface PeriodRow {
  id: string;
  schedule_id: string;
  period: number;
  due_at: string;
  state: PeriodState;
  reference: string;
  order_id: string | null;
  payment_id: string | null;
  attempts: number;
  reason: string | null;
  /** `reason` as a key + params (migration 016); NULL when a person typed it or on older rows. */
  reason_text?: string | null;
  acted_by: string | null;
  acted_by_name: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

export function insertSchedule(db: Db, row: ScheduleRow): void {
  stmt(
    db,
    `INSERT INTO recurring_schedules (id, short_id, customer_id, customer_name, card_id, amount, currency, frequency, start_at, end_at, count,
       description, state, active_since, last_period, created_by, created_by_name, created_at, updated_at, time_zone)
     VALUES (@id, @short_id, @customer_id, @customer_name, @card_id, @amount, @currency, @frequency, @start_at, @end_at, @count,
       @description, @state, @active_since, @last_period, @created_by, @created_by_name, @created_at, @updated_at, @time_zone)`,
  ).run(row);
}

export function getSchedule(db: Db, id: string): ScheduleRow | undefined {
  return stmt(db, 'SELECT * FROM recurring_schedules WHERE id = ?').get(id) as ScheduleRow | undefined;
}

export function shortIdExists(db: Db, shortId: string): boolean {
  return stmt(db, 'SELECT 1 FROM recurring_schedules WHERE short_id = ?').get(shortId) !== undefined;
}

export function listSchedules(db: Db, filter: { customerId?: string | undefined; state?: ScheduleRow['state'] | undefined }): ScheduleRow[] {
  return stmt(
    db,
    `SELECT * FROM recurring_schedules
     WHERE (@customer IS NULL OR customer_id = @customer) AND (@state IS NULL OR state = @state)
     ORDER BY CASE state WHEN 'active' THEN 0 WHEN 'paused' THEN 1 WHEN 'completed' THEN 2 ELSE 3 END, created_at DESC
     LIMIT 500`,
  ).all({ customer: filter.customerId ?? null, state: filter.state ?? null }) as ScheduleRow[];
}

export function activeSchedules(db: Db): ScheduleRow[] {
  return stmt(db, `SELECT * FROM recurring_schedules WHERE state = 'active' ORDER BY created_at`).all() as ScheduleRow[];
}

export function updateSchedule(db: Db, id: string, patch: Partial<Omit<ScheduleRow, 'id'>>, at: string): void {
  const keys = Object.keys(patch);
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'];
  db.prepare(`UPDATE recurring_schedules SET ${sets.join(', ')} WHERE id = @id`).run({ ...patch, id, updated_at: at });
}

export function insertPeriod(db: Db, row: PeriodRow): void {
  stmt(
    db,
    `INSERT INTO recurring_periods (id, schedule_id, period, due_at, state, reference, order_id, payment_id, attempts, reason,
       acted_by, acted_by_name, started_at, finished_at, created_at, updated_at)
     VALUES (@id, @schedule_id, @period, @due_at, @state, @reference, @order_id, @payment_id, @attempts, @reason,
       @acted_by, @acted_by_name, @started_at, @finished_at, @created_at, @updated_at)`,
  ).run(row);
}

export function getPeriod(db: Db, id: string): PeriodRow | undefined {
  return stmt(db, 'SELECT * FROM recurring_periods WHERE id = ?').get(id) as PeriodRow | undefined;
}

export function periodsOf(db: Db, scheduleId: string): PeriodRow[] {
  return stmt(db, 'SELECT * FROM recurring_periods WHERE schedule_id = ? ORDER BY period DESC').all(scheduleId) as PeriodRow[];
}

export function periodsInState(db: Db, state: PeriodState): PeriodRow[] {
  return stmt(db, 'SELECT * FROM recurring_periods WHERE state = ? ORDER BY due_at, period').all(state) as PeriodRow[];
}

export function countsOf(db: Db, scheduleId: string): Record<PeriodState, number> {
  const rows = stmt(db, 'SELECT state, COUNT(*) AS n FROM recurring_periods WHERE schedule_id = ? GROUP BY state').all(scheduleId) as { state: PeriodState; n: number }[];
  const out: Record<PeriodState, number> = { missed: 0, due: 0, running: 0, charged: 0, skipped: 0, needs_attention: 0 };
  for (const r of rows) out[r.state] = r.n;
  return out;
}

export function countAll(db: Db, state: PeriodState): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM recurring_periods WHERE state = ?').get(state) as { n: number }).n;
}

/**
 * Moves a period from one state to another only if it is still in the expected one: the
 * exactly-once guard. True for the one caller that wins.
 */
export function movePeriod(db: Db, id: string, from: readonly PeriodState[], patch: Partial<Omit<PeriodRow, 'id'>> & { state: PeriodState }, at: string): boolean {
  // A reason written without its key (a person's own words) clears the key of the reason before.
  if ('reason' in patch && !('reason_text' in patch)) patch = { ...patch, reason_text: null };
  const keys = Object.keys(patch);
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'];
  const allowed = from.map((_, i) => `@from${i}`).join(', ');
  const params: Record<string, unknown> = { ...patch, id, updated_at: at };
  from.forEach((s, i) => (params[`from${i}`] = s));
  return db.prepare(`UPDATE recurring_periods SET ${sets.join(', ')} WHERE id = @id AND state IN (${allowed})`).run(params).changes === 1;
}

/**
 * The period due at the schedule's `start_at` (the recurrence's anchor, shared/domain/recurrence).
 * A schedule that was never changed has period 1 there. A change of rhythm or next date moves
 * `start_at` to the next period's new date, always after every period already written (the
 * service refuses anything else), so the periods written before the change are exactly those due
 * before `start_at`, and the anchor is one more than the last of them. Derived, not stored: period
 * numbers (and with them the references) only ever go on from `last_period`, whatever the dates.
 */
export function anchorOf(db: Db, scheduleId: string, startAt: string): number {
  const r = stmt(db, 'SELECT MAX(period) AS n FROM recurring_periods WHERE schedule_id = ? AND due_at < ?').get(scheduleId, startAt) as { n: number | null };
  return (r.n ?? 0) + 1;
}

export function lastPeriodOf(db: Db, scheduleId: string): PeriodRow | undefined {
  return stmt(db, 'SELECT * FROM recurring_periods WHERE schedule_id = ? ORDER BY period DESC LIMIT 1').get(scheduleId) as PeriodRow | undefined;
}

/** Periods that fell due and were not claimed yet (no order): their amount is not fixed yet. */
export function unpricedPeriodsOf(db: Db, scheduleId: string): PeriodRow[] {
  return stmt(db, `SELECT * FROM recurring_periods WHERE schedule_id = ? AND order_id IS NULL AND state IN ('due', 'missed', 'needs_attention') ORDER BY period`).all(scheduleId) as PeriodRow[];
}

export function setPeriodOrder(db: Db, id: string, orderId: string, at: string): void {
  stmt(db, 'UPDATE recurring_periods SET order_id = ?, updated_at = ? WHERE id = ? AND order_id IS NULL').run(orderId, at, id);
}
