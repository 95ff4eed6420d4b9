import { create } from 'zustand';
import { roleAtLeast, type Role } from '../../shared/domain/roles';

export type Screen = 'order' | 'customers' | 'transactions' | 'queue' | 'recurring' | 'reports' | 'audit' | 'settings' | 'bulk' | 'catalog';

/** Who may open each screen: the side navigation, the shortcuts and sign-in all read this. */
export const SCREEN_MIN_ROLE: Record<Screen, Role> = {
  order: 'clerk',
  customers: 'clerk',
  transactions: 'clerk',
  queue: 'clerk',
  recurring: 'clerk',
  reports: 'clerk',
  audit: 'supervisor',
  settings: 'admin',
  bulk: 'supervisor',
  catalog: 'admin',
};

export function mayOpen(role: Role, screen: Screen): boolean {
  return roleAtLeast(role, SCREEN_MIN_ROLE[screen]);
}

interface NavState {
  screen: Screen;
  /** Open payment on the Transactions screen (null = the list). */
  paymentId: string | null;
  /** Open customer on the Customers screen (null = the search). */
  customerId: string | null;
  /** A recurring schedule to open on the Recurring screen (taken, then cleared, by the screen). */
  recurringId: string | null;
  /** Whose screens these are: another person signing in starts from New order. */
  userId: string | null;
  go: (screen: Screen) => void;
  openPayment: (id: string | null) => void;
  openCustomer: (id: string | null) => void;
  openRecurring: (id: string | null) => void;
  /**
   * Someone signed in. Another person lands on New order (the order screen keeps an unfinished
   * draft) with no customer, payment or schedule of the previous person open; the same person keeps
   * their screen if their role may still see it. True when it was another person.
   */
  signedIn: (userId: string, role: Role) => boolean;
}

/**
 * What a screen can start loading the moment someone asks for it (F-key, click, hover), before
 * React has rendered it: its code (a lazy screen, app/screens.tsx) and its first data (a feature
 * registers its own, e.g. tx-store), so this module imports no feature.
 */
const prefetchers: Partial<Record<Screen, () => Promise<void> | void>> = {};
const codeLoaders: Partial<Record<Screen, () => Promise<void>>> = {};
export function registerPrefetch(screen: Screen, fn: () => Promise<void> | void): void {
  prefetchers[screen] = fn;
}
export function registerScreenCode(screen: Screen, load: () => Promise<void>): void {
  codeLoaders[screen] = load;
}

/** The screen's code; resolves when it is in (at once for the screens in the entry). */
export function loadScreenCode(screen: Screen): Promise<void> {
  return codeLoaders[screen]?.().catch(() => undefined) ?? Promise.resolve();
}

/** Its code and its first data; resolves when the data is in (never rejects). */
export function prefetch(screen: Screen): Promise<void> {
  void loadScreenCode(screen);
  return Promise.resolve(prefetchers[screen]?.()).catch(() => undefined);
}

export const useNav = create<NavState>((set, get) => ({
  screen: 'order',
  paymentId: null,
  customerId: null,
  recurringId: null,
  userId: null,
  go: (screen) => {
    void prefetch(screen);
    set({ screen });
  },
  openPayment: (paymentId) => {
    if (paymentId === null) void prefetch('transactions'); // the list, not one payment
    else void loadScreenCode('transactions');
    set({ screen: 'transactions', paymentId });
  },
  openCustomer: (customerId) => {
    void loadScreenCode('customers');
    set({ screen: 'customers', customerId });
  },
  openRecurring: (recurringId) => {
    void loadScreenCode('recurring');
    set({ screen: 'recurring', recurringId });
  },
  signedIn: (userId, role) => {
    const s = get();
    if (s.userId !== userId) {
      set({ userId, screen: 'order', paymentId: null, customerId: null, recurringId: null });
      return s.userId !== null;
    }
    if (!mayOpen(role, s.screen)) set({ screen: 'order' });
    return false;
  },
}));
