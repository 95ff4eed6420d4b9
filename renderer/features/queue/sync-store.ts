import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { call, subscribe } from '../../lib/api';

type SyncStatus = OutputOf<'sync.status'>;

interface SyncState {
  status: SyncStatus | null;
  refresh: () => Promise<void>;
  /** Subscribes to 'sync.changed' and refreshes every 30 s; returns the unsubscribe. */
  start: () => () => void;
}

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  refresh: async () => {
    try {
      set({ status: await call('sync.status', {}) });
    } catch {
      /* keep the last known status */
    }
  },
  start: () => {
    void get().refresh();
    const off = subscribe('sync.changed', (status) => set({ status }));
    const timer = setInterval(() => void get().refresh(), 30_000);
    return () => {
      off();
      clearInterval(timer);
    };
  },
}));
