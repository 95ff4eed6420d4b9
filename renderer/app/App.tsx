import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Spinner } from '../ui/Alert';
import { Button } from '../ui/Button';
import { LoginScreen } from '../features/session/LoginScreen';
import { SetupScreen } from '../features/session/SetupScreen';
import { bootSession, useSession } from '../features/session/session-store';
import { Shell } from './Shell';

/** Boot: ask the core who is signed in, then setup, sign-in or the desk. */
export function App() {
  const phase = useSession((s) => s.phase);
  const load = useSession((s) => s.load);
  const loadError = useSession((s) => s.loadError);
  const { t } = useTranslation('common');
  useEffect(() => {
    void bootSession();
  }, []);

  switch (phase) {
    case 'loading':
      return (
        <main className="auth-screen">
          <Spinner label={t('app.starting')} />
        </main>
      );
    case 'error':
      return (
        <main className="auth-screen">
          <div className="auth-card">
            <Alert tone="danger" title={t('app.coreSilent')}>
              {loadError}
            </Alert>
            <Button variant="primary" onClick={() => void load()} autoFocus>
              {t('app.tryAgain')}
            </Button>
          </div>
        </main>
      );
    case 'setup':
      return <SetupScreen />;
    case 'login':
      return <LoginScreen />;
    case 'ready':
      return <Shell />;
  }
}
