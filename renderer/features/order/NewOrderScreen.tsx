import { memo, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { lazyScreen, whenIdle } from '../../app/lazy-screen';
import { useDropLinkWhenOrderResets, useLinks } from '../links/link-store';
import { fmtMoney } from '../../lib/format';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { useSettings } from '../settings/settings-store';
import { CustomerSection } from './CustomerSection';
import { LinesEditor } from './LinesEditor';
import { FormInvalid, useOrder, type Channel } from './order-store';
import { PaymentSection, useTenderDue } from './PaymentSection';
import { ScanStatus } from './ScanStatus';
import { TotalsBox } from './TotalsBox';

const CHANNELS: Channel[] = ['phone', 'mail', 'counter'];

// Shown only once a charge is answered, a link sent or an email confirmation asked for: their code
// is fetched when the desk is idle, not with the entry (docs/performance.md, initial JavaScript).
const ChargeResultPanel = lazyScreen(() => import('./ChargeResult').then((m) => m.ChargeResultPanel));
const LinkPanel = lazyScreen(() => import('../links/LinkPanel').then((m) => m.LinkPanel));
const ConfirmationPanel = lazyScreen(() => import('../confirmation/ConfirmationPanel').then((m) => m.ConfirmationPanel));

// The form's sections read the order store themselves: memoised, so a change that re-renders the
// form (a scanned line moves the amount due on Charge) re-renders only the sections that read it.
const Customer = memo(CustomerSection);
const Scan = memo(ScanStatus);
const Lines = memo(LinesEditor);
const Totals = memo(TotalsBox);
const Payment = memo(PaymentSection);

export function NewOrderScreen() {
  const result = useOrder((s) => s.result);
  const confirmation = useOrder((s) => s.confirmation);
  const link = useLinks((s) => s.link);
  useDropLinkWhenOrderResets(useOrder((s) => s.createdOrder?.id ?? null));
  const reset = useOrder((s) => s.reset);
  const currency = useSettings((s) => s.settings?.currency);
  const orderCurrency = useOrder((s) => s.currency);
  const { t } = useTranslation('order');
  const untouched = useOrder((s) => s.customer.kind === 'none' && s.lines.length === 1 && !s.lines[0]?.description && !s.lines[0]?.unitPrice);

  useEffect(
    () =>
      whenIdle(() => {
        void ChargeResultPanel.preload().catch(() => undefined);
        void LinkPanel.preload().catch(() => undefined);
        void ConfirmationPanel.preload().catch(() => undefined);
      }),
    [],
  );

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
      <h1>{t('title')}</h1>
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
          <ChargeResultPanel.Screen result={result} onNewOrder={newOrder} />
        </div>
      ) : link ? (
        <div className="order-result-wrap">
          <LinkPanel.Screen link={link} onNewOrder={newOrder} />
        </div>
      ) : confirmation ? (
        <div className="order-result-wrap">
          <ConfirmationPanel.Screen confirmation={confirmation} onNewOrder={newOrder} />
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
  const due = useTenderDue();
  const currency = useOrder((s) => s.currency);
  // Once a tender stands, the order is fixed: its lines and customer are locked while the split goes on.
  const locked = useOrder((s) => s.tenders !== null);
  const { t } = useTranslation('order');
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

  const verb = method === 'link' ? tl('submit') : t(method === 'cash' ? 'verb.cash' : method === 'email_confirm' ? (mode === 'authorize' ? 'verb.emailAuthorize' : 'verb.emailCharge') : mode === 'authorize' ? 'verb.authorize' : 'verb.charge');
  const amount = fmtMoney(due, currency);

  return (
    <div className="order-grid">
      <fieldset className="order-main" disabled={locked}>
        {head}
        {locked ? <p className="muted small">{t('tenders.locked')}</p> : null}
        <Customer />
        <Scan />
        <Lines />
        <Totals />
        <section className="panel panel-row">
          <div className="field">
            <span className="field-label" id="channel-label">{t('channel.label')}</span>
          <div className="segmented segmented-sm" role="radiogroup" aria-labelledby="channel-label">
            {CHANNELS.map((c) => (
              <label key={c} className={`segment ${channel === c ? 'checked' : ''}`}>
                <input type="radio" name="order-channel" value={c} checked={channel === c} onChange={() => set({ channel: c })} />
                {t(`channel.${c}`)}
              </label>
            ))}
          </div>
          </div>
          <Field label={t('note')} className="grow">
            <input className="input" dir="auto" value={note} maxLength={500} onChange={(e) => set({ note: e.target.value })} autoComplete="off" />
          </Field>
        </section>
      </fieldset>
      <aside className="order-side" aria-label={t('paymentAside')}>
        <Payment />
        {charge.error ? (
          <Alert tone="danger" title={t('notCharged')}>
            {describeError(charge.error)}
          </Alert>
        ) : null}
        <Button id="charge-button" variant="primary" size="lg" className="charge-button" onClick={() => void charge.run()} busy={charge.busy} busyText={method === 'link' ? tl('sending') : t(method === 'cash' ? 'busy.cash' : method === 'email_confirm' ? 'busy.email' : 'busy.bank')} shortcut="Ctrl+Enter">
          {t('chargeButton', { verb, amount })}
        </Button>
      </aside>
    </div>
  );
}

function focusFirstInvalid() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.order-grid [aria-invalid="true"]')?.focus());
}
