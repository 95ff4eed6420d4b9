import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PIN_MIN } from '../../../shared/contract/limits';
import { i18next, isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { switchLanguage } from './language';
import { useSession } from './session-store';
import { samePin } from '../../../shared/domain/digits';

/**
 * First run: the station's language (it becomes the default; the screen switches at once, so an
 * Arabic admin sets up in Arabic), then the admin (name + PIN), signed in.
 */
export function SetupScreen() {
  const setup = useSession((s) => s.setup);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const { t } = useTranslation('session');
  const [language, setLanguage] = useState<Language>(isLanguage(i18next.language) ? i18next.language : 'en');
  const choose = (lang: Language) => {
    setLanguage(lang);
    void switchLanguage(lang, document.documentElement.dataset.digits === 'arab' ? 'arab' : 'latn');
  };
  const action = useAction(async () => setup(name.trim(), pin, language));
  const fields = { ...fieldErrors(action.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = t('setup.enterName');
    if (pin.length < PIN_MIN) problems.pin = t('setup.pinShort', { n: PIN_MIN });
    else if (!samePin(pin, confirm)) problems.confirm = t('setup.differ');
    setLocal(problems);
    if (Object.keys(problems).length === 0) void action.run();
  };
  return (
    <main className="auth-screen">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t('setup.title')}</h1>
        <fieldset className="setup-language">
          <legend>{t('setup.language')}</legend>
          <div className="setup-language-options">
            {LANGUAGES.map((l) => (
              <label key={l} className="radio-card" lang={l}>
                <input type="radio" name="station-language" value={l} checked={language === l} onChange={() => choose(l)} />
                <span>{LANGUAGE_NAMES[l]}</span>
              </label>
            ))}
          </div>
          <p className="muted small">{t('setup.languageHint')}</p>
        </fieldset>
        <p className="muted">{t('setup.intro')}</p>
        <Field label={t('setup.name')} error={fields.name}>
          <input className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" maxLength={80} />
        </Field>
        <Field label={t('setup.pin', { n: PIN_MIN })} error={fields.pin}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />
        </Field>
        <Field label={t('setup.repeat')} error={fields.confirm}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        {action.error && Object.keys(fieldErrors(action.error)).length === 0 ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
        <Button type="submit" variant="primary" size="lg" busy={action.busy} busyText={t('setup.creating')} shortcut="Enter">
          {t('setup.create')}
        </Button>
      </form>
    </main>
  );
}
