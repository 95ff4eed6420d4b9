/**
 * Recurring charges (seed 001): when each period of a schedule falls due. Pure functions, no
 * clock, no Node: the core decides with them and the screen previews with them.
 *
 * Rules (docs/recurring.md):
 * - Period 1 is due at `startAt`. Period n is `startAt` moved by (n - 1) steps of the frequency,
 *   always computed from the start (never from the previous period), keeping the time of day.
 * - Calendar arithmetic is on the UTC calendar (times in the ledger are UTC).
 * - Monthly and yearly keep the start's day of month; when a month is shorter the period falls on
 *   its last day (start 31 Jan → 28/29 Feb → 31 Mar → 30 Apr …). A yearly schedule started on
 *   29 February falls on 28 February in common years and on the 29th in leap years.
 * - The schedule ends after `count` periods, or with the last period due at or before `endAt`;
 *   with neither, it runs until cancelled.
 * - A schedule changed after it started (a new rhythm or next date) keeps its period numbers: the
 *   change "anchors" the rule at the next period, `anchor`, due at the new `startAt`; periods
 *   before the anchor are history (they fell due under the old rule and are never recomputed).
 *   Unchanged schedules have anchor 1: period 1 is due at `startAt`.
 */

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Recurrence {
  frequency: Frequency;
  /** ISO-8601 instant of period 1. */
  startAt: string;
  /** Last instant a period may fall due (inclusive), or null. */
  endAt?: string | null;
  /** Number of periods, or null. */
  count?: number | null;
  /** The period due at `startAt` (default 1); periods before it fell due under an earlier rule. */
  anchor?: number;
}

const DAY_MS = 86_400_000;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in a month of the UTC calendar; month is 0-11. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
}

function addMonthsClamped(start: Date, months: number): Date {
  const total = start.getUTCFullYear() * 12 + start.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  return new Date(Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
}

function anchorOf(r: Pick<Recurrence, 'anchor'>): number {
  const a = r.anchor ?? 1;
  if (!Number.isInteger(a) || a < 1) throw new RangeError(`anchor must be a whole number from 1, got ${a}`);
  return a;
}

/** When period n (from the anchor on, 1 by default) falls due, as an ISO instant. */
export function dueAt(r: Pick<Recurrence, 'frequency' | 'startAt' | 'anchor'>, n: number): string {
  const anchor = anchorOf(r);
  if (!Number.isInteger(n) || n < anchor) throw new RangeError(`period must be a whole number from ${anchor}, got ${n}`);
  const start = new Date(r.startAt);
  if (Number.isNaN(start.getTime())) throw new RangeError(`invalid start ${r.startAt}`);
  const steps = n - anchor;
  switch (r.frequency) {
    case 'daily':
      return new Date(start.getTime() + steps * DAY_MS).toISOString();
    case 'weekly':
      return new Date(start.getTime() + steps * 7 * DAY_MS).toISOString();
    case 'monthly':
      return addMonthsClamped(start, steps).toISOString();
    case 'yearly':
      return addMonthsClamped(start, steps * 12).toISOString();
  }
}

/** Whether period n exists at all (within the count or the end date). Periods before the anchor are history: they exist. */
export function periodExists(r: Recurrence, n: number): boolean {
  if (!Number.isInteger(n) || n < 1) return false;
  if (r.count != null && n > r.count) return false;
  if (n < anchorOf(r)) return true;
  if (r.endAt != null && Date.parse(dueAt(r, n)) > Date.parse(r.endAt)) return false;
  return true;
}

export interface PlannedPeriod {
  period: number;
  dueAt: string;
}

/** Up to `limit` periods from period `from` on (for the screen's preview and the runner). */
export function periodsFrom(r: Recurrence, from: number, limit: number): PlannedPeriod[] {
  const out: PlannedPeriod[] = [];
  for (let n = Math.max(anchorOf(r), from); out.length < limit && periodExists(r, n); n++) out.push({ period: n, dueAt: dueAt(r, n) });
  return out;
}

/** Periods from `from` (never before the anchor) that are due at `now` or before (at most `limit`). */
export function periodsDueBy(r: Recurrence, from: number, now: string, limit = 1000): PlannedPeriod[] {
  const out: PlannedPeriod[] = [];
  const t = Date.parse(now);
  for (let n = Math.max(anchorOf(r), from); out.length < limit && periodExists(r, n); n++) {
    const d = dueAt(r, n);
    if (Date.parse(d) > t) break;
    out.push({ period: n, dueAt: d });
  }
  return out;
}

/** Number of periods of the schedule, or null when it runs until cancelled. Bounded to 100 000. */
export function totalPeriods(r: Recurrence): number | null {
  if (r.count != null) return r.count;
  if (r.endAt == null) return null;
  let n = 0;
  while (n < 100_000 && periodExists(r, n + 1)) n++;
  return n;
}

/**
 * The gateway reference of a period, derived from the schedule and the period alone, so every
 * run, retry or restart computes the same one: `<station>-RC-<schedule short id>-<period>`.
 * APS allows at most 40 characters of [A-Za-z0-9-_.]; the payments feature appends `-P<attempt>`.
 */
export function periodReference(stationPrefix: string, scheduleShortId: string, period: number): string {
  const ref = `${stationPrefix}-RC-${scheduleShortId}-${period}`;
  if (!/^[A-Za-z0-9\-_.]{1,34}$/.test(ref)) throw new RangeError(`"${ref}" cannot be a recurring reference`);
  return ref;
}

export const FREQUENCY_LABEL: Record<Frequency, string> = { daily: 'Daily', weekly: 'Weekly', monthly: 'Monthly', yearly: 'Yearly' };
