/**
 * React keys for a virtualised list's rows, by slot rather than by payment: a row that stays on
 * screen keeps its slot, and a row scrolled in takes the slot of one scrolled out. A scrolled frame
 * then updates a few rows in place instead of unmounting some and building others, and a change in
 * how many rows are drawn (the list revealed at its real height, a resize) moves no row that stays
 * (docs/performance.md, scroll).
 */
export function assignSlots(previous: ReadonlyMap<number, number>, indexes: readonly number[]): Map<number, number> {
  const next = new Map<number, number>();
  const taken = new Set<number>();
  for (const i of indexes) {
    const slot = previous.get(i);
    if (slot !== undefined && !next.has(i)) {
      next.set(i, slot);
      taken.add(slot);
    }
  }
  let free = 0;
  for (const i of indexes) {
    if (next.has(i)) continue;
    while (taken.has(free)) free++;
    next.set(i, free);
    taken.add(free);
  }
  return next;
}
