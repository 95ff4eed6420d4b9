import type { OutputOf } from '../../../shared/contract';
import { FREQUENCY_LABEL } from '../../../shared/domain/recurrence';

export type Detail = OutputOf<'recurring.get'>;
export type Schedule = Detail['schedule'];
export type Period = Detail['periods'][number];

/** Badge of a period: text, class and a glyph so the state reads without colour. */
export const PERIOD_BADGE: Record<Period['state'], { label: string; cls: string; glyph: string }> = {
  due: { label: 'Due', cls: 'badge-info', glyph: '○' },
  running: { label: 'Charging', cls: 'badge-unknown', glyph: '?' },
  charged: { label: 'Charged', cls: 'badge-success', glyph: '✓' },
  missed: { label: 'Missed', cls: 'badge-warning', glyph: '!' },
  needs_attention: { label: 'Needs attention', cls: 'badge-danger', glyph: '✕' },
  skipped: { label: 'Skipped', cls: 'badge-neutral', glyph: '–' },
};

export const SCHEDULE_BADGE: Record<Schedule['state'], { label: string; cls: string; glyph: string }> = {
  active: { label: 'Active', cls: 'badge-success', glyph: '●' },
  paused: { label: 'Paused', cls: 'badge-queued', glyph: '⏸' },
  cancelled: { label: 'Cancelled', cls: 'badge-neutral', glyph: '✕' },
  completed: { label: 'Completed', cls: 'badge-neutral', glyph: '✓' },
};

/** "Monthly · 3 of 12" / "Weekly · until 30 Jun 2026" / "Daily · until cancelled". */
export function cadence(s: Pick<Schedule, 'frequency' | 'count' | 'endAt' | 'totalPeriods'>, fmtDate: (iso: string) => string): string {
  const f = FREQUENCY_LABEL[s.frequency];
  if (s.count !== null) return `${f} · ${s.count} charge${s.count === 1 ? '' : 's'}`;
  if (s.endAt !== null) return `${f} · until ${fmtDate(s.endAt)}`;
  return `${f} · until cancelled`;
}

/** What a person should know about a period, in one sentence. */
export function periodResult(p: Period): string {
  switch (p.state) {
    case 'charged':
      return 'Approved';
    case 'running':
      return p.reason ?? 'Being charged…';
    case 'due':
      return p.reason ?? 'Charged automatically';
    default:
      return p.reason ?? '';
  }
}

/** A local calendar date (YYYY-MM-DD) at the current local time of day, as an ISO instant. */
export function startInstant(localDate: string, now = new Date()): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, now.getHours(), now.getMinutes(), now.getSeconds()).toISOString();
}

/** A local calendar date (YYYY-MM-DD) at the local time of day of `timeOf` (an ISO instant), as an ISO instant. */
export function atLocalDate(localDate: string, timeOf: string): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  const t = new Date(timeOf);
  return new Date(y, m - 1, d, t.getHours(), t.getMinutes(), t.getSeconds(), t.getMilliseconds()).toISOString();
}

/** The end of a local calendar day, as an ISO instant (a period due that day is included). */
export function endInstant(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59, 999).toISOString();
}

export function localDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
