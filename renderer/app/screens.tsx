import type { Role } from '../../shared/domain/roles';
import { lazyScreen, whenIdle } from './lazy-screen';
import { mayOpen, registerScreenCode, type Screen } from './nav-store';
// F4's first page can be asked for before the list's code is in.
import '../features/transactions/first-page';

/*
 * Every screen but New order is its own chunk (docs/performance.md, initial JavaScript): the desk
 * opens on the order screen, so only its code is in the entry. The others are fetched when the
 * desk is first idle (in the order a desk reaches for them), or at once by their shortcut, a click
 * or a hover, whichever comes first.
 */
const customers = lazyScreen(() => import('../features/customers/CustomersScreen').then((m) => m.CustomersScreen));
const transactions = lazyScreen(() => import('../features/transactions/TransactionsScreen').then((m) => m.TransactionsScreen));
const queue = lazyScreen(() => import('../features/queue/QueueScreen').then((m) => m.QueueScreen));
const recurring = lazyScreen(() => import('../features/recurring/RecurringScreen').then((m) => m.RecurringScreen));
const reports = lazyScreen(() => import('../features/reports/EndOfDayScreen').then((m) => m.EndOfDayScreen));
const audit = lazyScreen(() => import('../features/audit/AuditScreen').then((m) => m.AuditScreen));
const settings = lazyScreen(() => import('../features/settings/SettingsScreen').then((m) => m.SettingsScreen));
const bulk = lazyScreen(() => import('../features/bulk/BulkScreen').then((m) => m.BulkScreen));
const catalog = lazyScreen(() => import('../features/catalog/CatalogScreen').then((m) => m.CatalogScreen));

const LAZY = { transactions, customers, queue, reports, recurring, audit, settings, bulk, catalog } as const;
for (const [screen, s] of Object.entries(LAZY)) registerScreenCode(screen as Screen, s.preload);

export const CustomersScreen = customers.Screen;
export const TransactionsScreen = transactions.Screen;
export const QueueScreen = queue.Screen;
export const RecurringScreen = recurring.Screen;
export const EndOfDayScreen = reports.Screen;
export const AuditScreen = audit.Screen;
export const SettingsScreen = settings.Screen;
export const BulkScreen = bulk.Screen;
export const CatalogScreen = catalog.Screen;

/**
 * After the first screen is drawn: the screens this role may open, one after the other (most used
 * first). Transactions, F4's, starts at once; each other one waits until the page is idle, so none
 * competes with the clerk's typing. `onLoaded` hears each one that is in. Returns a cancel.
 */
export function preloadScreensWhenIdle(role: Role, onLoaded?: (screen: Screen) => void): () => void {
  const order = (Object.keys(LAZY) as (keyof typeof LAZY)[]).filter((s) => mayOpen(role, s));
  let cancel = () => {};
  let stopped = false;
  const next = (i: number) => {
    if (stopped || i >= order.length) return;
    const screen = order[i]!;
    const load = () =>
      void LAZY[screen]
        .preload()
        .then(() => !stopped && onLoaded?.(screen), () => undefined)
        .finally(() => next(i + 1));
    if (screen === 'transactions') load();
    else cancel = whenIdle(load);
  };
  next(0);
  return () => {
    stopped = true;
    cancel();
  };
}
