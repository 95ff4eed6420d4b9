import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useSession } from './session-store';

/** Anyone signed in changes their own PIN: the current PIN first, then the new one twice. */
export function ChangePinDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const { t } = useTranslation(['session', 'common']);
  const change = useAction(async () => {
    await call('session.changePin', { currentPin: current, newPin: next });
    setCurrent('');
    setNext('');
    setAgain('');
    setDone(true);
  });
  const submit = () => {
    if (done) return onClose();
    setMismatch(next !== again);
    if (next !== again) return;
    void change.run();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const fields = fieldErrors(change.error);
  const wrongCurrent = change.error?.code === 'BAD_CREDENTIALS' ? t('changePin.wrongCurrent') : undefined;
  const otherError = change.error && !wrongCurrent && Object.keys(fields).length === 0 ? describeError(change.error) : null;
  return (
    <FormDialog labelledBy="change-pin-title" onCancel={onClose} onSubmitShortcut={submit}>
      <h2 id="change-pin-title" className="dialog-title">
        {t('changePin.title')}
      </h2>
      {done ? (
        <>
          <Alert tone="success">{t('changePin.done')}</Alert>
          <div className="dialog-actions">
            <Button variant="primary" onClick={onClose} autoFocus>
              {t('common:actions.done')}
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Field label={t('changePin.current')} error={wrongCurrent}>
            <input className="input" type="password" inputMode="numeric" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} autoFocus />
          </Field>
          <Field label={t('changePin.next')} error={fields.newPin}>
            <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          </Field>
          <Field label={t('changePin.again')} error={mismatch ? t('changePin.differ') : undefined}>
            <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
          </Field>
          {otherError ? <Alert tone="danger">{otherError}</Alert> : null}
          <div className="dialog-actions">
            <Button onClick={onClose} shortcut="Esc">
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={change.busy} busyText={t('common:actions.saving')} shortcut="Ctrl+Enter">
              {t('changePin.save')}
            </Button>
          </div>
        </form>
      )}
    </FormDialog>
  );
}

/** The top bar's button: opens the dialog and gives the focus back when it closes. */
export function ChangePinButton() {
  const [open, setOpen] = useState(false);
  const wasOpen = useRef(false);
  const ref = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);
  const { t } = useTranslation('session');
  // A modal <dialog> sits in the top layer, above the lock screen: a lock closes it (and its PINs).
  const locked = useSession((s) => s.locked);
  useEffect(() => {
    if (locked) setOpen(false);
  }, [locked]);
  // Back on this button once the dialog is gone (not before: a modal dialog keeps the focus in).
  useEffect(() => {
    if (!open && wasOpen.current) ref.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return (
    <>
      <Button ref={ref} size="sm" variant="ghost" onClick={() => setOpen(true)}>
        {t('changePin.open')}
      </Button>
      {/* Gone in the same render as the lock screen appears, so the lock's PIN field can take the focus. */}
      {open && !locked ? <ChangePinDialog onClose={close} /> : null}
    </>
  );
}
