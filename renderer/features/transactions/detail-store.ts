import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import type { CoreTextLike } from '../../lib/core-text';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useSync } from '../queue/sync-store';

export type Detail = OutputOf<'payments.get'>;
export type OpResult = OutputOf<'payments.capture'>;
export type ActionKind = 'capture' | 'void' | 'refund';

export interface LastOutcome {
  action: ActionKind | 'checkStatus';
  outcome: OpResult['outcome'];
  message: string;
  /** The core's sentence as a key (lib/core-text). */
  text?: CoreTextLike | undefined;
  amount: number | null;
}

interface DetailState {
  paymentId: string | null;
  detail: Detail | null;
  loading: boolean;
  error: string | null;
  /** The form open under the action bar. */
  form: ActionKind | null;
  last: LastOutcome | null;
  load: (paymentId: string) => Promise<void>;
  openForm: (form: ActionKind | null) => void;
  applied: (r: OpResult, action: LastOutcome['action'], amount: number | null) => void;
}

export const useDetail = create<DetailState>((set, get) => ({
  paymentId: null,
  detail: null,
  loading: false,
  error: null,
  form: null,
  last: null,
  load: async (paymentId) => {
    const same = get().paymentId === paymentId;
    set({ paymentId, loading: true, error: null, ...(same ? {} : { detail: null, form: null, last: null }) });
    try {
      const detail = await call('payments.get', { paymentId });
      if (get().paymentId === paymentId) set({ detail, loading: false });
    } catch (e) {
      if (get().paymentId === paymentId) set({ loading: false, error: describeError(e) });
    }
  },
  openForm: (form) => set({ form, ...(form ? { last: null } : {}) }),
  applied: (r, action, amount) => {
    set({ detail: r.detail, form: null, last: { action, outcome: r.outcome, message: r.message, text: r.text, amount } });
    // The top bar's counts come from the core too: ask now rather than wait for the coalesced event,
    // so it never says "nothing queued" while this page says "1 queued".
    void useSync.getState().refresh();
  },
}));
