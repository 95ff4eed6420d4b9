import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompareResult, DaySnapshotSummary, EndOfDayReport, ReportScope } from '../../../shared/contract/reports';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { dayInput } from './report-data';

export interface Loaded {
  report: EndOfDayReport;
  compare: CompareResult | null;
  /** This station closed the day (a close is per station, whatever the scope shown). */
  closed: boolean;
}

/**
 * One day's report from the core: computed now, or for a day this station closed the stored
 * snapshot compared with a fresh computation; the whole shop's is always computed now (closes are
 * per station). And the list of closed days. Only the answer for the latest request is kept
 * (quick changes may answer out of order).
 */
export function useDayReport(date: string, scope: ReportScope = 'station') {
  const [data, setData] = useState<Loaded | null>(null);
  const [closedDays, setClosedDays] = useState<DaySnapshotSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef('');

  const load = useCallback(async (day: string, whose: ReportScope) => {
    const key = `${day}|${whose}`;
    latest.current = key;
    setLoading(true);
    setError(null);
    try {
      const closedList = await call('reports.closedDays', {});
      const closed = closedList.some((c) => c.date === day);
      let next: Loaded;
      if (whose === 'shop') {
        next = { report: await call('reports.endOfDay', { ...dayInput(day), scope: 'shop' }), compare: null, closed };
      } else if (closed) {
        const compare = await call('reports.compare', { date: day });
        next = { report: compare.current, compare, closed };
      } else {
        next = { report: await call('reports.endOfDay', dayInput(day)), compare: null, closed };
      }
      if (latest.current !== key) return;
      setClosedDays(closedList);
      setData(next);
    } catch (e) {
      if (latest.current !== key) return;
      setData(null);
      setError(describeError(e));
    } finally {
      if (latest.current === key) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) void load(date, scope);
  }, [date, scope, load]);

  return { data, closedDays, error, loading, reload: () => load(date, scope) };
}
