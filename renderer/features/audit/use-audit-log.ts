import { useCallback, useRef, useState } from 'react';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { listInput, type AuditEntry, type AuditFilter } from './audit-data';

export const PAGE = 100;
export const EXPORT_PAGE = 1000;
export const EXPORT_MAX = 200_000;

/**
 * The entries on screen for a filter: the newest page, "Load older", and a load that goes on down
 * to a given entry (to point at it). Only the answer to the latest request is kept.
 */
export function useAuditLog() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Read by the next load: keep loading older pages until this seq is in. */
  const loadDownTo = useRef<number | null>(null);
  const request = useRef(0);

  const load = useCallback(async (f: AuditFilter) => {
    const id = ++request.current;
    const downTo = loadDownTo.current;
    loadDownTo.current = null;
    setLoading(true);
    try {
      let rows = await call('audit.list', listInput(f, PAGE));
      let more = rows.length === PAGE;
      while (downTo !== null && more && rows[rows.length - 1]!.seq > downTo && rows.length < EXPORT_MAX) {
        const next = await call('audit.list', listInput(f, EXPORT_PAGE, rows[rows.length - 1]!.seq));
        rows = rows.concat(next);
        more = next.length === EXPORT_PAGE;
      }
      if (id !== request.current) return;
      setEntries(rows);
      setHasMore(more);
      setError(null);
    } catch (e) {
      if (id === request.current) setError(describeError(e));
    } finally {
      if (id === request.current) setLoading(false);
    }
  }, []);

  const older = useAction(async (filter: AuditFilter) => {
    const last = entries?.[entries.length - 1];
    if (!last) return;
    const id = request.current;
    const next = await call('audit.list', listInput(filter, PAGE, last.seq));
    if (id !== request.current) return;
    setEntries((prev) => (prev ? prev.concat(next.filter((e) => e.seq < last.seq)) : next));
    setHasMore(next.length === PAGE);
  });

  /** The next load goes on down to entry `seq`. */
  const downTo = useCallback((seq: number) => {
    loadDownTo.current = seq;
  }, []);

  return { entries, hasMore, loading, error, load, older, downTo };
}
