import { useCallback, useEffect, useRef, useState } from 'react';
import type { CompareResult, DaySnapshotSummary, EndOfDayReport } from '../../../shared/contract/reports';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { dayInput } from './report-data';

export interface Loaded {
  report: EndOfDayReport;
  compare: CompareResult | null;
}

/**
 * One day's report from the core: computed now, or for a closed day the stored snapshot compared
 * with a fresh computation; and the list of closed days. Only the answer for the latest requested
 * day is kept (quick date changes may answer out of order).
 */
export function useDayReport(date: string) {
  const [data, setData] = useState<Loaded | null>(null);
  const [closedDays, setClosedDays] = useState<DaySnapshotSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const latest = useRef('');

  const load = useCallback(async (day: string) => {
    latest.current = day;
    setLoading(true);
    setError(null);
    try {
      const closed = await call('reports.closedDays', {});
      let next: Loaded;
      if (closed.some((c) => c.date === day)) {
        const compare = await call('reports.compare', { date: day });
        next = { report: compare.current, compare };
      } else {
        next = { report: await call('reports.endOfDay', dayInput(day)), compare: null };
      }
      if (latest.current !== day) return;
      setClosedDays(closed);
      setData(next);
    } catch (e) {
      if (latest.current !== day) return;
      setData(null);
      setError(describeError(e));
    } finally {
      if (latest.current === day) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) void load(date);
  }, [date, load]);

  return { data, closedDays, error, loading, reload: () => load(date) };
}
