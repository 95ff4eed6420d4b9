import { useEffect, useRef } from 'react';
import { parseAmount } from '../../../shared/money';
import { Trans, useTranslation } from 'react-i18next';
import { amountProblem } from '../../lib/error-text';
import { LinkSendFields } from '../links/LinkSendFields';
import { fmtExpiry, fmtMoney, maskedCard } from '../../lib/format';
import { Alert } from '../../ui/Alert';
import { Field } from '../../ui/Field';
import { timeToAnswer } from '../confirmation/steps';
import { HostedCardForm } from './HostedCardForm';
import { useSettings } from '../settings/settings-store';
import { useOrder, type PayMethod } from './order-store';
import { useLiveTotals } from './TotalsBox';
import { useSession } from '../session/session-store';
import { NotUsableHere } from '../customers/NotUsableHere';
import { TenderList } from '../tenders/TenderList';
import { declineReason } from './decline-reason';

const METHODS: { id: PayMethod; label: string }[] = [
  { id: 'card_on_file', label: 'payment.cardOnFile' },
  { id: 'email_confirm', label: 'payment.emailConfirm' },
  { id: 'new_card', label: 'payment.newCard' },
  { id: 'cash', label: 'payment.cash' },
];
const SEP = ' · ';
const DASH = '—';

export function PaymentSection() {
  const method = useOrder((s) => s.method);
  const customer = useOrder((s) => s.customer);
  const set = useOrder((s) => s.set);
  const errors = useOrder((s) => s.errors);
  const mode = useOrder((s) => s.mode);
  const { t } = useTranslation('order');
  const cards = customer.kind === 'existing' ? customer.cards.filter((c) => c.status === 'active') : [];
  // Hidden, not broken, when the account in use has no email confirmation service.
  const confirmationOffered = useSession((s) => s.status?.gateway.confirmation !== false);
  const { t: tl } = useTranslation('links');

  return (
    <section className="panel" aria-labelledby="payment-h">
      <div className="payment-head">
        <h2 id="payment-h">{t('payment.title')}</h2>
        {/* Pay by link sits in the heading row: the card page and Charge stay above the fold at 1366×768. */}
        <span className="payment-head-links">
          <SplitToggle />
          <button type="button" className={`link payment-link-toggle ${method === 'link' ? 'checked' : ''}`} aria-pressed={method === 'link'} onClick={() => set({ method: 'link' })}>
            {tl('method')}
          </button>
        </span>
      </div>
      <SplitProgress />
      <TenderAmount />
      <div className="segmented segmented-grid" role="radiogroup" aria-label={t('payment.how')}>
        {METHODS.filter((m) => m.id !== 'email_confirm' || confirmationOffered).map((m) => {
          const disabled = (m.id === 'card_on_file' || m.id === 'email_confirm') && cards.length === 0;
          return (
            <label key={m.id} className={`segment ${method === m.id ? 'checked' : ''} ${disabled ? 'disabled' : ''}`}>
              <input type="radio" name="pay-method" value={m.id} checked={method === m.id} disabled={disabled} onChange={() => set({ method: m.id })} />
              {t(m.label)}
            </label>
          );
        })}
      </div>
      {method === 'card_on_file' || method === 'email_confirm' ? <CardOnFileList /> : null}
      {method === 'email_confirm' ? <EmailConfirmNote /> : null}
      {method === 'new_card' ? <NewCard /> : null}
      {method === 'cash' ? <CashTender /> : null}
      {method === 'link' ? <LinkSendFields /> : null}
      {method !== 'cash' && method !== 'link' ? (
        <div className="segmented segmented-sm" role="radiogroup" aria-label={t('payment.modeLabel')}>
          <label className={`segment ${mode === 'purchase' ? 'checked' : ''}`}>
            <input type="radio" name="pay-mode" value="purchase" checked={mode === 'purchase'} onChange={() => set({ mode: 'purchase' })} />
            {t('payment.chargeNow')}
          </label>
          <label className={`segment ${mode === 'authorize' ? 'checked' : ''}`}>
            <input type="radio" name="pay-mode" value="authorize" checked={mode === 'authorize'} onChange={() => set({ mode: 'authorize' })} />
            {t('payment.authorizeOnly')}
          </label>
        </div>
      ) : null}
      {errors.payment ? (
        <div className="field-error" role="alert">
          {errors.payment}
        </div>
      ) : null}
    </section>
  );
}

