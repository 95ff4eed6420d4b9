import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { createLatestSearch } from '../../lib/latest-search';

export type Hit = OutputOf<'customers.search'>['hits'][number];

/** "searching…" appears only when an answer is this late: a normal search answers within a frame or two. */
export const SLOW_SEARCH_MS = 300;

interface CustomersState {
  query: string;
  /** The query the shown hits belong to: old hits stay until new ones arrive. */
  shownFor: string;
  hits: Hit[];
  more: boolean;
  active: number;
  error: string | null;
  /** A search for the query is in flight (or waiting for the one in flight). */
  searching: boolean;
  /** The search has been in flight for SLOW_SEARCH_MS: the screen says so. */
  slow: boolean;
  /** Sets the field's text and searches for it (trimmed) at once, if that changed the search. */
  setQuery: (q: string) => void;
  /** Searches for `q` (already trimmed); the empty query clears the results. */
  search: (q: string) => void;
  setActive: (i: number) => void;
}

const NO_HITS: Hit[] = [];

export const useCustomers = create<CustomersState>((set, get) => {
  let asked = '';
  let slowTimer: ReturnType<typeof setTimeout> | undefined;
  const settled = () => {
    clearTimeout(slowTimer);
    slowTimer = undefined;
  };
  // Sent right after the keystroke's task, one request at a time, newest query only
  // (renderer/lib/latest-search.ts; why not a debounce: docs/performance.md, renderer).
  const searcher = createLatestSearch((query: string) => call('customers.search', { query, limit: 20 }), {
    onResult: (q, r) => {
      settled();
      set({ hits: r.hits, more: r.more, shownFor: q, active: 0, error: null, searching: false, slow: false });
    },
    onError: (_q, e) => {
      settled();
      set({ error: describeError(e), searching: false, slow: false });
    },
  });

  const search = (q: string) => {
    asked = q;
    if (!q) {
      searcher.cancel();
      settled();
      set({ hits: NO_HITS, shownFor: '', more: false, searching: false, slow: false, error: null, active: 0 });
      return;
    }
    if (!get().searching) {
      set({ searching: true });
      slowTimer = setTimeout(() => {
        if (get().searching) set({ slow: true });
      }, SLOW_SEARCH_MS);
    }
    searcher.ask(q);
  };

  return {
    query: '',
    shownFor: '',
    hits: NO_HITS,
    more: false,
    active: 0,
    error: null,
    searching: false,
    slow: false,
    setQuery: (query) => {
      set({ query });
      const q = query.trim();
      if (q !== asked) search(q);
    },
    search,
    setActive: (active) => set({ active }),
  };
});
