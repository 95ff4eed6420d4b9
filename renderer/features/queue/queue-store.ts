import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useSync } from './sync-store';

export type QueuePage = OutputOf<'sync.queue'>;
export type Entry = QueuePage['rows'][number];
export type Section = QueuePage['section'];
export type Counts = QueuePage['counts'];

/** Rows per page (keyset cursor, like Transactions). */
export const PAGE = 200;
/** A change re-reads what is loaded in one call up to this many rows; beyond, the screen offers a reload. */
const MAX_REREAD = 500;

interface QueueState {
  /** null until the screen decided which section to show first. */
  section: Section | null;
  rows: Entry[];
  nextCursor: string | null;
  counts: Counts | null;
  loading: boolean;
  error: string | null;
  /** The queue changed while more rows were loaded than one call re-reads: the screen offers "Reload". */
  stale: boolean;
  /** Bumps on every reload so late pages of an old section are dropped. */
  generation: number;
  /** Opens the screen: what needs a person first; with nothing to resolve, what waits. */
  open: () => Promise<void>;
  setSection: (s: Section) => Promise<void>;
  /** From the first row; `keep` re-reads as many rows as are loaded (after a change), so the place in the list stays. */
  reload: (keep?: boolean) => Promise<void>;
  loadMore: () => Promise<void>;
  /** Exact counts pushed by the core ('sync.changed'). */
  applyCounts: (c: Pick<OutputOf<'sync.status'>, 'needsAttention' | 'recurringAttention' | 'queued'>) => void;
}

async function page(section: Section, limit: number, cursor?: string): Promise<QueuePage> {
  const r = await call('sync.queue', { section, limit, ...(cursor ? { cursor } : {}) });
  useSync.getState().learnClock(r.now);
  return r;
}

export const useQueue = create<QueueState>((set, get) => ({
  section: null,
  rows: [],
  nextCursor: null,
  counts: null,
  loading: false,
  error: null,
  stale: false,
  generation: 0,
  open: async () => {
    const generation = get().generation + 1;
    set({ generation, section: null, loading: true, error: null, stale: false });
    try {
      const first = await page('attention', PAGE);
      if (get().generation !== generation) return;
      if (first.counts.attention === 0 && first.counts.queued > 0) {
        await get().setSection('queued');
        return;
      }
      set({ section: 'attention', rows: first.rows, nextCursor: first.nextCursor, counts: first.counts, loading: false });
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: describeError(e), section: get().section ?? 'attention' });
    }
  },
  setSection: async (section) => {
    set({ section, rows: [], nextCursor: null, stale: false });
    await get().reload();
  },
  reload: async (keep = false) => {
    const { section, rows } = get();
    if (!section) return;
    if (keep && rows.length > MAX_REREAD) {
      set({ stale: true });
      return;
    }
    const generation = get().generation + 1;
    set({ generation, loading: true, error: null });
    try {
      const r = await page(section, keep ? Math.min(MAX_REREAD, Math.max(PAGE, rows.length)) : PAGE);
      if (get().generation !== generation) return;
      set({ rows: r.rows, nextCursor: r.nextCursor, counts: r.counts, loading: false, stale: false });
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: describeError(e) });
    }
  },
  loadMore: async () => {
    const { nextCursor, loading, generation, section } = get();
    if (!nextCursor || loading || !section) return;
    set({ loading: true });
    try {
      const r = await page(section, PAGE, nextCursor);
      if (get().generation !== generation) return;
      set((s) => ({ rows: [...s.rows, ...r.rows], nextCursor: r.nextCursor, counts: r.counts, loading: false }));
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: describeError(e) });
    }
  },
  applyCounts: (c) => set({ counts: { attention: c.needsAttention, recurringAttention: c.recurringAttention, queued: c.queued } }),
}));
