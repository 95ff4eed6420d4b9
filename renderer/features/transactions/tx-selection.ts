import { create } from 'zustand';

/**
 * Payments a supervisor picked on the list for one bulk action (Space, Shift+arrows, Ctrl+A).
 * Cleared when the filter changes: an action never reaches rows that are no longer shown.
 */
interface Selection {
  /** payment id → its reference (what the bulk file names). */
  picked: Map<string, string>;
  /** Where Shift+arrows extend from. */
  anchor: number | null;
  toggle: (id: string, reference: string, index: number) => void;
  /** Exactly the rows between the anchor and `index` (inclusive) stay picked, plus the ones picked before the anchor was set. */
  extend: (rows: readonly { id: string; reference: string }[], from: number, to: number) => void;
  all: (rows: readonly { id: string; reference: string }[]) => void;
  clear: () => void;
}

export const useTxSelection = create<Selection>((set, get) => ({
  picked: new Map(),
  anchor: null,
  toggle: (id, reference, index) => {
    const picked = new Map(get().picked);
    if (picked.has(id)) picked.delete(id);
    else picked.set(id, reference);
    set({ picked, anchor: index });
  },
  extend: (rows, from, to) => {
    const anchor = get().anchor ?? from;
    const picked = new Map(get().picked);
    const [lo, hi] = anchor <= to ? [anchor, to] : [to, anchor];
    for (let i = lo; i <= hi; i++) {
      const r = rows[i];
      if (r) picked.set(r.id, r.reference);
    }
    set({ picked, anchor });
  },
  all: (rows) => set({ picked: new Map(rows.map((r) => [r.id, r.reference])), anchor: null }),
  clear: () => set({ picked: new Map(), anchor: null }),
}));
