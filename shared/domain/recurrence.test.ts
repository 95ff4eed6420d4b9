import { describe, expect, it } from 'vitest';
import { daysInMonth, dueAt, isLeapYear, periodExists, periodReference, periodsDueBy, periodsFrom, totalPeriods, type Recurrence } from './recurrence';

const d = (iso: string) => iso.slice(0, 10);

describe('recurrence: due dates', () => {
  it('period 1 is the start; daily and weekly add whole days and keep the time of day', () => {
    const start = '2026-03-07T09:15:00.000Z';
    expect(dueAt({ frequency: 'daily', startAt: start }, 1)).toBe(start);
    expect(dueAt({ frequency: 'daily', startAt: start }, 3)).toBe('2026-03-09T09:15:00.000Z');
    expect(dueAt({ frequency: 'weekly', startAt: start }, 2)).toBe('2026-03-14T09:15:00.000Z');
    expect(dueAt({ frequency: 'daily', startAt: '2028-02-28T23:00:00.000Z' }, 2)).toBe('2028-02-29T23:00:00.000Z');
  });

  it('monthly on the 31st falls on the last day of shorter months, and back on the 31st after', () => {
    const r = { frequency: 'monthly' as const, startAt: '2026-01-31T10:00:00.000Z' };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => d(dueAt(r, n)))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31']);
    expect(dueAt(r, 2)).toBe('2026-02-28T10:00:00.000Z');
  });

  it('monthly in a leap year: 31 Jan → 29 Feb; 30th stays the 30th; crosses the year', () => {
    expect(d(dueAt({ frequency: 'monthly', startAt: '2028-01-31T00:00:00.000Z' }, 2))).toBe('2028-02-29');
    expect(d(dueAt({ frequency: 'monthly', startAt: '2026-01-30T00:00:00.000Z' }, 2))).toBe('2026-02-28');
    expect(d(dueAt({ frequency: 'monthly', startAt: '2026-01-30T00:00:00.000Z' }, 3))).toBe('2026-03-30');
    expect(d(dueAt({ frequency: 'monthly', startAt: '2026-11-15T00:00:00.000Z' }, 3))).toBe('2027-01-15');
    expect(d(dueAt({ frequency: 'monthly', startAt: '2026-12-31T00:00:00.000Z' }, 14))).toBe('2028-01-31');
  });

  it('yearly on 29 February: 28 Feb in common years, 29 Feb in leap years', () => {
    const r = { frequency: 'yearly' as const, startAt: '2028-02-29T12:00:00.000Z' };
    expect([1, 2, 3, 4, 5].map((n) => d(dueAt(r, n)))).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
    expect(d(dueAt(r, 73))).toBe('2100-02-28'); // 2100 is not a leap year
    expect(d(dueAt(r, 73 + 300))).toBe('2400-02-29');
  });

  it('calendar helpers', () => {
    expect([1900, 2000, 2024, 2026].map(isLeapYear)).toEqual([false, true, true, false]);
    expect(daysInMonth(2024, 1)).toBe(29);
    expect(daysInMonth(2026, 1)).toBe(28);
    expect(daysInMonth(2026, 3)).toBe(30);
  });

  it('refuses period 0 and bad starts', () => {
    expect(() => dueAt({ frequency: 'daily', startAt: '2026-01-01T00:00:00Z' }, 0)).toThrow(RangeError);
    expect(() => dueAt({ frequency: 'daily', startAt: 'yesterday' }, 1)).toThrow(RangeError);
  });
});

