/**
 * A page read again, with every row that did not change kept as the object already shown: the
 * list's rows are memoised on their row, so an unchanged payment is not drawn again (F4 reads the
 * list again when it is shown; a shop's refresh reads it again after another desk's work). The
 * rows are flat (PaymentSummarySchema): equal fields are an equal row. When nothing changed at
 * all, the old array itself is returned.
 */
export function keepSameRows<R extends { id: string }>(old: readonly R[], fresh: R[]): R[] {
  if (old.length === 0) return fresh;
  const byId = new Map<string, R>();
  for (const r of old) byId.set(r.id, r);
  let all = old.length === fresh.length;
  const out = fresh.map((r, i) => {
    const before = byId.get(r.id);
    const same = before !== undefined && sameFields(before, r) ? before : r;
    if (same !== old[i]) all = false;
    return same;
  });
  return all ? (old as R[]) : out;
}

function sameFields(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}
