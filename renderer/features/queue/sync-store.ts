import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { call, onOwnPaymentCall, subscribe } from '../../lib/api';

type SyncStatus = OutputOf<'sync.status'>;

interface SyncState {
  status: SyncStatus | null;
  /**
   * The core's clock minus this screen's (ms). Ages of queued work are times of the core's clock:
   * a station that follows another clock (web mode follows the sandbox's) must not age them by the
   * browser's. Learnt from every reply that carries the core's `now`.
   */
  clockOffsetMs: number;
  /** Records the core's `now` of a reply. */
  learnClock: (coreNow: string) => void;
  refresh: () => Promise<void>;
  /** Subscribes to 'sync.changed' and refreshes every 30 s; returns the unsubscribe. */
  start: () => () => void;
}

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  clockOffsetMs: 0,
  learnClock: (coreNow) => {
    const t = Date.parse(coreNow);
    if (!Number.isNaN(t)) set({ clockOffsetMs: t - Date.now() });
  },
  refresh: async () => {
    try {
      const status = await call('sync.status', {});
      get().learnClock(status.now);
      set({ status });
    } catch {
      /* keep the last known status */
    }
  },
  start: () => {
    void get().refresh();
    const off = subscribe('sync.changed', (status) => {
      get().learnClock(status.now);
      set({ status });
    });
    const timer = setInterval(() => void get().refresh(), 30_000);
    // A payment call of this desk just finished (its outcome may be unknown, which queues nothing
    // and sends no 'sync.changed'): read the counts again.
    const offPayments = onOwnPaymentCall(() => void get().refresh());
    return () => {
      off();
      offPayments();
      clearInterval(timer);
    };
  },
}));

/** The core's clock now (ms): re-read every `ms`, and at once when a reply taught a new offset, so ages stay true. */
export function useCoreNow(ms = 30_000): number {
  const offset = useSync((s) => s.clockOffsetMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, offset]);
  return now + offset;
}
