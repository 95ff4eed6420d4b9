import { Temporal } from '@js-temporal/polyfill';

/**
 * Recurring charges (seed 001): when each period of a schedule falls due. Pure functions, no
 * clock, no Node: the core decides with them and the screen previews with them. Calendar
 * arithmetic is Temporal's (@js-temporal/polyfill; docs/decisions/0001-libraries.md), never ours.
 *
 * Rules (docs/recurring.md):
 * - Period 1 is due at `startAt`. Period n is `startAt` moved by (n - 1) steps of the frequency,
 *   always computed from the start (never from the previous period), keeping the time of day.
 * - Calendar arithmetic is on the shop's calendar: the schedule's IANA `timeZone` (default UTC,
 *   which schedules written before time zones were recorded keep). A schedule set at local
 *   midnight stays at local midnight across daylight-saving changes; a wall time that does not
 *   exist on a given day (the spring-forward gap) moves later by the gap, as Temporal's
 *   'compatible' disambiguation does.
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
  /** IANA time zone whose calendar the periods follow (default 'UTC'). */
  timeZone?: string | null;
}

export function isLeapYear(y: number): boolean {
  return Temporal.PlainDate.from({ year: y, month: 1, day: 1 }).inLeapYear;
}

/** Days in a month of the ISO calendar; month is 0-11. */
export function daysInMonth(year: number, month: number): number {
  return Temporal.PlainYearMonth.from({ year, month: month + 1 }).daysInMonth;
}

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(tz: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(tz);
    return true;
  } catch {
    return false;
  }
}

function anchorOf(r: Pick<Recurrence, 'anchor'>): number {
  const a = r.anchor ?? 1;
  if (!Number.isInteger(a) || a < 1) throw new RangeError(`anchor must be a whole number from 1, got ${a}`);
  return a;
}

/** When period n (from the anchor on, 1 by default) falls due, as an ISO instant. */
export function dueAt(r: Pick<Recurrence, 'frequency' | 'startAt' | 'anchor' | 'timeZone'>, n: number): string {
  const anchor = anchorOf(r);
  if (!Number.isInteger(n) || n < anchor) throw new RangeError(`period must be a whole number from ${anchor}, got ${n}`);
  const ms = Date.parse(r.startAt);
  if (Number.isNaN(ms)) throw new RangeError(`invalid start ${r.startAt}`);
  const start = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(r.timeZone ?? 'UTC');
  const steps = n - anchor;
  // Always from the start, in whole calendar units of the zone: the day of month is constrained
  // to the month's last day (31 Jan + 1 month = 28/29 Feb) and the wall time kept across DST.
  const unit = { daily: 'days', weekly: 'weeks', monthly: 'months', yearly: 'years' } as const;
  const due = start.add({ [unit[r.frequency]]: steps }, { overflow: 'constrain' });
  return new Date(due.epochMilliseconds).toISOString();
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
