import { create } from 'zustand';

export type Screen = 'order' | 'customers' | 'transactions' | 'queue' | 'recurring' | 'reports' | 'audit' | 'settings';

interface NavState {
  screen: Screen;
  /** Open payment on the Transactions screen (null = the list). */
  paymentId: string | null;
  /** Open customer on the Customers screen (null = the search). */
  customerId: string | null;
  /** A recurring schedule to open on the Recurring screen (taken, then cleared, by the screen). */
  recurringId: string | null;
  go: (screen: Screen) => void;
  openPayment: (id: string | null) => void;
  openCustomer: (id: string | null) => void;
  openRecurring: (id: string | null) => void;
}

/**
 * What a screen can start loading the moment someone asks for it (F-key, click), before React has
 * rendered it: a feature registers its own (tx-store), so this module imports no feature.
 */
const prefetchers: Partial<Record<Screen, () => void>> = {};
export function registerPrefetch(screen: Screen, fn: () => void): void {
  prefetchers[screen] = fn;
}

export const useNav = create<NavState>((set) => ({
  screen: 'order',
  paymentId: null,
  customerId: null,
  recurringId: null,
  go: (screen) => {
    prefetchers[screen]?.();
    set({ screen });
  },
  openPayment: (paymentId) => {
    if (paymentId === null) prefetchers.transactions?.(); // the list, not one payment
    set({ screen: 'transactions', paymentId });
  },
  openCustomer: (customerId) => set({ screen: 'customers', customerId }),
  openRecurring: (recurringId) => set({ screen: 'recurring', recurringId }),
}));
