import { create } from 'zustand';

export type PrefillKind = 'capture' | 'void' | 'refund';

interface Prefill {
  /** Rows chosen on another screen (Transactions' selection), taken once by the bulk screen. */
  pending: { kind: PrefillKind; references: string[] } | null;
  offer: (kind: PrefillKind, references: string[]) => void;
  take: () => { kind: PrefillKind; references: string[] } | null;
}

export const useBulkPrefill = create<Prefill>((set, get) => ({
  pending: null,
  offer: (kind, references) => set({ pending: { kind, references } }),
  take: () => {
    const p = get().pending;
    if (p) set({ pending: null });
    return p;
  },
}));

/** The same file a person would write: a reference column, amounts empty (= what remains). */
export function csvOfReferences(references: string[]): string {
  return ['reference', ...references].join('\n');
}
