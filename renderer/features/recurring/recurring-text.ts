import type { OutputOf } from '../../../shared/contract';
import type { Frequency } from '../../../shared/domain/recurrence';
import { coreSentence } from '../../lib/core-text';
import { fmtNumber } from '../../lib/format';
import { i18next } from '../../i18n';

export type Detail = OutputOf<'recurring.get'>;
export type Schedule = Detail['schedule'];
export type Period = Detail['periods'][number];

export interface BadgeLook {
  label: string;
  cls: string;
  glyph: string;
}

/** Badge of a period: text, class and a glyph so the state reads without colour. */
const PERIOD_LOOK: Record<Period['state'], { key: string; cls: string; glyph: string }> = {
  due: { key: 'due', cls: 'badge-info', glyph: '○' },
  running: { key: 'running', cls: 'badge-unknown', glyph: '?' },
  charged: { key: 'charged', cls: 'badge-success', glyph: '✓' },
  missed: { key: 'missed', cls: 'badge-warning', glyph: '!' },
  needs_attention: { key: 'needsAttention', cls: 'badge-danger', glyph: '✕' },
  skipped: { key: 'skipped', cls: 'badge-neutral', glyph: '–' },
};

const SCHEDULE_LOOK: Record<Schedule['state'], { key: string; cls: string; glyph: string }> = {
  active: { key: 'active', cls: 'badge-success', glyph: '●' },
  paused: { key: 'paused', cls: 'badge-queued', glyph: '⏸' },
  cancelled: { key: 'cancelled', cls: 'badge-neutral', glyph: '✕' },
  completed: { key: 'completed', cls: 'badge-neutral', glyph: '✓' },
};

/** A period's badge; `label` replaces the state's word (e.g. "2 missed"). */
export function periodBadge(state: Period['state'], label?: string): BadgeLook {
  const { key, cls, glyph } = PERIOD_LOOK[state];
  return { label: label ?? i18next.t(`recurring:periodState.${key}`), cls, glyph };
}

export function scheduleBadge(state: Schedule['state']): BadgeLook {
  const { key, cls, glyph } = SCHEDULE_LOOK[state];
  return { label: i18next.t(`recurring:scheduleState.${key}`), cls, glyph };
}

/** "Daily", "Weekly"… in the user's language. */
export function frequencyLabel(f: Frequency): string {
  return i18next.t(`recurring:frequency.${f}`);
}

/** "Monthly · 12 charges" / "Weekly · until 30 Jun 2026" / "Daily · until cancelled". */
export function cadence(s: Pick<Schedule, 'frequency' | 'count' | 'endAt' | 'totalPeriods'>, fmtDate: (iso: string) => string): string {
  const frequency = frequencyLabel(s.frequency);
  if (s.count !== null) return i18next.t('recurring:cadence.count', { frequency, count: s.count, n: fmtNumber(s.count) });
  if (s.endAt !== null) return i18next.t('recurring:cadence.until', { frequency, date: fmtDate(s.endAt) });
  return i18next.t('recurring:cadence.untilCancelled', { frequency });
}

/** What a person should know about a period, in one sentence. */
export function periodResult(p: Period): string {
  // The core's sentence in the reader's language; a reason a person typed, or one stored before
  // the key was (English only), as it was written.
  const reason = coreSentence(p.reasonText) ?? p.reason;
  switch (p.state) {
    case 'charged':
      return i18next.t('recurring:result.approved');
    case 'running':
      return reason ?? i18next.t('recurring:result.running');
    case 'due':
      return reason ?? i18next.t('recurring:result.due');
    default:
      return reason ?? '';
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
