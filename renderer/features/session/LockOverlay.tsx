import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Button } from '../../ui/Button';
import { PinPad } from './PinPad';
import { useSession } from './session-store';

/** Covers the app while locked; the work underneath stays as it was. */
export function LockOverlay() {
  const user = useSession((s) => s.user);
  const unlock = useSession((s) => s.unlock);
  const logout = useSession((s) => s.logout);
  const [pin, setPin] = useState('');
  const { t } = useTranslation(['session', 'common']);
  const action = useAction(async () => {
    try {
      await unlock(pin);
    } finally {
      setPin('');
    }
  });
  return (
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <section className="auth-card">
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p className="muted">{user ? <Trans t={t} i18nKey="lock.signedIn" values={{ name: user.name }} components={{ name: <bdi /> }} /> : t('lock.enterPin')}</p>
        <PinPad label={t('lock.pin')} value={pin} onChange={setPin} onSubmit={() => void action.run()} busy={action.busy} error={action.error ? describeError(action.error) : null} submitLabel={t('lock.unlock')} />
        <Button variant="ghost" onClick={() => void logout()}>
          {t('common:actions.switchUser')}
        </Button>
      </section>
    </div>
  );
}
