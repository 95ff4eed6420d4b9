import { useEffect, useState } from 'react';
import type { AuditEntry } from './audit-data';
import { rowId } from './AuditEntriesTable';

/**
 * Once the pointed-at entry (or the marker of a missing one) is on screen: scroll to it and focus
 * it, keeping the verdict in sight with it when both fit. Returns the function that points.
 */
export function useRevealEntry(entries: AuditEntry[] | null): (seq: number) => void {
  const [reveal, setReveal] = useState<number | null>(null);
  useEffect(() => {
    if (reveal === null || !entries) return;
    const el = document.getElementById(rowId(reveal));
    if (!el) return;
    document.querySelector('.audit-verdict')?.scrollIntoView({ block: 'start' });
    const box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
    setReveal(null);
  }, [entries, reveal]);
  return setReveal;
}