function CardOnFileList() {
  const account = useSession((s) => s.status?.gateway.account);
  const elsewhere = (c: { account?: string | undefined }) => !!account && !!c.account && c.account !== account;
  const customer = useOrder((s) => s.customer);
  const cardId = useOrder((s) => s.cardId);
  const set = useOrder((s) => s.set);
  const { t } = useTranslation('order');
  if (customer.kind !== 'existing') return null;
  const cards = customer.cards.filter((c) => c.status === 'active');
  return (
    <div className="card-list" role="radiogroup" aria-label={t('payment.cardsOnFile')}>
      {cards.map((c) => (
        <label key={c.id} className={`card-option ${cardId === c.id ? 'checked' : ''} ${c.expired || elsewhere(c) ? 'disabled' : ''}`}>
          <input type="radio" name="card-on-file" value={c.id} checked={cardId === c.id} disabled={c.expired || elsewhere(c)} onChange={() => set({ cardId: c.id })} />
          <span className="card-brand">
            <bdi>{maskedCard(c.brand, c.last4)}</bdi>
          </span>
          <span className="muted">{t('payment.exp', { expiry: fmtExpiry(c.expiry) })}</span>
          {c.expired ? <span className="badge badge-danger">{t('payment.expired')}</span> : null}
          {elsewhere(c) ? <NotUsableHere account={c.account} /> : null}
          {c.holderName ? (
            <span className="muted small card-holder">
              <bdi>{c.holderName}</bdi>
            </span>
          ) : null}
        </label>
      ))}
    </div>
  );
}

function EmailConfirmNote() {
  const customer = useOrder((s) => s.customer);
  const timeout = useSettings((s) => s.settings?.confirmationTimeoutSeconds);
  const { t } = useTranslation('order');
  if (customer.kind !== 'existing') return null;
  const email = customer.customer.email;
  return email ? (
    <p className="muted small" data-testid="email-confirm-note">
      <Trans
        t={t}
        i18nKey={timeout ? 'payment.emailNoteTimed' : 'payment.emailNote'}
        values={{ email, time: timeout ? timeToAnswer(timeout) : '' }}
        components={{ email: <strong dir="ltr" /> }}
      />
    </p>
  ) : (
    <div className="field-error">{t('payment.noEmail')}</div>
  );
}

/**
 * A new card: the one "save card" question is asked here, before the gateway's page opens, and sent
 * with it (remember_me) so that page does not ask again. Once the card is in, the answer is the one
 * the gateway got; "Use a different card" asks afresh.
 */
function NewCard() {
  const hostedCard = useOrder((s) => s.hostedCard);
  const customer = useOrder((s) => s.customer);
  const saveCard = useOrder((s) => s.saveCard);
  const set = useOrder((s) => s.set);
  const customerId = customer.kind === 'existing' ? customer.customer.id : null;
  const canSave = customer.kind !== 'none';
  const save = saveCard && canSave;
  const { t } = useTranslation('order');
  return (
    <div className="new-card">
      <label className="check">
        <input type="checkbox" checked={save} disabled={!canSave || hostedCard !== null} onChange={(e) => set({ saveCard: e.target.checked })} />
        {t('payment.saveCard')}
        {!canSave ? <span className="muted">{t('payment.needsCustomer')}</span> : null}
      </label>
      {hostedCard ? (
        <Alert tone="success" title={t('payment.cardReady', { card: maskedCard(hostedCard.brand, hostedCard.last4) })}>
          {t('payment.expires', { expiry: fmtExpiry(hostedCard.expiry) })}
          {hostedCard.holderName ? (
            <>
              {SEP}
              <bdi>{hostedCard.holderName}</bdi>
            </>
          ) : null}
          {save ? t('payment.savedAfter') : null}
          <div>
            <button type="button" className="link" onClick={() => set({ hostedCard: null })}>
              {t('payment.differentCard')}
            </button>
          </div>
        </Alert>
      ) : (
        <HostedCardForm customerId={customerId} save={save} onReady={(card) => set({ hostedCard: card, saveCard: save })} />
      )}
    </div>
  );
}

/**
 * What this tender is for (split tender): empty means all that remains. Before the order exists
 * that is the live total; after a first tender, the core's "remaining" (orders.tenders).
 */
export function useTenderDue(): number {
  const tenders = useOrder((s) => s.tenders);
  const text = useOrder((s) => s.tenderAmount);
  const currency = useOrder((s) => s.currency);
  const totals = useLiveTotals();
  const remaining = tenders ? tenders.remaining : totals.total.amount;
  if (!text.trim()) return remaining;
  try {
    const typed = parseAmount(text, currency).amount;
    return typed > 0 ? Math.min(typed, remaining) : remaining;
  } catch {
    return remaining;
  }
}

