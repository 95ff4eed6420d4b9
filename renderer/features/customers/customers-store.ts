import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';

export type Hit = OutputOf<'customers.search'>['hits'][number];

interface CustomersState {
  query: string;
  /** The query the shown hits belong to: old hits stay until new ones arrive. */
  shownFor: string;
  hits: Hit[];
  more: boolean;
  active: number;
  error: string | null;
  searching: boolean;
  seq: number;
  setQuery: (q: string) => void;
  search: (q: string) => Promise<void>;
  setActive: (i: number) => void;
}

export const useCustomers = create<CustomersState>((set, get) => ({
  query: '',
  shownFor: '',
  hits: [],
  more: false,
  active: 0,
  error: null,
  searching: false,
  seq: 0,
  setQuery: (query) => set({ query }),
  setActive: (active) => set({ active }),
  search: async (q) => {
    const seq = get().seq + 1;
    set({ seq, searching: true });
    if (!q) {
      set({ hits: [], shownFor: '', more: false, searching: false, error: null, active: 0 });
      return;
    }
    try {
      const r = await call('customers.search', { query: q, limit: 20 });
      if (get().seq !== seq) return;
      set({ hits: r.hits, more: r.more, shownFor: q, active: 0, error: null, searching: false });
    } catch (e) {
      if (get().seq === seq) set({ error: describeError(e), searching: false });
    }
  },
}));
