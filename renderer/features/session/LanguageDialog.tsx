import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DIGITS, LANGUAGE_NAMES, LANGUAGES, type Digits, type Language } from '../../i18n';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useDialogButton } from '../../ui/use-dialog-button';
import { useSession } from './session-store';

const STATION = '';

/** One's own language and digits; "Station default" follows the station's setting. */
export function LanguageDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation(['session', 'common']);
  const user = useSession((s) => s.user);
  const save = useSession((s) => s.setPreferences);
  const [language, setLanguage] = useState<string>(user?.language ?? STATION);
  const [digits, setDigits] = useState<string>(user?.digits ?? STATION);
  const action = useAction(async () => {
    await save({ language: (language || null) as Language | null, digits: (digits || null) as Digits | null });
    onClose();
  });
  const submit = () => void action.run();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const digitName: Record<Digits, string> = { latn: t('common:language.digitsLatin'), arab: t('common:language.digitsArabic') };
  return (
    <FormDialog labelledBy="language-title" onCancel={onClose} onSubmitShortcut={submit}>
      <h2 id="language-title" className="dialog-title">
        {t('common:language.title')}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        <Field label={t('common:language.label')} hint={t('common:language.hint')}>
          <select className="input" value={language} onChange={(e) => setLanguage(e.target.value)} autoFocus>
            <option value={STATION}>{t('common:language.stationDefault')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('common:language.digits')}>
          <select className="input" value={digits} onChange={(e) => setDigits(e.target.value)}>
            <option value={STATION}>{t('common:language.stationDefault')}</option>
            {DIGITS.map((d) => (
              <option key={d} value={d}>
                {digitName[d]}
              </option>
            ))}
          </select>
        </Field>
        {action.error ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onClose} shortcut="Esc">
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={action.busy} busyText={t('common:actions.saving')} shortcut="Ctrl+Enter">
            {t('language.save')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

/** The top bar's button: opens the dialog, gives the focus back when it closes, closes on lock. */
export function LanguageButton() {
  const { t } = useTranslation('common');
  const dialog = useDialogButton(useSession((s) => s.locked));
  return (
    <>
      <Button ref={dialog.buttonRef} size="sm" variant="ghost" onClick={dialog.show} aria-haspopup="dialog">
        {t('language.open')}
      </Button>
      {dialog.showing ? <LanguageDialog onClose={dialog.close} /> : null}
    </>
  );
}
