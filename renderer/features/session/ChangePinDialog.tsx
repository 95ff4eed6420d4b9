import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PIN_MIN } from '../../../shared/contract/limits';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useDialogButton } from '../../ui/use-dialog-button';
import { translateFields } from '../settings/field-messages';
import { useSession } from './session-store';
import { samePin } from '../../../shared/domain/digits';

/** Anyone signed in changes their own PIN: the current PIN first, then the new one twice. */
export function ChangePinDialog({ onClose }: { onClose: () => void }) {
  // Its words live with the other PIN dialogs, in the 'people' namespace (Settings → People).
  const { t } = useTranslation('people');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useAction(async () => {
    await call('session.changePin', { currentPin: current, newPin: next });
    setCurrent('');
    setNext('');
    setAgain('');
    setDone(true);
  });
  const submit = () => {
    if (done) return onClose();
    setMismatch(!samePin(next, again));
    if (!samePin(next, again)) return;
    void change.run();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const fields = translateFields(fieldErrors(change.error), t);
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
              {t('changePin.close')}
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Field label={t('changePin.current')} error={wrongCurrent}>
            <input className="input" type="password" inputMode="numeric" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} autoFocus />
          </Field>
          <Field label={t('changePin.newPin', { n: PIN_MIN })} error={fields.newPin}>
            <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          </Field>
          <Field label={t('changePin.again')} error={mismatch ? t('changePin.differ') : undefined}>
            <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
          </Field>
          {otherError ? <Alert tone="danger">{otherError}</Alert> : null}
          <div className="dialog-actions">
            <Button onClick={onClose} shortcut="Esc">
              {t('cancel')}
            </Button>
            <Button type="submit" variant="primary" busy={change.busy} busyText={t('saving')} shortcut="Ctrl+Enter">
              {t('changePin.submit')}
            </Button>
          </div>
        </form>
      )}
    </FormDialog>
  );
}

/** The top bar's button: opens the dialog and gives the focus back when it closes. */
export function ChangePinButton() {
  const { t } = useTranslation('people');
  const dialog = useDialogButton(useSession((s) => s.locked));
  return (
    <>
      <Button ref={dialog.buttonRef} size="sm" variant="ghost" onClick={dialog.show}>
        {t('changePin.button')}
      </Button>
      {dialog.showing ? <ChangePinDialog onClose={dialog.close} /> : null}
    </>
  );
}
