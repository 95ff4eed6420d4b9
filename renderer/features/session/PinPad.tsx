import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';

interface PinPadProps {
  label: string;
  value: string;
  onChange: (pin: string) => void;
  onSubmit: () => void;
  busy?: boolean;
  error?: string | null;
  submitLabel?: string;
  autoFocus?: boolean;
}

const BACKSPACE = '⌫';
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A PIN field that takes the keyboard (digits, Backspace, Enter) and a pad for the mouse. */
export function PinPad({ label, value, onChange, onSubmit, busy, error, submitLabel, autoFocus = true }: PinPadProps) {
  const { t } = useTranslation(['session', 'common']);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  // A wrong PIN: back to the field, ready for the next try.
  useEffect(() => {
    if (error && !busy) input.current?.focus();
  }, [error, busy]);
  const press = (k: string) => {
    onChange(value + k);
    input.current?.focus();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value) onSubmit();
  };
  return (
    <form className="pinpad" onSubmit={submit}>
      <label className="field-label" htmlFor="pin-input">
        {label}
      </label>
      <input
        id="pin-input"
        ref={input}
        className="input pin-input"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'pin-error' : undefined}
        readOnly={busy}
      />
      {error ? (
        <div id="pin-error" className="field-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="pinpad-keys" role="group" aria-label={t('pinpad.pad')}>
        {KEYS.map((k) => (
          <button key={k} type="button" className="pinpad-key" tabIndex={-1} onClick={() => press(k)} aria-label={t('pinpad.digit', { digit: k })}>
            {k}
          </button>
        ))}
        <button type="button" className="pinpad-key" tabIndex={-1} onClick={() => onChange('')} aria-label={t('pinpad.clear')}>
          {t('common:actions.clear')}
        </button>
        <button type="button" className="pinpad-key" tabIndex={-1} onClick={() => press('0')} aria-label={t('pinpad.digit', { digit: '0' })}>
          0
        </button>
        <button type="button" className="pinpad-key" tabIndex={-1} onClick={() => onChange(value.slice(0, -1))} aria-label={t('pinpad.deleteLast')}>
          {BACKSPACE}
        </button>
      </div>
      <Button type="submit" variant="primary" size="lg" busy={busy} busyText={t('common:actions.checking')} shortcut="Enter" disabled={!value}>
        {submitLabel ?? t('common:actions.signIn')}
      </Button>
    </form>
  );
}
