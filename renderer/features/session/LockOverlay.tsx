import { useState } from 'react';
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
        <h1 id="lock-title">Locked</h1>
        <p className="muted">{user ? `${user.name} is signed in. Your unfinished work is kept.` : 'Enter your PIN to continue.'}</p>
        <PinPad label="PIN" value={pin} onChange={setPin} onSubmit={() => void action.run()} busy={action.busy} error={action.error ? describeError(action.error) : null} submitLabel="Unlock" />
        <Button variant="ghost" onClick={() => void logout()}>
          Switch user
        </Button>
      </section>
    </div>
  );
}
