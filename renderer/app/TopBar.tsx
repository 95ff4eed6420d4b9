import { Trans, useTranslation } from 'react-i18next';
import { counted, fmtAge } from '../lib/format';
import { Button } from '../ui/Button';
import { useCoreNow, useSync } from '../features/queue/sync-store';
import { useSettings } from '../features/settings/settings-store';
import { useSession } from '../features/session/session-store';
import { ChangePinButton } from '../features/session/ChangePinDialog';
import { LanguageButton } from '../features/session/LanguageDialog';
import { useNav } from './nav-store';

/** Always visible where money goes: SANDBOX, APS TEST, or Live (docs/going-live.md). */
export function SandboxBanner() {
  return <GatewayBand gateway={useSession((s) => s.status?.gateway)} />;
}

type GatewayStatus = NonNullable<ReturnType<typeof useSession.getState>['status']>['gateway'];

/** The embedded sandbox's account (electron/core/gateway-accounts/model.ts EMBEDDED_ACCOUNT). */
const EMBEDDED_SANDBOX = 'sandbox:SANDBOXMID';

// The account and gateway names are isolated (<bdi>) so they read right inside an Arabic sentence.
const REF = { ref: <bdi /> };

export function GatewayBand({ gateway }: { gateway: GatewayStatus | undefined }) {
  const { t } = useTranslation('common');
  if (gateway?.environment === 'test') {
    return (
      <div className="gateway-band gateway-band-test" role="note" aria-label={t('band.testName')}>
        <strong>{t('band.test')}</strong> <Trans t={t} i18nKey="band.testText" values={{ account: gateway.account.split(':')[1] }} components={REF} />
      </div>
    );
  }
  if (gateway?.environment === 'production') {
    return (
      <div className="gateway-band gateway-band-live" role="note" aria-label={t('band.liveName')}>
        <strong>{t('band.live')}</strong> <Trans t={t} i18nKey="band.liveText" values={{ account: gateway.account.split(':')[1] }} components={REF} />
      </div>
    );
  }
  if (!gateway?.sandbox) return null;
  // The embedded sandbox's name is ours to translate; another sandbox keeps the name it was given.
  const name = gateway.account === EMBEDDED_SANDBOX ? t('band.embedded') : gateway.name;
  return (
    // A named region: a landmark, so its content is inside one (axe "region") and reachable by landmark.
    <section className="sandbox-banner" aria-label={t('band.sandboxName')}>
      <strong>{t('band.sandbox')}</strong> <Trans t={t} i18nKey="band.sandboxText" values={{ name }} components={REF} />
    </section>
  );
}

// Shapes, not words: filled = online, hollow = offline (readable without colour).
const DOT = { online: '●', offline: '○' };
const LOGO = '▣';

function SyncIndicator() {
  const status = useSync((s) => s.status);
  const go = useNav((s) => s.go);
  // Ages by the core's clock (the one that stamped the queue), re-rendered every 30 s.
  const now = useCoreNow();
  const { t } = useTranslation('common');
  if (!status) return <span className="sync sync-unknown">{t('sync.checking')}</span>;
  const waiting = status.queued > 0;
  const label = status.online ? t('sync.online') : t('sync.offline');
  const dot = status.online ? DOT.online : DOT.offline;
  const queued = counted('common:sync.queued', status.queued);
  const attention = counted('common:sync.attention', status.needsAttention);
  const inDoubt = counted('common:sync.inDoubt', status.inDoubt);
  return (
    <button type="button" className={`sync ${status.online ? 'sync-online' : 'sync-offline'}`} onClick={() => go('queue')}>
      <span className="sync-dot" aria-hidden="true">
        {dot}
      </span>
      <span className="sync-label">{label}</span>
      {waiting ? (
        <span className="sync-queued">
          {queued}
          {status.oldestQueuedAt ? t('sync.oldest', { age: fmtAge(status.oldestQueuedAt, now) }) : null}
        </span>
      ) : (
        <span className="sync-queued muted">{t('sync.nothingQueued')}</span>
      )}
      {status.needsAttention > 0 ? <span className="sync-attention">{attention}</span> : null}
      {status.inDoubt > 0 ? <span className="sync-attention">{inDoubt}</span> : null}
      {status.forwarding ? <span className="muted">{t('sync.sending')}</span> : null}
      {/* The name is the visible text (axe label-content-name-mismatch) plus where the button goes. */}
      <span className="sr-only">{t('sync.openQueue')}</span>
    </button>
  );
}

export function TopBar() {
  const user = useSession((s) => s.user);
  const stationFromStatus = useSession((s) => s.status?.station);
  const station = useSettings((s) => s.settings?.stationName) ?? stationFromStatus ?? '';
  const lock = useSession((s) => s.lock);
  const logout = useSession((s) => s.logout);
  const { t } = useTranslation(['app', 'common']);
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="logo" aria-hidden="true">
          {LOGO}
        </span>
        <span className="station" title={t('topbar.station')}>
          <bdi>{station}</bdi>
        </span>
      </div>
      <SyncIndicator />
      <div className="topbar-user">
        {user ? (
          <span className="user-chip">
            <span className="avatar avatar-sm" aria-hidden="true">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name" title={user.name}>
              <bdi>{user.name}</bdi>
            </span>
            <span className="muted">{t(`common:roles.${user.role}`)}</span>
          </span>
        ) : null}
        <LanguageButton />
        <ChangePinButton />
        <Button size="sm" variant="ghost" onClick={() => void logout()}>
          {t('common:actions.switchUser')}
        </Button>
        <Button size="sm" onClick={() => void lock()} shortcut="Alt+L">
          {t('common:actions.lock')}
        </Button>
      </div>
    </header>
  );
}
