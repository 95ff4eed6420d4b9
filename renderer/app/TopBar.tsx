import { fmtAge, plural } from '../lib/format';
import { Button } from '../ui/Button';
import { useCoreNow, useSync } from '../features/queue/sync-store';
import { useSettings } from '../features/settings/settings-store';
import { useSession } from '../features/session/session-store';
import { ChangePinButton } from '../features/session/ChangePinDialog';
import { useNav } from './nav-store';

const ROLE = { clerk: 'Clerk', supervisor: 'Supervisor', admin: 'Admin' } as const;

/** Always visible where money goes: SANDBOX, APS TEST, or Live (docs/going-live.md). */
export function SandboxBanner() {
  return <GatewayBand gateway={useSession((s) => s.status?.gateway)} />;
}

type GatewayStatus = NonNullable<ReturnType<typeof useSession.getState>['status']>['gateway'];

export function GatewayBand({ gateway }: { gateway: GatewayStatus | undefined }) {
  if (gateway?.environment === 'test') {
    return (
      <div className="gateway-band gateway-band-test" role="note" aria-label="APS test environment">
        <strong>APS TEST</strong> Your APS test account ({gateway.account.split(':')[1]}): no real money moves. Use APS test cards only.
      </div>
    );
  }
  if (gateway?.environment === 'production') {
    return (
      <div className="gateway-band gateway-band-live" role="note" aria-label="Live: APS production">
        <strong>LIVE</strong> APS production ({gateway.account.split(':')[1]}): real cards, real money.
      </div>
    );
  }
  if (!gateway?.sandbox) return null;
  return (
    // A named region: a landmark, so its content is inside one (axe "region") and reachable by landmark.
    <section className="sandbox-banner" aria-label="Sandbox gateway">
      <strong>SANDBOX</strong> Test gateway ({gateway.name}): no real money moves. Use test cards only.
    </section>
  );
}

function SyncIndicator() {
  const status = useSync((s) => s.status);
  const go = useNav((s) => s.go);
  // Ages by the core's clock (the one that stamped the queue), re-rendered every 30 s.
  const now = useCoreNow();
  if (!status) return <span className="sync sync-unknown">Checking connection…</span>;
  const waiting = status.queued > 0;
  const label = status.online ? 'Online' : 'Offline';
  return (
    <button type="button" className={`sync ${status.online ? 'sync-online' : 'sync-offline'}`} onClick={() => go('queue')}>
      <span className="sync-dot" aria-hidden="true">
        {status.online ? '●' : '○'}
      </span>
      <span className="sync-label">{label}</span>
      {waiting ? (
        <span className="sync-queued">
          {status.queued} queued{status.oldestQueuedAt ? ` · oldest ${fmtAge(status.oldestQueuedAt, now)}` : ''}
        </span>
      ) : (
        <span className="sync-queued muted">nothing queued</span>
      )}
      {status.needsAttention > 0 ? <span className="sync-attention">{plural(status.needsAttention, 'needs', 'need')} attention</span> : null}
      {status.forwarding ? <span className="muted">sending…</span> : null}
      {/* The name is the visible text (axe label-content-name-mismatch) plus where the button goes. */}
      <span className="sr-only">. Open the queue.</span>
    </button>
  );
}

export function TopBar() {
  const user = useSession((s) => s.user);
  const stationFromStatus = useSession((s) => s.status?.station);
  const station = useSettings((s) => s.settings?.stationName) ?? stationFromStatus ?? '';
  const lock = useSession((s) => s.lock);
  const logout = useSession((s) => s.logout);
  return (
    <header className="topbar">
      <div className="topbar-brand">
        <span className="logo" aria-hidden="true">
          {'▣'}
        </span>
        <span className="station" title="Station">
          {station}
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
              {user.name}
            </span>
            <span className="muted">{ROLE[user.role]}</span>
          </span>
        ) : null}
        <ChangePinButton />
        <Button size="sm" variant="ghost" onClick={() => void logout()}>
          Switch user
        </Button>
        <Button size="sm" onClick={() => void lock()} shortcut="Alt+L">
          Lock
        </Button>
      </div>
    </header>
  );
}