/** "Pay in parts" (split tender): shows the tender amount field; kept off the default layout so the card page and Charge fit 1366×768. */
function SplitToggle() {
  const open = useOrder((s) => s.splitOpen);
  const splitting = useOrder((s) => s.tenders !== null);
  const set = useOrder((s) => s.set);
  const { t } = useTranslation('order');
  if (splitting) return null;
  const toggle = () => {
    set({ splitOpen: !open, ...(open ? { tenderAmount: '' } : {}) });
  };
  return (
    <button type="button" className={`link ${open ? 'checked' : ''}`} aria-pressed={open} onClick={toggle}>
      {t('tenders.payInParts')}
    </button>
  );
}

function TenderAmount() {
  const shown = useOrder((s) => s.splitOpen || s.tenders !== null);
  const text = useOrder((s) => s.tenderAmount);
  const currency = useOrder((s) => s.currency);
  const tenders = useOrder((s) => s.tenders);
  const error = useOrder((s) => s.errors.tenderAmount ?? s.errors.amount);
  const set = useOrder((s) => s.set);
  const totals = useLiveTotals();
  const { t } = useTranslation('order');
  const remaining = tenders ? tenders.remaining : totals.total.amount;
  const input = useRef<HTMLInputElement>(null);
  const opened = useOrder((s) => s.splitOpen);
  // Opened by "Pay in parts": the cursor goes to the amount.
  useEffect(() => {
    if (opened) input.current?.focus();
  }, [opened]);
  if (!shown) return null;
  return (
    <Field label={t('tenders.amountLabel', { currency })} hint={t('tenders.amountHint', { remaining: fmtMoney(remaining, currency) })} error={error}>
      <input ref={input} id="tender-amount" className="input num" inputMode="decimal" value={text} placeholder={fmtMoney(remaining, currency)} onChange={(e) => set({ tenderAmount: e.target.value })} autoComplete="off" />
    </Field>
  );
}

/** While a split goes on: the tenders so far, what remains (the core's figure), and the last tender's answer. */
function SplitProgress() {
  const tenders = useOrder((s) => s.tenders);
  const last = useOrder((s) => s.lastTender);
  const { t } = useTranslation('order');
  const ref = useRef<HTMLDivElement>(null);
  // Each tender's answer (a decline above all) is brought into view: the card form below may have scrolled it away.
  useEffect(() => {
    if (last) ref.current?.scrollIntoView({ block: 'start' }); // scroll-margin-top keeps the heading clear
  }, [last]);
  if (!tenders) return null;
  const c = tenders.currency;
  return (
    <div className="split-progress" aria-live="polite" ref={ref}>
      {last && last.outcome === 'declined' ? (
        <Alert tone="danger" title={t('tenders.declinedTitle', { amount: fmtMoney(last.payment.amount, c) })}>
          {declineReason(last)} {t('tenders.declinedBody', { remaining: fmtMoney(tenders.remaining, c) })}
        </Alert>
      ) : last ? (
        <Alert tone="success" title={t('tenders.partTitle', { amount: fmtMoney(last.payment.amount, c) })}>
          {last.change ? t('tenders.partChange', { change: fmtMoney(last.change, c) }) : null} {t('tenders.partBody', { remaining: fmtMoney(tenders.remaining, c) })}
        </Alert>
      ) : null}
      <TenderList tenders={tenders} title={t('tenders.soFar')} />
    </div>
  );
}

function CashTender() {
  const tendered = useOrder((s) => s.tendered);
  const currency = useOrder((s) => s.currency);
  const errors = useOrder((s) => s.errors);
  const set = useOrder((s) => s.set);
  const due = useTenderDue();
  const { t } = useTranslation('order');
  let change: string | null = null;
  let problem: string | undefined = errors.tendered;
  if (tendered.trim()) {
    try {
      const given = parseAmount(tendered, currency).amount;
      const diff = given - due;
      if (diff >= 0) change = fmtMoney(diff, currency);
      else problem ??= t('payment.shortBy', { amount: fmtMoney(-diff, currency) });
    } catch (e) {
      problem = amountProblem(e, currency);
    }
  }
  return (
    <div className="cash">
      <Field label={t('payment.tendered', { currency })} error={problem}>
        <input className="input num input-lg" inputMode="decimal" value={tendered} onChange={(e) => set({ tendered: e.target.value })} autoComplete="off" />
      </Field>
      <div className="change-due" aria-live="polite">
        <span>{t('payment.changeDue')}</span>
        <strong data-testid="change-due">{change ?? DASH}</strong>
      </div>
    </div>
  );
}
