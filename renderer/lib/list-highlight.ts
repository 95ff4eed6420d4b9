/**
 * The highlighted entry of a search-as-you-type list, held by id, not by position. An answer that
 * lands after the clerk has pressed ArrowDown (the answer to the last letters typed) keeps the
 * highlight on the same product or customer if it is still listed, and drops it otherwise: Enter
 * never takes whatever now sits at the old position.
 */
export function keptHighlight<T>(id: string | null, items: readonly T[], idOf: (item: T) => string): string | null {
  return id !== null && items.some((item) => idOf(item) === id) ? id : null;
}

/** Index of the highlighted entry, or -1. */
export function highlightIndex<T>(id: string | null, items: readonly T[], idOf: (item: T) => string): number {
  return id === null ? -1 : items.findIndex((item) => idOf(item) === id);
}

/** ArrowDown (+1) or ArrowUp (-1) from the highlighted entry (from `from` when none), stopping at the ends. */
export function movedHighlight<T>(id: string | null, items: readonly T[], idOf: (item: T) => string, step: 1 | -1, from = -1): string | null {
  if (items.length === 0) return null;
  const at = highlightIndex(id, items, idOf);
  const next = Math.min(Math.max((at === -1 ? from : at) + step, 0), items.length - 1);
  return idOf(items[next]!);
}
