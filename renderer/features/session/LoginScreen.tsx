import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PinPad } from './PinPad';
import { useSession } from './session-store';

type User = OutputOf<'session.users'>[number];

/** Who are you (arrow keys + Enter), then the PIN. */
export function LoginScreen() {
  const login = useSession((s) => s.login);
  const station = useSession((s) => s.status?.station ?? '');
  const [users, setUsers] = useState<User[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<User | null>(null);
  const [pin, setPin] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation(['session', 'common']);
  const action = useAction(async () => {
    if (!picked) return;
    try {
      await login(picked.id, pin);
    } finally {
      setPin('');
    }
  });

  useEffect(() => {
    call('session.users', {}).then(
      (u) => {
        setUsers(u);
        if (u.length === 1) setPicked(u[0] ?? null);
      },
      (e) => setLoadError(describeError(e)),
    );
  }, []);

  useEffect(() => {
    if (!picked) listRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [picked, users]);

  const onListKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(i + (e.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length];
    next?.focus();
  };

  return (
    <main className="auth-screen">
      <section className="auth-card" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        {station ? (
          <p className="muted">
            <bdi>{station}</bdi>
          </p>
        ) : null}
        {loadError ? <Alert tone="danger">{loadError}</Alert> : null}
        {!users && !loadError ? <Spinner label={t('login.loadingUsers')} /> : null}
        {users && !picked ? (
          <div className="user-list" ref={listRef} role="group" aria-label={t('login.chooseName')} onKeyDown={onListKey}>
            {users.map((u) => (
              <button key={u.id} type="button" className="user-pick" onClick={() => setPicked(u)}>
                <span className="avatar" aria-hidden="true">
                  {u.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="user-pick-name">
                  <bdi>{u.name}</bdi>
                </span>
                <span className="user-pick-role">{t(`common:roles.${u.role}`)}</span>
              </button>
            ))}
          </div>
        ) : null}
        {picked ? (
          <>
            <div className="picked-user">
              <span className="avatar" aria-hidden="true">
                {picked.name.slice(0, 1).toUpperCase()}
              </span>
              <span>
                <strong>
                  <bdi>{picked.name}</bdi>
                </strong>{' '}
                <span className="muted">{t(`common:roles.${picked.role}`)}</span>
              </span>
              {users && users.length > 1 ? (
                <Button size="sm" variant="ghost" onClick={() => { setPicked(null); setPin(''); action.clearError(); }}>
                  {t('login.notYou')}
                </Button>
              ) : null}
            </div>
            <PinPad label={t('login.pinFor', { name: picked.name })} value={pin} onChange={setPin} onSubmit={() => void action.run()} busy={action.busy} error={action.error ? describeError(action.error) : null} />
          </>
        ) : null}
      </section>
    </main>
  );
}
