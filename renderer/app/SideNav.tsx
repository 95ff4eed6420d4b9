import { useTranslation } from 'react-i18next';
import { Kbd } from '../ui/Kbd';
import { useSync } from '../features/queue/sync-store';
import { useSession } from '../features/session/session-store';
import { loadScreenCode, mayOpen, useNav, type Screen } from './nav-store';

interface Item {
  screen: Screen;
  keys: string;
}

const ITEMS: Item[] = [
  { screen: 'order', keys: 'F2' },
  { screen: 'customers', keys: 'F3' },
  { screen: 'transactions', keys: 'F4' },
  { screen: 'queue', keys: 'Alt+Q' },
  { screen: 'recurring', keys: 'Alt+R' },
  { screen: 'reports', keys: 'Alt+E' },
  { screen: 'audit', keys: 'Alt+G' },
  { screen: 'settings', keys: 'Alt+S' },
  { screen: 'bulk', keys: 'Alt+B' },
  { screen: 'catalog', keys: 'Alt+K' },
];

const ALT: Partial<Record<Screen, string>> = { order: 'Alt+N', customers: 'Alt+C', transactions: 'Alt+T' };

export function SideNav({ onNewOrder }: { onNewOrder: () => void }) {
  const screen = useNav((s) => s.screen);
  const go = useNav((s) => s.go);
  const openPayment = useNav((s) => s.openPayment);
  const openCustomer = useNav((s) => s.openCustomer);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const attention = useSync((s) => (s.status ? s.status.queued + s.status.needsAttention : 0));
  const { t } = useTranslation('app');

  const onClick = (target: Screen) => {
    if (target === 'order') onNewOrder();
    else if (target === 'transactions') openPayment(null);
    else if (target === 'customers') openCustomer(null);
    else go(target);
  };

  return (
    <nav className="sidenav" aria-label={t('nav.main')}>
      <ul>
        {ITEMS.filter((i) => mayOpen(role, i.screen)).map((item) => {
          const alt = ALT[item.screen];
          return (
            <li key={item.screen}>
              <button
                type="button"
                className={`nav-item ${screen === item.screen ? 'active' : ''}`}
                aria-current={screen === item.screen ? 'page' : undefined}
                aria-keyshortcuts={alt ? `${item.keys} ${alt}` : item.keys}
                onClick={() => onClick(item.screen)}
                // The screen's code is fetched as the pointer or the focus comes to it (app/screens.tsx).
                onPointerEnter={() => void loadScreenCode(item.screen)}
                onFocus={() => void loadScreenCode(item.screen)}
              >
                <span className="nav-label">
                  {t(`nav.${item.screen}`)}
                  {item.screen === 'queue' && attention > 0 ? <span className="nav-count">{attention}</span> : null}
                </span>
                <Kbd keys={item.keys} />
              </button>
            </li>
          );
        })}
      </ul>
      <div className="nav-help" aria-label={t('nav.moreShortcuts')}>
        <div>
          <Kbd keys="/" /> {t('nav.searchCustomers')}
        </div>
        <div>
          <Kbd keys="Alt+L" /> {t('nav.lock')}
        </div>
      </div>
    </nav>
  );
}
