import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LinkPanel } from '../links/LinkPanel';
import { useDropLinkWhenOrderResets, useLinks } from '../links/link-store';
import { fmtMoney } from '../../lib/format';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { ConfirmationPanel } from '../confirmation/ConfirmationPanel';
import { useSettings } from '../settings/settings-store';
import { ChargeResultPanel } from './ChargeResult';
import { CustomerSection } from './CustomerSection';
import { LinesEditor } from './LinesEditor';
import { FormInvalid, useOrder, type Channel } from './order-store';
import { PaymentSection } from './PaymentSection';
import { TotalsBox, useLiveTotals } from './TotalsBox';

const CHANNELS: { id: Channel; label: string }[] = [
  { id: 'phone', label: 'Phone' },
  { id: 'mail', label: 'Mail' },
  { id: 'counter', label: 'Counter' },
];

export function NewOrderScreen() {
  const result = useOrder((s) => s.result);
  const confirmation = useOrder((s) => s.confirmation);
  const link = useLinks((s) => s.link);
  useDropLinkWhenOrderResets(useOrder((s) => s.createdOrder?.id ?? null));
  const reset = useOrder((s) => s.reset);
  const currency = useSettings((s) => s.settings?.currency);
  const orderCurrency = useOrder((s) => s.currency);
  const untouched = useOrder((s) => s.customer.kind === 'none' && s.lines.length === 1 && !s.lines[0]?.description && !s.lines[0]?.unitPrice);

  // A fresh draft follows the station currency once settings arrive.
  useEffect(() => {
    if (currency && currency !== orderCurrency && untouched) useOrder.setState({ currency });
  }, [currency, orderCurrency, untouched]);

  const newOrder = () => {
    reset();
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#order-first-field')?.focus());
  };

  const head = (
    <header className="screen-head">
      <h1>New order</h1>
    </header>
  );
  // On the form the heading sits over the left column only, so the payment column starts at the top:
  // with the gateway's card page open, Charge and "Charge now / Authorize only" stay above the fold
  // at 1366×768 (e2e/clerk-flow.spec.ts measures it).
  if (!result && !confirmation && !link) {
    return (
      <div className="order-screen">
        <OrderForm head={head} />
      </div>
    );
  }
  return (
    <div className="order-screen">
      {head}
      {result ? (
        <div className="order-result-wrap">
          <ChargeResultPanel result={result} onNewOrder={newOrder} />
        </div>
      ) : link ? (
        <div className="order-result-wrap">
          <LinkPanel link={link} onNewOrder={newOrder} />
        </div>
      ) : confirmation ? (
        <div className="order-result-wrap">
          <ConfirmationPanel confirmation={confirmation} onNewOrder={newOrder} />
        </div>
      ) : null}
    </div>
  );
}

function OrderForm({ head }: { head: React.ReactNode }) {
  const channel = useOrder((s) => s.channel);
  const note = useOrder((s) => s.note);
  const method = useOrder((s) => s.method);
  const mode = useOrder((s) => s.mode);
  const set = useOrder((s) => s.set);
  const submit = useOrder((s) => s.submit);
  const totals = useLiveTotals();
  const { t: tl } = useTranslation('links');
  const charge = useAction(async () => {
    try {
      await submit();
    } catch (e) {
      if (e instanceof FormInvalid) {
        focusFirstInvalid();
        return;
      }
      const fields = fieldErrors(e);
      if (Object.keys(fields).length) useOrder.setState((s) => ({ errors: { ...s.errors, ...fields } }));
      throw e;
    }
  });

  useHotkeys({ 'Ctrl+Enter': () => void charge.run() });

  const verb = method === 'link' ? tl('submit') : method === 'cash' ? 'Take cash' : method === 'email_confirm' ? (mode === 'authorize' ? 'Email to confirm · authorize' : 'Email to confirm · charge') : mode === 'authorize' ? 'Authorize' : 'Charge';
  const amount = fmtMoney(totals.total.amount, totals.total.currency);

  return (
    <div className="order-grid">
      <div className="order-main">
        {head}
        <CustomerSection />
        <LinesEditor />
        <TotalsBox />
        <section className="panel panel-row">
          <div className="field">
            <span className="field-label" id="channel-label">Channel</span>
          <div className="segmented segmented-sm" role="radiogroup" aria-labelledby="channel-label">
            {CHANNELS.map((c) => (
              <label key={c.id} className={`segment ${channel === c.id ? 'checked' : ''}`}>
                <input type="radio" name="order-channel" value={c.id} checked={channel === c.id} onChange={() => set({ channel: c.id })} />
                {c.label}
              </label>
            ))}
          </div>
          </div>
          <Field label="Note (optional)" className="grow">
            <input className="input" value={note} maxLength={500} onChange={(e) => set({ note: e.target.value })} autoComplete="off" />
          </Field>
        </section>
      </div>
      <aside className="order-side" aria-label="Payment">
        <PaymentSection />
        {charge.error ? (
          <Alert tone="danger" title="Not charged">
            {describeError(charge.error)}
          </Alert>
        ) : null}
        <Button id="charge-button" variant="primary" size="lg" className="charge-button" onClick={() => void charge.run()} busy={charge.busy} busyText={method === 'link' ? tl('sending') : method === 'cash' ? 'Recording…' : method === 'email_confirm' ? 'Sending the email…' : 'Contacting the bank…'} shortcut="Ctrl+Enter">
          {verb} {amount}
        </Button>
      </aside>
    </div>
  );
}

function focusFirstInvalid() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.order-grid [aria-invalid="true"]')?.focus());
}
