import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { GATEWAY_ENVIRONMENTS, GO_LIVE_CONFIRMATION, type InputOf, type OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { translateFields } from './field-messages';
import { switchRefusal, testMessage } from './gateway-text';

type State = OutputOf<'gateway.get'>;
type Account = State['accounts'][number];
type Env = State['active'];
type ApsEnv = Account['environment'];
type TestResult = OutputOf<'gateway.test'>;

const SHA_TYPES = ['SHA-256', 'SHA-512', 'HMAC-SHA256', 'HMAC-SHA512'] as const;

/** Which field a failed test points at, so the admin sees where to look. */
const TEST_FIELD: Partial<Record<TestResult['outcome'], (keyof Form)[]>> = {
  credentials_refused: ['merchantIdentifier', 'accessCode'],
  request_phrase: ['requestPhrase'],
  response_phrase: ['responsePhrase'],
  sha_type: ['shaType'],
};

interface Form {
  merchantIdentifier: string;
  accessCode: string;
  requestPhrase: string;
  responsePhrase: string;
  shaType: (typeof SHA_TYPES)[number];
  currencies: string;
  useConfirmation: boolean;
  confirmationUrl: string;
  confirmationTemplateId: string;
  confirmationApiKey: string;
  useOverride: boolean;
  paymentApiUrl: string;
  paymentPageUrl: string;
}

function toForm(a: Account | undefined): Form {
  return {
    merchantIdentifier: a?.merchantIdentifier ?? '',
    accessCode: '',
    requestPhrase: '',
    responsePhrase: '',
    shaType: a?.shaType ?? 'SHA-256',
    currencies: a?.currencies.join(', ') ?? '',
    useConfirmation: !!a?.confirmation,
    confirmationUrl: a?.confirmation?.url ?? '',
    confirmationTemplateId: a?.confirmation?.templateId ?? '',
    confirmationApiKey: '',
    useOverride: !!a?.urlOverride,
    paymentApiUrl: a?.urlOverride?.paymentApiUrl ?? '',
    paymentPageUrl: a?.urlOverride?.paymentPageUrl ?? '',
  };
}

function toInput(env: ApsEnv, f: Form, overrideAllowed: boolean): InputOf<'gateway.test'> {
  const secret = (v: string) => (v === '' ? undefined : v);
  return {
    environment: env,
    merchantIdentifier: f.merchantIdentifier.trim(),
    ...(secret(f.accessCode) ? { accessCode: f.accessCode.trim() } : {}),
    ...(secret(f.requestPhrase) ? { requestPhrase: f.requestPhrase } : {}),
    ...(secret(f.responsePhrase) ? { responsePhrase: f.responsePhrase } : {}),
    shaType: f.shaType,
    currencies: f.currencies.split(/[\s,]+/).map((c) => c.trim().toUpperCase()).filter(Boolean),
    confirmation: f.useConfirmation
      ? { url: f.confirmationUrl.trim(), templateId: f.confirmationTemplateId.trim(), ...(secret(f.confirmationApiKey) ? { apiKey: f.confirmationApiKey } : {}) }
      : null,
    urlOverride: env === 'test' && overrideAllowed && f.useOverride ? { paymentApiUrl: f.paymentApiUrl.trim(), paymentPageUrl: f.paymentPageUrl.trim() } : null,
  };
}

function secretHint(m: { setAt: string; setBy: string; last2: string } | null | undefined, t: TFunction): string {
  if (!m || !m.setAt) return t('gateway:secret.notSet');
  return t('gateway:secret.set', { date: m.setAt.slice(0, 10), name: m.setBy, last2: m.last2 });
}

/** Settings → Gateway (admins): where money goes, the merchant's APS accounts, test, save, switch. */
export function GatewayPanel() {
  const { t } = useTranslation('gateway');
  const [state, setState] = useState<State | null>(null);
  const [env, setEnv] = useState<Env>('sandbox');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);
  useEffect(() => {
    call('gateway.get', {}).then(
      (s) => {
        setState(s);
        setEnv(s.active);
      },
      (e: unknown) => setLoadError(describeError(e)),
    );
  }, []);
  if (loadError) return <Alert tone="danger" title={t('loadFailed')}>{loadError}</Alert>;
  if (!state) return <Spinner label={t('loading')} />;
  const account = env === 'sandbox' ? undefined : state.accounts.find((a) => a.environment === env);
  return (
    <section className="panel gateway-panel" aria-labelledby="gateway-h">
      <h2 id="gateway-h">{t('heading')}</h2>
      <p className={`gateway-now gateway-now-${state.active}`} data-testid="gateway-now">
        {t('now')} <strong>{t(`env.${state.active}`)}</strong>
        {state.active !== 'sandbox' ? <> · {t('nowMerchant', { merchant: state.activeAccount.split(':')[1] })}</> : null}
      </p>
      <fieldset className="gateway-choice">
        <legend>{t('choice')}</legend>
        {GATEWAY_ENVIRONMENTS.map((e) => (
          <label key={e} className="radio">
            <input type="radio" name="gateway-env" value={e} checked={env === e} onChange={() => setEnv(e)} />
            <span>
              {t(`env.${e}`)}
              {state.active === e ? ` ${t('inUse')}` : state.accounts.some((a) => a.environment === e) ? ` ${t('saved')}` : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <p className="muted">{t(`envHint.${env}`)}</p>
      {state.blockers.length > 0 ? (
        <Alert tone="warning" title={t('blockers')}>
          <ul className="gateway-blockers">
            {state.blockers.map((b) => (
              <li key={`${b.paymentReference}-${b.type}-${b.state}`}>
                {/* English keeps the core's own words (refund · queued); an unknown one shows as it came. */}
                <bdi>{b.paymentReference}</bdi> · {t(`blocker.type.${b.type}`, { defaultValue: b.type })} · {t(`blocker.state.${b.state}`, { defaultValue: b.state })}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {env === 'sandbox' ? null : (
        <AccountForm key={env} env={env} account={account} overrideAllowed={state.urlOverrideAllowed} onSaved={setState} />
      )}
      {env !== state.active && (env === 'sandbox' || account) ? (
        <div className="actions">
          <Button variant={env === 'production' ? 'danger' : 'primary'} onClick={() => setSwitching(true)}>
            {env === 'production' ? t('goLiveButton') : t(`switchButton.${env}`)}
          </Button>
        </div>
      ) : null}
      {switching ? <SwitchDialog env={env} onCancel={() => setSwitching(false)} /> : null}
    </section>
  );
}

function AccountForm({ env, account, overrideAllowed, onSaved }: { env: ApsEnv; account: Account | undefined; overrideAllowed: boolean; onSaved: (s: State) => void }) {
  const { t } = useTranslation('gateway');
  const [form, setForm] = useState<Form>(() => toForm(account));
  const [result, setResult] = useState<TestResult | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const target = e.target;
    setResult(null);
    setSaved(false);
    setForm((f) => ({ ...f, [k]: target instanceof HTMLInputElement && target.type === 'checkbox' ? target.checked : target.value }));
  };
  const test = useAction(async () => {
    setResult(await call('gateway.test', toInput(env, form, overrideAllowed)));
  });
  const save = useAction(async () => {
    const s = await call('gateway.save', toInput(env, form, overrideAllowed));
    // Secrets are never shown again: the fields empty, the hints say when they were set.
    setForm((f) => ({ ...f, accessCode: '', requestPhrase: '', responsePhrase: '', confirmationApiKey: '' }));
    setSaved(true);
    onSaved(s);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const err = translateFields({ ...fieldErrors(test.error), ...fieldErrors(save.error) }, t);
  const pointed = result && result.outcome !== 'ok' ? (TEST_FIELD[result.outcome] ?? []) : [];
  const fieldError = (k: keyof Form, path: string = k) => err[path] ?? (pointed.includes(k) ? t('form.checkThis') : undefined);
  const mustTest = env === 'production' && result?.outcome !== 'ok';
  // Identifiers, codes, phrases and URLs are Latin and technical: their inputs read left to right
  // whatever the screen's direction (dir="ltr").
  return (
    <form className="gateway-form" onSubmit={submit} aria-label={t('form.label', { env: t(`env.${env}`) })}>
      <div className="grid-2">
        <Field label={t('form.merchantIdentifier')} error={fieldError('merchantIdentifier')} hint={t('form.merchantIdentifierHint')}>
          <input className="input" dir="ltr" value={form.merchantIdentifier} onChange={set('merchantIdentifier')} maxLength={20} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label={t('form.accessCode')} error={fieldError('accessCode')} hint={secretHint(account?.secrets.accessCode, t)}>
          <input className="input" type="password" value={form.accessCode} onChange={set('accessCode')} maxLength={20} autoComplete="new-password" spellCheck={false} dir="ltr" />
        </Field>
        <Field label={t('form.shaType')} error={fieldError('shaType')} hint={t('form.shaTypeHint')}>
          <select className="input" value={form.shaType} onChange={set('shaType')}>
            {SHA_TYPES.map((sha) => (
              <option key={sha}>{sha}</option>
            ))}
          </select>
        </Field>
        <Field label={t('form.currencies')} error={err['currencies'] ?? err['currencies.0']} hint={t('form.currenciesHint')}>
          <input className="input" dir="ltr" value={form.currencies} onChange={set('currencies')} maxLength={120} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label={t('form.requestPhrase')} error={fieldError('requestPhrase')} hint={secretHint(account?.secrets.requestPhrase, t)}>
          <input className="input" type="password" value={form.requestPhrase} onChange={set('requestPhrase')} maxLength={100} autoComplete="new-password" spellCheck={false} dir="ltr" />
        </Field>
        <Field label={t('form.responsePhrase')} error={fieldError('responsePhrase')} hint={secretHint(account?.secrets.responsePhrase, t)}>
          <input className="input" type="password" value={form.responsePhrase} onChange={set('responsePhrase')} maxLength={100} autoComplete="new-password" spellCheck={false} dir="ltr" />
        </Field>
      </div>
      <fieldset className="gateway-sub">
        <label className="check">
          <input type="checkbox" checked={form.useConfirmation} onChange={set('useConfirmation')} /> {t('form.useConfirmation')}
        </label>
        {form.useConfirmation ? (
          <div className="grid-3">
            <Field label={t('form.serviceUrl')} error={err['confirmation.url']}>
              <input className="input" dir="ltr" value={form.confirmationUrl} onChange={set('confirmationUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label={t('form.templateId')} error={err['confirmation.templateId']}>
              <input className="input" dir="ltr" value={form.confirmationTemplateId} onChange={set('confirmationTemplateId')} maxLength={36} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label={t('form.apiKey')} error={err['confirmation.apiKey']} hint={secretHint(account?.confirmation?.apiKey, t)}>
              <input className="input" type="password" value={form.confirmationApiKey} onChange={set('confirmationApiKey')} maxLength={200} autoComplete="new-password" spellCheck={false} dir="ltr" />
            </Field>
          </div>
        ) : (
          <p className="muted">{t('form.noConfirmation')}</p>
        )}
      </fieldset>
      {env === 'test' && overrideAllowed ? (
        <fieldset className="gateway-sub">
          <label className="check">
            <input type="checkbox" checked={form.useOverride} onChange={set('useOverride')} /> {t('form.useOverride')}
          </label>
          {form.useOverride ? (
            <div className="grid-2">
              <Field label={t('form.paymentApiUrl')} error={err['urlOverride.paymentApiUrl']}>
                <input className="input" dir="ltr" value={form.paymentApiUrl} onChange={set('paymentApiUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
              </Field>
              <Field label={t('form.paymentPageUrl')} error={err['urlOverride.paymentPageUrl']}>
                <input className="input" dir="ltr" value={form.paymentPageUrl} onChange={set('paymentPageUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
          ) : null}
        </fieldset>
      ) : null}
      {result ? (
        <Alert tone={result.outcome === 'ok' ? 'success' : 'danger'} title={result.outcome === 'ok' ? t('test.ok') : t('test.failed')}>
          {testMessage(result, t)}
          {result.responseCode ? ` ${t('test.apsCode', { code: result.responseCode })}` : ''}
        </Alert>
      ) : null}
      {test.error ? <Alert tone="danger">{describeError(test.error)}</Alert> : null}
      {save.error ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
      {saved ? <Alert tone="success">{t('form.savedNote')}</Alert> : null}
      <div className="actions">
        <Button onClick={() => void test.run()} busy={test.busy} busyText={t('form.testing')}>
          {t('form.test')}
        </Button>
        <Button type="submit" variant="primary" busy={save.busy} busyText={t('form.savingTested')} disabled={mustTest}>
          {env === 'production' ? t('form.saveProduction') : t('form.saveTest')}
        </Button>
        {mustTest ? <span className="muted">{t('form.mustTest')}</span> : null}
      </div>
    </form>
  );
}

function SwitchDialog({ env, onCancel }: { env: Env; onCancel: () => void }) {
  const { t } = useTranslation('gateway');
  const [pin, setPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const go = useAction(async () => {
    await call('gateway.switch', { environment: env, pin, ...(env === 'production' ? { confirmation } : {}) });
    // The page's CSP names the card page's origin: reload so it follows the new account.
    window.location.reload();
  });
  const err = translateFields(fieldErrors(go.error), t);
  return (
    <FormDialog labelledBy="switch-h" onCancel={onCancel} onSubmitShortcut={() => void go.run()}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void go.run();
        }}
      >
        <h2 id="switch-h">{env === 'production' ? t('switch.titleLive') : t(`switch.title.${env}`)}</h2>
        <p>
          {env === 'production' ? t('switch.bodyLive') : t('switch.body')}
        </p>
        <Field label={t('switch.pin')} error={err['pin']}>
          <input className="input" type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} autoComplete="off" dir="ltr" autoFocus />
        </Field>
        {env === 'production' ? (
          <Field label={t('switch.typeToConfirm', { word: GO_LIVE_CONFIRMATION })} error={err['confirmation']}>
            <input className="input" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="off" spellCheck={false} dir="ltr" />
          </Field>
        ) : null}
        {/* The core's reason (it lists what a switch waits for), in the user's language. */}
        {go.error && Object.keys(err).length === 0 ? <Alert tone="danger">{switchRefusal(go.error.code, go.error.message, t) ?? describeError(go.error)}</Alert> : null}
        <div className="actions">
          <Button onClick={onCancel}>{t('switch.cancel')}</Button>
          <Button type="submit" variant={env === 'production' ? 'danger' : 'primary'} busy={go.busy} shortcut="Ctrl+Enter">
            {env === 'production' ? t('switch.goLive') : t('switch.switch')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
