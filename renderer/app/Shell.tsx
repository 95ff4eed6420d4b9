import { Activity, useEffect, useState } from 'react';
import { subscribe } from '../lib/api';
import { useHotkeys } from '../lib/keys';
import { NewOrderScreen } from '../features/order/NewOrderScreen';
import { useOrder } from '../features/order/order-store';
import { useSync } from '../features/queue/sync-store';
import { useSettings } from '../features/settings/settings-store';
import { IdleWatcher } from '../features/session/IdleWatcher';
import { LockOverlay } from '../features/session/LockOverlay';
import { useSession } from '../features/session/session-store';
import { ReceiptPortal } from '../features/transactions/Receipt';
import { askFirstPageAhead } from '../features/transactions/first-page';
import {
  AuditScreen, BulkScreen, CatalogScreen, CustomersScreen, EndOfDayScreen, preloadScreensWhenIdle, QueueScreen, RecurringScreen, SettingsScreen, TransactionsScreen,
} from './screens';
import { SandboxBanner, TopBar } from './TopBar';
import { SideNav } from './SideNav';
import { focusSoon } from './focus-soon';
import { whenIdle } from './lazy-screen';
import { mayOpen, prefetch, useNav, type Screen } from './nav-store';

/** The signed-in desk: banner, top bar, navigation, the current screen; the lock overlay on top. */
export function Shell() {
  // A screen the role may not see is never drawn (sign-in moves away from it; this covers a role change).
  const wanted = useNav((s) => s.screen);
  const go = useNav((s) => s.go);
  const locked = useSession((s) => s.locked);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const screen: Screen = mayOpen(role, wanted) ? wanted : 'order';
  const orderShown = useOrderLeavingWhenIdle(screen);
  const lock = useSession((s) => s.lock);
  const loadSettings = useSettings((s) => s.load);
  const startSync = useSync((s) => s.start);

  useEffect(() => {
    loadSettings().catch(() => undefined);
    return startSync();
  }, [loadSettings, startSync]);

  // The other screens' code, once the first one is drawn and the desk is idle.
  // Transactions, F4's screen, is also drawn ahead, hidden (React's Activity), once its code is in:
  // F4 then shows a drawn screen instead of building one (docs/performance.md, first rows after F4).
  // Its first page is asked for when the desk opens (beside the code, not after it; the list's store
  // takes that answer over), and the hidden list drawn again once it is in: a hidden tree
  // does not hear its stores, only a render from here (TxList hides rows read before a payment may
  // have changed: lib/api.ts, paymentsStamp). txDrawn counts those draws (0: not drawn).
  const [txDrawn, setTxDrawn] = useState(0);
  // Until it is first shown, the list drawn ahead stays laid out under the order screen, invisible
  // (.drawn-ahead), rather than hidden by Activity (display: none): F4 then only paints it, without
  // laying out the whole screen in F4's own frame. Later it leaves and returns through Activity, so
  // a payment left open never keeps its shortcuts while hidden.
  const [txShown, setTxShown] = useState(screen === 'transactions');
  if (screen === 'transactions' && !txShown) setTxShown(true);
  const txAhead = !txShown && screen !== 'transactions';
  useEffect(() => {
    if (mayOpen(role, 'transactions') && useNav.getState().screen !== 'transactions') askFirstPageAhead();
    return preloadScreensWhenIdle(role, (s) => {
      if (s !== 'transactions') return;
      setTxDrawn(1);
      if (useNav.getState().screen !== 'transactions') void prefetch('transactions').then(() => setTxDrawn(2));
    });
  }, [role]);

  // A status asked for while the core had the session locked was refused: ask again on unlock,
  // so the top bar never keeps saying "Checking connection…".
  useEffect(() => {
    if (!locked) void useSync.getState().refresh();
  }, [locked]);

  useEffect(
    () =>
      subscribe('session.changed', () => void useSession.getState().recheck()),
    [],
  );

  useEffect(() => {
    document.body.dataset.locked = locked ? 'true' : 'false';
  }, [locked]);

  const open = (target: Screen, focus: string) => {
    go(target);
    focusSoon(focus);
  };
  // F2 from anywhere: a fresh order, never the last one's result (useOrder.startFresh).
  const newOrder = () => {
    useOrder.getState().startFresh();
    open('order', '#order-first-field');
  };
  // F3 and /: always the search (never the last customer's page), the previous query selected so
  // the next caller's details replace it.
  const findCustomer = () => {
    useNav.getState().openCustomer(null);
    focusSoon('#customer-search', (box) => (box as HTMLInputElement).select());
  };

  useHotkeys(
    {
      F2: newOrder,
      'Alt+N': newOrder,
      F3: findCustomer,
      'Alt+C': findCustomer,
      '/': findCustomer,
      F4: () => {
        useNav.getState().openPayment(null);
        focusSoon('#tx-query');
      },
      'Alt+T': () => {
        useNav.getState().openPayment(null);
        focusSoon('#tx-query');
      },
      'Alt+Q': () => open('queue', '#queue-title'),
      'Alt+R': () => open('recurring', '#recurring-title'),
      'Alt+E': () => open('reports', '#eod-date'),
      'Alt+G': () => {
        if (mayOpen(role, 'audit')) open('audit', '#audit-title');
      },
      'Alt+S': () => {
        if (mayOpen(role, 'settings')) open('settings', '#settings-title');
      },
      'Alt+B': () => {
        if (mayOpen(role, 'bulk')) open('bulk', '#bulk-title');
      },
      'Alt+K': () => {
        if (mayOpen(role, 'catalog')) open('catalog', '#catalog-search');
      },
      'Alt+L': () => void lock(),
    },
    !locked,
  );

  return (
    <>
      <div className="shell" inert={locked}>
        <SandboxBanner />
        <TopBar />
        <div className="shell-body">
          <SideNav onNewOrder={newOrder} />
          <main className="screen" id="main">
            <Activity mode={screen === 'order' ? 'visible' : 'hidden'}>{orderShown.drawn ? <NewOrderScreen key={orderShown.key} /> : null}</Activity>
            {screen === 'customers' ? <CustomersScreen /> : null}
            <Activity mode={screen === 'transactions' || txAhead ? 'visible' : 'hidden'}>
              {screen === 'transactions' || txDrawn > 0 ? (
                <div className={txAhead ? 'screen-slot drawn-ahead' : 'screen-slot'}>
                  <TransactionsScreen />
                </div>
              ) : null}
            </Activity>
            {screen === 'queue' ? <QueueScreen /> : null}
            {screen === 'recurring' ? <RecurringScreen /> : null}
            {screen === 'reports' ? <EndOfDayScreen /> : null}
            {screen === 'audit' ? <AuditScreen /> : null}
            {screen === 'settings' ? <SettingsScreen /> : null}
            {screen === 'bulk' ? <BulkScreen /> : null}
            {screen === 'catalog' ? <CatalogScreen /> : null}
          </main>
        </div>
      </div>
      {locked ? <LockOverlay /> : <IdleWatcher />}
      <ReceiptPortal />
    </>
  );
}

/**
 * The order screen leaves in two steps: hidden at once (React's Activity: its effects stop, its
 * scanner and card frame listeners with them), then taken out of the page when the desk is next
 * idle. Taking its ~800 nodes and the card frame out cost F4's frame 15-25 ms (docs/performance.md).
 * Coming back is always a new order screen (a new key), never the hidden one.
 */
function useOrderLeavingWhenIdle(screen: Screen): { drawn: boolean; key: number } {
  const [was, setWas] = useState(screen);
  const [key, setKey] = useState(0);
  const [leaving, setLeaving] = useState(false);
  if (was !== screen) {
    setWas(screen);
    setLeaving(was === 'order');
    if (screen === 'order') setKey((k) => k + 1);
  }
  useEffect(() => {
    if (!leaving) return;
    return whenIdle(() => setLeaving(false));
  }, [leaving]);
  return { drawn: screen === 'order' || leaving, key };
}
