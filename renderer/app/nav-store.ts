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

export const useNav = create<NavState>((set) => ({
  screen: 'order',
  paymentId: null,
  customerId: null,
  recurringId: null,
  go: (screen) => set({ screen }),
  openPayment: (paymentId) => set({ screen: 'transactions', paymentId }),
  openCustomer: (customerId) => set({ screen: 'customers', customerId }),
  openRecurring: (recurringId) => set({ screen: 'recurring', recurringId }),
}));
