import { useEffect, useState, type FormEvent } from 'react';
import { GO_LIVE_CONFIRMATION, type InputOf, type OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';

type State = OutputOf<'gateway.get'>;
type Account = State['accounts'][number];
type Env = State['active'];
type ApsEnv = Account['environment'];
type TestResult = OutputOf<'gateway.test'>;

const ENV_LABEL: Record<Env, string> = { sandbox: 'Embedded sandbox', test: 'APS test environment', production: 'APS production' };
const ENV_HINT: Record<Env, string> = {
  sandbox: 'Built in: test cards only, no real money. Nothing to enter.',
  test: "Your APS test account: the APS test hosts, the test cards of APS, no real money.",
  production: 'Your live APS account: real cards, real money.',
};
const SWITCH_TO: Record<Env, string> = { sandbox: 'embedded sandbox', test: 'APS test environment', production: 'APS production' };
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

function secretHint(m: { setAt: string; setBy: string; last2: string } | null | undefined): string {
  if (!m || !m.setAt) return 'Not set yet.';
  return `Set ${m.setAt.slice(0, 10)} by ${m.setBy}, ends in ••${m.last2}. Leave empty to keep it.`;
}

/** Settings → Gateway (admins): where money goes, the merchant's APS accounts, test, save, switch. */
export function GatewayPanel() {
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
  if (loadError) return <Alert tone="danger" title="Gateway settings could not be loaded">{loadError}</Alert>;
  if (!state) return <Spinner label="Loading gateway settings…" />;
  const account = env === 'sandbox' ? undefined : state.accounts.find((a) => a.environment === env);
  return (
    <section className="panel gateway-panel" aria-labelledby="gateway-h">
      <h2 id="gateway-h">Gateway</h2>
      <p className={`gateway-now gateway-now-${state.active}`} data-testid="gateway-now">
        New payments go to: <strong>{ENV_LABEL[state.active]}</strong>
        {state.active !== 'sandbox' ? <> · merchant {state.activeAccount.split(':')[1]}</> : null}
      </p>
      <fieldset className="gateway-choice">
        <legend>Account to configure</legend>
        {(['sandbox', 'test', 'production'] as const).map((e) => (
          <label key={e} className="radio">
            <input type="radio" name="gateway-env" value={e} checked={env === e} onChange={() => setEnv(e)} />
            <span>
              {ENV_LABEL[e]}
              {state.active === e ? ' (in use)' : state.accounts.some((a) => a.environment === e) ? ' (saved)' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <p className="muted">{ENV_HINT[env]}</p>
      {state.blockers.length > 0 ? (
        <Alert tone="warning" title="A switch must wait for these operations">
          <ul className="gateway-blockers">
            {state.blockers.map((b) => (
              <li key={`${b.paymentReference}-${b.type}-${b.state}`}>
                {b.paymentReference} · {b.type} · {b.state}
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
            {env === 'production' ? 'Go live: send new payments to APS production…' : `Send new payments to the ${SWITCH_TO[env]}…`}
          </Button>
        </div>
      ) : null}
      {switching ? <SwitchDialog env={env} onCancel={() => setSwitching(false)} /> : null}
    </section>
  );
}

function AccountForm({ env, account, overrideAllowed, onSaved }: { env: ApsEnv; account: Account | undefined; overrideAllowed: boolean; onSaved: (s: State) => void }) {
  const [form, setForm] = useState<Form>(() => toForm(account));
  const [result, setResult] = useState<TestResult | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const t = e.target;
    setResult(null);
    setSaved(false);
    setForm((f) => ({ ...f, [k]: t instanceof HTMLInputElement && t.type === 'checkbox' ? t.checked : t.value }));
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
  const err = { ...fieldErrors(test.error), ...fieldErrors(save.error) };
  const pointed = result && result.outcome !== 'ok' ? (TEST_FIELD[result.outcome] ?? []) : [];
  const fieldError = (k: keyof Form, path: string = k) => err[path] ?? (pointed.includes(k) ? 'Check this one' : undefined);
  const mustTest = env === 'production' && result?.outcome !== 'ok';
  return (
    <form className="gateway-form" onSubmit={submit} aria-label={`${ENV_LABEL[env]} account`}>
      <div className="grid-2">
        <Field label="Merchant identifier" error={fieldError('merchantIdentifier')} hint="APS back office: Integration settings.">
          <input className="input" dir="ltr" value={form.merchantIdentifier} onChange={set('merchantIdentifier')} maxLength={20} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Access code" error={fieldError('accessCode')} hint={secretHint(account?.secrets.accessCode)}>
          <input className="input" type="password" value={form.accessCode} onChange={set('accessCode')} maxLength={20} autoComplete="new-password" spellCheck={false} />
        </Field>
        <Field label="SHA type" error={fieldError('shaType')} hint="Back office: Security settings.">
          <select className="input" value={form.shaType} onChange={set('shaType')}>
            {SHA_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </Field>
        <Field label="Currencies the account accepts" error={err['currencies'] ?? err['currencies.0']} hint="ISO codes, e.g. AED, SAR, USD.">
          <input className="input" dir="ltr" value={form.currencies} onChange={set('currencies')} maxLength={120} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="SHA request phrase" error={fieldError('requestPhrase')} hint={secretHint(account?.secrets.requestPhrase)}>
          <input className="input" type="password" value={form.requestPhrase} onChange={set('requestPhrase')} maxLength={100} autoComplete="new-password" spellCheck={false} />
        </Field>
        <Field label="SHA response phrase" error={fieldError('responsePhrase')} hint={secretHint(account?.secrets.responsePhrase)}>
          <input className="input" type="password" value={form.responsePhrase} onChange={set('responsePhrase')} maxLength={100} autoComplete="new-password" spellCheck={false} />
        </Field>
      </div>
      <fieldset className="gateway-sub">
        <label className="check">
          <input type="checkbox" checked={form.useConfirmation} onChange={set('useConfirmation')} /> Email confirmation service (customer confirms a charge by email)
        </label>
        {form.useConfirmation ? (
          <div className="grid-3">
            <Field label="Service URL" error={err['confirmation.url']}>
              <input className="input" dir="ltr" value={form.confirmationUrl} onChange={set('confirmationUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="Template id" error={err['confirmation.templateId']}>
              <input className="input" dir="ltr" value={form.confirmationTemplateId} onChange={set('confirmationTemplateId')} maxLength={36} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="API key" error={err['confirmation.apiKey']} hint={secretHint(account?.confirmation?.apiKey)}>
              <input className="input" type="password" value={form.confirmationApiKey} onChange={set('confirmationApiKey')} maxLength={200} autoComplete="new-password" spellCheck={false} />
            </Field>
          </div>
        ) : (
          <p className="muted">Without it, "customer confirms by email" is not offered.</p>
        )}
      </fieldset>
      {env === 'test' && overrideAllowed ? (
        <fieldset className="gateway-sub">
          <label className="check">
            <input type="checkbox" checked={form.useOverride} onChange={set('useOverride')} /> Development only: other gateway URLs
          </label>
          {form.useOverride ? (
            <div className="grid-2">
              <Field label="paymentApi URL" error={err['urlOverride.paymentApiUrl']}>
                <input className="input" dir="ltr" value={form.paymentApiUrl} onChange={set('paymentApiUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
              </Field>
              <Field label="paymentPage URL" error={err['urlOverride.paymentPageUrl']}>
                <input className="input" dir="ltr" value={form.paymentPageUrl} onChange={set('paymentPageUrl')} maxLength={400} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
          ) : null}
        </fieldset>
      ) : null}
      {result ? (
        <Alert tone={result.outcome === 'ok' ? 'success' : 'danger'} title={result.outcome === 'ok' ? 'Connection OK' : 'Connection test failed'}>
          {result.message}
          {result.responseCode ? ` (APS code ${result.responseCode})` : ''}
        </Alert>
      ) : null}
      {test.error ? <Alert tone="danger">{describeError(test.error)}</Alert> : null}
      {save.error ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
      {saved ? <Alert tone="success">Saved. The secrets are stored encrypted and are never shown again.</Alert> : null}
      <div className="actions">
        <Button onClick={() => void test.run()} busy={test.busy} busyText="Testing…">
          Test connection
        </Button>
        <Button type="submit" variant="primary" busy={save.busy} busyText="Testing and saving…" disabled={mustTest}>
          Save {env === 'production' ? 'production account' : 'test account'}
        </Button>
        {mustTest ? <span className="muted">Production is saved only after a successful test.</span> : null}
      </div>
    </form>
  );
}

function SwitchDialog({ env, onCancel }: { env: Env; onCancel: () => void }) {
  const [pin, setPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const go = useAction(async () => {
    await call('gateway.switch', { environment: env, pin, ...(env === 'production' ? { confirmation } : {}) });
    // The page's CSP names the card page's origin: reload so it follows the new account.
    window.location.reload();
  });
  const err = fieldErrors(go.error);
  return (
    <FormDialog labelledBy="switch-h" onCancel={onCancel} onSubmitShortcut={() => void go.run()}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void go.run();
        }}
      >
        <h2 id="switch-h">{env === 'production' ? 'Go live' : `Switch to the ${SWITCH_TO[env]}`}</h2>
        <p>
          {env === 'production'
            ? 'From now on, new payments charge real cards on your APS production account. Earlier payments stay on their own account for refunds and captures.'
            : 'New payments go to this account. Earlier payments stay on their own account for refunds and captures.'}
        </p>
        <Field label="Your PIN" error={err['pin']}>
          <input className="input" type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} autoComplete="off" autoFocus />
        </Field>
        {env === 'production' ? (
          <Field label={`Type ${GO_LIVE_CONFIRMATION} to confirm`} error={err['confirmation']}>
            <input className="input" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
        ) : null}
        {/* The core's own sentence: it lists what a switch waits for. */}
        {go.error && Object.keys(err).length === 0 ? <Alert tone="danger">{go.error.message || describeError(go.error)}</Alert> : null}
        <div className="actions">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant={env === 'production' ? 'danger' : 'primary'} busy={go.busy} shortcut="Ctrl+Enter">
            {env === 'production' ? 'Go live' : 'Switch'}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