describe('recurrence: end date and count', () => {
  it('count: exactly that many periods', () => {
    const r: Recurrence = { frequency: 'weekly', startAt: '2026-01-01T08:00:00.000Z', count: 3 };
    expect(periodsFrom(r, 1, 10).map((p) => p.period)).toEqual([1, 2, 3]);
    expect(periodExists(r, 4)).toBe(false);
    expect(totalPeriods(r)).toBe(3);
  });

  it('end date: the last period is due at or before the end (inclusive)', () => {
    const r: Recurrence = { frequency: 'monthly', startAt: '2026-01-31T08:00:00.000Z', endAt: '2026-04-30T08:00:00.000Z' };
    expect(periodsFrom(r, 1, 10).map((p) => d(p.dueAt))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(totalPeriods({ ...r, endAt: '2026-04-30T07:59:59.999Z' })).toBe(3);
    expect(totalPeriods({ frequency: 'daily', startAt: '2026-01-01T00:00:00Z' })).toBeNull();
  });

  it('periods due by a moment, from a given period', () => {
    const r: Recurrence = { frequency: 'monthly', startAt: '2026-01-15T09:00:00.000Z' };
    expect(periodsDueBy(r, 1, '2026-03-15T08:59:59.999Z').map((p) => p.period)).toEqual([1, 2]);
    expect(periodsDueBy(r, 1, '2026-03-15T09:00:00.000Z').map((p) => p.period)).toEqual([1, 2, 3]);
    expect(periodsDueBy(r, 3, '2026-03-15T09:00:00.000Z').map((p) => p.period)).toEqual([3]);
    expect(periodsDueBy({ ...r, count: 2 }, 1, '2027-01-01T00:00:00Z').map((p) => p.period)).toEqual([1, 2]);
    expect(periodsDueBy(r, 1, '2026-01-01T00:00:00Z')).toEqual([]);
  });
});

describe('recurrence: a schedule changed after it started (anchor)', () => {
  it('the rule restarts at the anchor period, due at the new start; numbers go on, earlier periods are history', () => {
    // Periods 1-3 fell due monthly; from period 4 on it is weekly from 2 May.
    const r: Recurrence = { frequency: 'weekly', startAt: '2026-05-02T09:00:00.000Z', anchor: 4 };
    expect(periodsFrom(r, 4, 3)).toEqual([
      { period: 4, dueAt: '2026-05-02T09:00:00.000Z' },
      { period: 5, dueAt: '2026-05-09T09:00:00.000Z' },
      { period: 6, dueAt: '2026-05-16T09:00:00.000Z' },
    ]);
    // Asking from before the anchor never recomputes history.
    expect(periodsFrom(r, 1, 1)[0]!.period).toBe(4);
    expect(periodsDueBy(r, 1, '2026-05-09T09:00:00.000Z').map((p) => p.period)).toEqual([4, 5]);
    expect(() => dueAt(r, 3)).toThrow(RangeError);
    expect(periodExists(r, 2)).toBe(true);
  });

  it('monthly from an anchor keeps the new start day, clamped per month', () => {
    const r: Recurrence = { frequency: 'monthly', startAt: '2026-01-31T10:00:00.000Z', anchor: 7 };
    expect(periodsFrom(r, 7, 3).map((p) => d(p.dueAt))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
  });

  it('count and end date still count every period, history included', () => {
    const counted: Recurrence = { frequency: 'daily', startAt: '2026-06-01T00:00:00.000Z', anchor: 5, count: 6 };
    expect(periodsFrom(counted, 5, 10).map((p) => p.period)).toEqual([5, 6]);
    expect(totalPeriods(counted)).toBe(6);
    const ended: Recurrence = { frequency: 'weekly', startAt: '2026-06-01T00:00:00.000Z', anchor: 3, endAt: '2026-06-15T00:00:00.000Z' };
    expect(periodsFrom(ended, 3, 10).map((p) => p.period)).toEqual([3, 4, 5]);
    expect(totalPeriods(ended)).toBe(5);
    expect(() => periodsFrom({ ...ended, anchor: 0 }, 1, 1)).toThrow(RangeError);
  });
});

describe('recurrence: references', () => {
  it('are derived from the schedule and the period only, and fit the gateway', () => {
    expect(periodReference('D1', '7K3QF9AB', 3)).toBe('D1-RC-7K3QF9AB-3');
    expect(periodReference('D1', '7K3QF9AB', 3)).toBe(periodReference('D1', '7K3QF9AB', 3));
    const long = periodReference('Desk1234', 'ZZZZZZZZ', 999_999);
    expect(`${long}-P99`.length).toBeLessThanOrEqual(40);
    expect(() => periodReference('D 1', 'X', 1)).toThrow(RangeError);
  });
});

describe('the shop\'s calendar and time zone (issue 15, item 5)', () => {
  const due = (r: Recurrence, n: number) => Array.from({ length: n }, (_, i) => dueAt(r, i + 1));
  it('daily at local midnight stays at local midnight through both daylight-saving changes (New York)', () => {
    // 00:00 EST = 05:00Z; after 8 March 2026 00:00 EDT = 04:00Z; after 1 November back to 05:00Z.
    const spring = due({ frequency: 'daily', startAt: '2026-03-06T05:00:00.000Z', timeZone: 'America/New_York' }, 4);
    expect(spring).toEqual(['2026-03-06T05:00:00.000Z', '2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    const autumn = due({ frequency: 'daily', startAt: '2026-10-31T04:00:00.000Z', timeZone: 'America/New_York' }, 3);
    expect(autumn).toEqual(['2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    // On the UTC calendar (the old rule) the same start drifts to 01:00 local, then 23:00 the day before.
    expect(due({ frequency: 'daily', startAt: '2026-10-31T04:00:00.000Z' }, 3)[2]).toBe('2026-11-02T04:00:00.000Z');
  });

  it('monthly on the 1st at local midnight stays on the 1st in a zone ahead of UTC (on the UTC calendar it was the last day of the month before)', () => {
    // 1 January 00:00 in Auckland (NZDT, UTC+13) is 31 December 11:00Z.
    const r: Recurrence = { frequency: 'monthly', startAt: '2025-12-31T11:00:00.000Z', timeZone: 'Pacific/Auckland' };
    const local = due(r, 5).map((iso) => new Date(iso).toLocaleString('en-GB', { timeZone: 'Pacific/Auckland', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
    expect(local).toEqual(['01/01, 00:00', '01/02, 00:00', '01/03, 00:00', '01/04, 00:00', '01/05, 00:00']);
    // The old UTC arithmetic keeps "the 31st, 11:00Z": once daylight saving ends (5 April) that is
    // 23:00 on the last day of the month before, a day early.
    expect(new Date(dueAt({ frequency: 'monthly', startAt: r.startAt }, 5)).toLocaleDateString('en-GB', { timeZone: 'Pacific/Auckland' })).toBe('30/04/2026');
  });

  it('a wall time that does not exist on the day (the spring-forward gap) moves later by the gap; month ends are kept in the zone', () => {
    // 02:30 on 8 March 2026 does not exist in New York: 03:30 EDT.
    expect(dueAt({ frequency: 'daily', startAt: '2026-03-07T07:30:00.000Z', timeZone: 'America/New_York' }, 2)).toBe('2026-03-08T07:30:00.000Z');
    expect(dueAt({ frequency: 'monthly', startAt: '2026-01-31T05:00:00.000Z', timeZone: 'America/New_York' }, 2)).toBe('2026-02-28T05:00:00.000Z');
    expect(dueAt({ frequency: 'monthly', startAt: '2026-01-31T05:00:00.000Z', timeZone: 'America/New_York' }, 3)).toBe('2026-03-31T04:00:00.000Z');
  });
});
