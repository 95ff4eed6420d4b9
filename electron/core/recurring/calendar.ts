import { ContractError, coreText, type CoreMessageKey } from '../../../shared/contract';
import { isTimeZone, type Recurrence } from '../../../shared/domain/recurrence';
import type { Db } from '../db/database';
import type { CoreDeps } from '../deps';
import { anchorOf, type ScheduleRow } from './repo';

export const DAY_MS = 86_400_000;

/** The station's own IANA time zone. */
export function stationTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export const utcMinute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Whose calendar schedules follow: the zone recorded on each new schedule (the shop's
 * settings.timeZone, read each time, else the station's own; a test or the simulation may fix it),
 * and each schedule's rule anchored where its last change put it.
 */
export class ShopCalendar {
  constructor(
    private readonly deps: CoreDeps,
    private readonly fixedZone: string | undefined,
  ) {
    if (fixedZone !== undefined && !isTimeZone(fixedZone)) throw new Error(`unknown time zone ${fixedZone}`);
  }

  get timeZone(): string {
    return this.fixedZone ?? this.deps.settings.get().timeZone ?? stationTimeZone();
  }

  /** The schedule's rule, anchored where its last change put it (repo.anchorOf). */
  recurrence(db: Db, s: ScheduleRow): Recurrence {
    return { frequency: s.frequency, startAt: s.start_at, endAt: s.end_at, count: s.count, anchor: anchorOf(db, s.id, s.start_at), timeZone: s.time_zone };
  }
}

/**
 * A date the clerk chose for a charge (a start or a next charge): not a date, more than a day in
 * the past, or more than a year ahead is refused; today (a moment already passed) means now.
 */
export function chosenChargeDate(
  value: string,
  now: Date,
  field: 'startAt' | 'nextAt',
  texts: { notADate: string; past: CoreMessageKey; far: CoreMessageKey },
): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ContractError('VALIDATION', texts.notADate, { [field]: 'Not a date' });
  if (t < now.getTime() - DAY_MS) throw new ContractError('VALIDATION', coreText(texts.past), { [field]: 'In the past' });
  if (t > now.getTime() + 366 * DAY_MS) throw new ContractError('VALIDATION', coreText(texts.far), { [field]: 'More than a year ahead' });
  return new Date(Math.max(t, now.getTime())).toISOString();
}
