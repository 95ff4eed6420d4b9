import { parseAmount } from '../../../shared/money';
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

const METHODS: { id: PayMethod; label: string }[] = [
  { id: 'card_on_file', label: 'Card on file' },
  { id: 'email_confirm', label: 'Customer confirms by email' },
  { id: 'new_card', label: 'New card' },
  { id: 'cash', label: 'Cash' },
];

export function PaymentSection() {
  const method = useOrder((s) => s.method);
  const customer = useOrder((s) => s.customer);
  const set = useOrder((s) => s.set);
  const errors = useOrder((s) => s.errors);
  const mode = useOrder((s) => s.mode);
  const cards = customer.kind === 'existing' ? customer.cards.filter((c) => c.status === 'active') : [];
  // Hidden, not broken, when the account in use has no email confirmation service.
  const confirmationOffered = useSession((s) => s.status?.gateway.confirmation !== false);

  return (
    <section className="panel" aria-labelledby="payment-h">
      <h2 id="payment-h">Payment</h2>
      <div className="segmented segmented-grid" role="radiogroup" aria-label="How the customer pays">
        {METHODS.filter((m) => m.id !== 'email_confirm' || confirmationOffered).map((m) => {
          const disabled = (m.id === 'card_on_file' || m.id === 'email_confirm') && cards.length === 0;
          return (
            <label key={m.id} className={`segment ${method === m.id ? 'checked' : ''} ${disabled ? 'disabled' : ''}`}>
              <input type="radio" name="pay-method" value={m.id} checked={method === m.id} disabled={disabled} onChange={() => set({ method: m.id })} />
              {m.label}
            </label>
          );
        })}
      </div>
      {method === 'card_on_file' || method === 'email_confirm' ? <CardOnFileList /> : null}
      {method === 'email_confirm' ? <EmailConfirmNote /> : null}
      {method === 'new_card' ? <NewCard /> : null}
      {method === 'cash' ? <CashTender /> : null}
      {method !== 'cash' ? (
        <div className="segmented segmented-sm" role="radiogroup" aria-label="Charge now or authorize only">
          <label className={`segment ${mode === 'purchase' ? 'checked' : ''}`}>
            <input type="radio" name="pay-mode" value="purchase" checked={mode === 'purchase'} onChange={() => set({ mode: 'purchase' })} />
            Charge now
          </label>
          <label className={`segment ${mode === 'authorize' ? 'checked' : ''}`}>
            <input type="radio" name="pay-mode" value="authorize" checked={mode === 'authorize'} onChange={() => set({ mode: 'authorize' })} />
            Authorize only (capture later)
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
  if (customer.kind !== 'existing') return null;
  const cards = customer.cards.filter((c) => c.status === 'active');
  return (
    <div className="card-list" role="radiogroup" aria-label="Cards on file">
      {cards.map((c) => (
        <label key={c.id} className={`card-option ${cardId === c.id ? 'checked' : ''} ${c.expired || elsewhere(c) ? 'disabled' : ''}`}>
          <input type="radio" name="card-on-file" value={c.id} checked={cardId === c.id} disabled={c.expired || elsewhere(c)} onChange={() => set({ cardId: c.id })} />
          <span className="card-brand">{maskedCard(c.brand, c.last4)}</span>
          <span className="muted">exp {fmtExpiry(c.expiry)}</span>
          {c.expired ? <span className="badge badge-danger">Expired</span> : null}
          {elsewhere(c) ? <NotUsableHere account={c.account} /> : null}
          {c.holderName ? <span className="muted small card-holder">{c.holderName}</span> : null}
        </label>
      ))}
    </div>
  );
}

function EmailConfirmNote() {
  const customer = useOrder((s) => s.customer);
  const timeout = useSettings((s) => s.settings?.confirmationTimeoutSeconds);
  if (customer.kind !== 'existing') return null;
  const email = customer.customer.email;
  return email ? (
    <p className="muted small" data-testid="email-confirm-note">
      We email <strong>{email}</strong> a link. The card is charged only after the customer agrees{timeout ? ` (they have ${timeToAnswer(timeout)} to answer)` : ''}.
    </p>
  ) : (
    <div className="field-error">This customer has no email address: add one to send a confirmation.</div>
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
  return (
    <div className="new-card">
      <label className="check">
        <input type="checkbox" checked={save} disabled={!canSave || hostedCard !== null} onChange={(e) => set({ saveCard: e.target.checked })} />
        Save card for next time{!canSave ? <span className="muted"> &middot; needs a customer</span> : null}
      </label>
      {hostedCard ? (
        <Alert tone="success" title={`${maskedCard(hostedCard.brand, hostedCard.last4)} ready`}>
          Expires {fmtExpiry(hostedCard.expiry)}
          {hostedCard.holderName ? ` · ${hostedCard.holderName}` : ''}
          {save ? ' · saved on file after the charge' : ''}
          <div>
            <button type="button" className="link" onClick={() => set({ hostedCard: null })}>
              Use a different card
            </button>
          </div>
        </Alert>
      ) : (
        <HostedCardForm customerId={customerId} save={save} onReady={(card) => set({ hostedCard: card, saveCard: save })} />
      )}
    </div>
  );
}

function CashTender() {
  const tendered = useOrder((s) => s.tendered);
  const currency = useOrder((s) => s.currency);
  const errors = useOrder((s) => s.errors);
  const set = useOrder((s) => s.set);
  const totals = useLiveTotals();
  let change: string | null = null;
  let problem: string | undefined = errors.tendered;
  if (tendered.trim()) {
    try {
      const t = parseAmount(tendered, currency).amount;
      const diff = t - totals.total.amount;
      if (diff >= 0) change = fmtMoney(diff, currency);
      else problem ??= `Short by ${fmtMoney(-diff, currency)}`;
    } catch (e) {
      problem = e instanceof Error ? e.message : 'Not an amount';
    }
  }
  return (
    <div className="cash">
      <Field label={`Amount tendered (${currency})`} error={problem}>
        <input className="input num input-lg" inputMode="decimal" value={tendered} onChange={(e) => set({ tendered: e.target.value })} autoComplete="off" />
      </Field>
      <div className="change-due" aria-live="polite">
        <span>Change due</span>
        <strong data-testid="change-due">{change ?? '—'}</strong>
      </div>
    </div>
  );
}
