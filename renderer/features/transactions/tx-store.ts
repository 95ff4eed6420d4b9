import { create } from 'zustand';
import { registerPrefetch } from '../../app/nav-store';
import { call, paymentsStamp, watchPayments } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { DEFAULT_FILTER, PAGE, listInput as input, listStoreIn, takeEarlyPage, type Filter, type ListPage } from './first-page';
import { keepSameRows } from './same-rows';

export type Row = ListPage['rows'][number];
export type { Filter };

interface TxState {
  filter: Filter;
  rows: Row[];
  total: number;
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** Bumps on every reload so late pages of an old query are dropped. */
  generation: number;
  /** `paymentsStamp()` when the rows' first page was asked for (-1: none yet). */
  stamp: number;
  /** What is in the search box now, before the filter takes it (it waits for typing to pause). */
  typed: string;
  /** The filter the rows shown were read for (its call input as JSON; null before the first). */
  shownFor: string | null;
  setFilter: (patch: Partial<Filter>) => void;
  setTyped: (query: string) => void;
  /**
   * Loads the first page for the current filter. With `reuseWithinMs`, a load of the same filter
   * already in flight, or finished that recently, is used instead of asking again (the list
   * mounting right after the F4 that already started it).
   */
  reload: (opts?: { reuseWithinMs?: number }) => Promise<void>;
  loadMore: () => Promise<void>;
  /**
   * Reads the current filter again as far down as is loaded (another desk's work arrived, in a
   * shop) and replaces the rows in one step: the list keeps its length, so nothing scrolled to
   * is dropped.
   */
  refresh: () => Promise<void>;
}

/** The core's largest page (PaymentListFilter). */
const MAX_PAGE = 500;

/** The last first-page load: which filter, its promise, when it finished (null while in flight). */
let lastLoad: { key: string; generation: number; promise: Promise<void>; doneAt: number | null } | null = null;

/**
 * Whether the rows shown answer what the person sees in the filters now: the search box as typed,
 * and the filters' first page read (more pages loading while scrolling does not matter). Enter on
 * the list opens a row only then (issue: ↓ Enter right after typing opened a row of the list
 * before the search, another customer's payment).
 */
export function rowsAreFresh(s: Pick<TxState, 'filter' | 'typed' | 'shownFor'>): boolean {
  return s.typed === s.filter.query && s.shownFor === JSON.stringify(input(s.filter));
}

export const useTx = create<TxState>((set, get) => ({
  filter: DEFAULT_FILTER,
  rows: [],
  total: 0,
  nextCursor: null,
  loading: false,
  error: null,
  generation: 0,
  stamp: -1,
  typed: DEFAULT_FILTER.query,
  shownFor: null,
  setFilter: (patch) => {
    set((s) => ({ filter: { ...s.filter, ...patch } }));
  },
  setTyped: (typed) => set({ typed }),
  reload: (opts) => {
    const key = JSON.stringify(input(get().filter));
    const reuse = opts?.reuseWithinMs;
    if (reuse !== undefined && lastLoad && lastLoad.key === key && lastLoad.generation === get().generation) {
      if (lastLoad.doneAt === null || performance.now() - lastLoad.doneAt <= reuse) return lastLoad.promise;
    }
    const generation = get().generation + 1;
    set({ generation, loading: true, error: null });
    let stamp = paymentsStamp();
    const load = (async () => {
      try {
        const want = input(get().filter);
        // An early answer (F4 before this code was in) is as current as when it was asked for.
        const taken = takeEarlyPage(want);
        if (taken) stamp = taken.stamp;
        const r = await (taken?.promise ?? call('payments.list', want));
        if (get().generation !== generation) return;
        // Replace in one step: the old rows stay until the new ones arrive (no flicker); the rows
        // that did not change stay the same objects, so they are not drawn again.
        set((s) => ({ rows: keepSameRows(s.rows, r.rows), total: r.total, nextCursor: r.nextCursor, loading: false, stamp, shownFor: JSON.stringify(want) }));
      } catch (e) {
        if (get().generation === generation) set({ loading: false, error: describeError(e) });
      } finally {
        if (lastLoad?.generation === generation) lastLoad.doneAt = performance.now();
      }
    })();
    lastLoad = { key, generation, promise: load, doneAt: null };
    return load;
  },
  loadMore: async () => {
    const { nextCursor, loading, generation } = get();
    if (!nextCursor || loading) return;
    set({ loading: true });
    try {
      const r = await call('payments.list', input(get().filter, nextCursor));
      if (get().generation !== generation) return;
      set((s) => ({ rows: [...s.rows, ...r.rows], nextCursor: r.nextCursor, total: r.total, loading: false }));
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: describeError(e) });
    }
  },
  refresh: async () => {
    if (get().loading) return; // a load in flight reads the new rows anyway
    const want = Math.max(PAGE, get().rows.length);
    const generation = get().generation + 1;
    set({ generation });
    const stamp = paymentsStamp();
    try {
      let r = await call('payments.list', { ...input(get().filter), limit: MAX_PAGE });
      let rows = r.rows;
      while (rows.length < want && r.nextCursor) {
        r = await call('payments.list', { ...input(get().filter, r.nextCursor), limit: MAX_PAGE });
        rows = rows.concat(r.rows);
      }
      if (get().generation !== generation) return;
      set((s) => ({ rows: keepSameRows(s.rows, rows), total: r.total, nextCursor: r.nextCursor, stamp }));
    } catch (e) {
      if (get().generation === generation) set({ error: describeError(e) });
    }
  },
}));

watchPayments();

// F4 (or a click on Transactions) starts the first page before the screen renders. Before this
// chunk is in, first-page.ts does, and the load above takes its answer over.
registerPrefetch('transactions', () => useTx.getState().reload());
listStoreIn();
