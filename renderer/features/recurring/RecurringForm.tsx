import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { FREQUENCIES, FREQUENCY_LABEL, periodsFrom, type Frequency } from '../../../shared/domain/recurrence';
import { isCurrencyCode, parseAmount } from '../../../shared/money';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtExpiry, maskedCard } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useSettings } from '../settings/settings-store';
import { endInstant, localDate, startInstant, type Detail } from './recurring-text';

type Customer = OutputOf<'customers.get'>['customer'];
type Card = OutputOf<'customers.get'>['cards'][number];
type Ends = 'never' | 'date' | 'count';

/**
 * Set up a recurring charge on a card on file, in a modal dialog. With a customer given (from the
 * customer's page) it asks only for the charge; without one it first finds the customer.
 */
export function RecurringForm({ customer, cards, onDone, onCancel }: { customer?: Customer; cards?: Card[]; onDone: (d: Detail) => void; onCancel: () => void }) {
  const settingsCurrency = useSettings((s) => s.settings?.currency ?? 'USD');
  const [who, setWho] = useState<{ customer: Customer; cards: Card[] } | null>(customer ? { customer, cards: cards ?? [] } : null);
  const usable = useMemo(() => (who?.cards ?? []).filter((c) => c.status === 'active' && !c.expired), [who]);
  const [cardId, setCardId] = useState(usable[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(settingsCurrency);
  const [frequency, setFrequency] = useState<Frequency>('monthly');
  const [start, setStart] = useState(localDate());
  const [ends, setEnds] = useState<Ends>('never');
  const [endDate, setEndDate] = useState('');
  const [count, setCount] = useState('12');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!usable.some((c) => c.id === cardId)) setCardId(usable[0]?.id ?? '');
  }, [usable, cardId]);

  const today = localDate();
  const startAt = start && start !== today ? startInstant(start) : null;
  const preview = useMemo(() => {
    try {
      const n = ends === 'count' ? Number(count) : null;
      // The station's zone: the shop's calendar the schedule will follow (docs/recurring.md).
      return periodsFrom({ frequency, startAt: startAt ?? new Date().toISOString(), endAt: ends === 'date' && endDate ? endInstant(endDate) : null, count: n && Number.isInteger(n) && n > 0 ? n : null, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }, 1, 4);
    } catch {
      return [];
    }
  }, [frequency, startAt, ends, endDate, count]);

  const submit = useAction(async () => {
    const errs: Record<string, string> = {};
    let minor = 0;
    const cur = currency.trim().toUpperCase();
    if (!isCurrencyCode(cur)) errs.currency = 'Unknown currency code';
    else {
      try {
        minor = parseAmount(amount, cur).amount;
        if (minor <= 0) errs.amount = 'More than zero';
      } catch (e) {
        errs.amount = e instanceof Error ? e.message : 'Not an amount';
      }
    }
    if (!who) errs.customer = 'Choose a customer';
    if (!cardId) errs.card = 'Choose a card on file';
    if (!description.trim()) errs.description = 'Describe the charge';
    if (ends === 'date' && !endDate) errs.endDate = 'Choose the last day';
    const n = Number(count);
    if (ends === 'count' && (!Number.isInteger(n) || n < 1 || n > 1000)) errs.count = 'A whole number from 1 to 1000';
    setErrors(errs);
    if (Object.keys(errs).length || !who) return;
    const d = await call('recurring.create', {
      customerId: who.customer.id,
      cardId,
      amount: minor,
      currency: cur,
      frequency,
      startAt,
      endAt: ends === 'date' ? endInstant(endDate) : null,
      count: ends === 'count' ? n : null,
      description: description.trim(),
    });
    onDone(d);
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };

  return (
    <FormDialog labelledBy="recurring-form-title" className="dialog recurring-dialog" onCancel={onCancel} onSubmitShortcut={() => void submit.run()}>
      <h2 id="recurring-form-title" className="dialog-title">
        Set up a recurring charge{who ? ` for ${who.customer.name}` : ''}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        {!who ? <CustomerPicker onPick={setWho} error={errors.customer} /> : null}
        {who && usable.length === 0 ? <Alert tone="warning">This customer has no card on file that can be charged. Save a card with an ordinary charge first.</Alert> : null}
        {who && usable.length > 0 ? (
          <>
            <Field label="Card on file" error={errors.card}>
              <select className="input" value={cardId} onChange={(e) => setCardId(e.target.value)}>
                {usable.map((c) => (
                  <option key={c.id} value={c.id}>
                    {maskedCard(c.brand, c.last4)} · exp {fmtExpiry(c.expiry)}
                  </option>
                ))}
              </select>
            </Field>
            <div className="recurring-row">
              <Field label="Amount" error={errors.amount} className="recurring-amount">
                <input className="input num" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus placeholder="0.00" />
              </Field>
              <Field label="Currency" error={errors.currency} className="recurring-currency">
                <input className="input" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} />
              </Field>
            </div>
            <Field label="Description (on each charge)" error={errors.description}>
              <input className="input" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={100} placeholder="e.g. Monthly coffee club" />
            </Field>
            <div className="field">
              <span className="field-label" id="freq-label">How often</span>
              <div className="segmented" role="radiogroup" aria-labelledby="freq-label">
                {FREQUENCIES.map((f) => (
                  <label key={f} className={`segment ${frequency === f ? 'checked' : ''}`}>
                    <input type="radio" name="recurring-frequency" value={f} checked={frequency === f} onChange={() => setFrequency(f)} />
                    {FREQUENCY_LABEL[f]}
                  </label>
                ))}
              </div>
            </div>
            <div className="recurring-row">
              <Field label="First charge on" hint={start === today ? 'Today: charged as soon as you save' : undefined}>
                <input className="input" type="date" value={start} min={today} onChange={(e) => setStart(e.target.value)} />
              </Field>
              <div className="field">
                <span className="field-label" id="ends-label">Ends</span>
                <div className="segmented segmented-tight" role="radiogroup" aria-labelledby="ends-label">
                  {(
                    [
                      ['never', 'When cancelled'],
                      ['date', 'On a date'],
                      ['count', 'After'],
                    ] as const
                  ).map(([v, label]) => (
                    <label key={v} className={`segment ${ends === v ? 'checked' : ''}`}>
                      <input type="radio" name="recurring-ends" value={v} checked={ends === v} onChange={() => setEnds(v)} />
                      {label}
                    </label>
                  ))}
                </div>
              </div>
            </div>
            {ends === 'date' ? (
              <Field label="Last charge no later than" error={errors.endDate}>
                <input className="input" type="date" value={endDate} min={start} onChange={(e) => setEndDate(e.target.value)} />
              </Field>
            ) : null}
            {ends === 'count' ? (
              <Field label="Number of charges" error={errors.count}>
                <input className="input num recurring-count" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
              </Field>
            ) : null}
            <p className="muted small recurring-preview" aria-live="polite">
              {preview.length ? `Charges on ${preview.map((p) => fmtDateTime(p.dueAt)).join(', ')}${preview.length === 4 ? ' …' : ''}` : 'No charge falls in this range.'}
              {frequency === 'monthly' || frequency === 'yearly' ? ' A day the month does not have (31st, 29 Feb) falls on its last day.' : ''}
            </p>
          </>
        ) : null}
        {submit.error ? <Alert tone="danger">{describeError(submit.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onCancel} shortcut="Esc">
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={submit.busy} busyText="Saving…" disabled={!who || usable.length === 0} shortcut="Ctrl+Enter">
            Set up recurring charge
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function CustomerPicker({ onPick, error }: { onPick: (w: { customer: Customer; cards: Card[] }) => void; error?: string | undefined }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<OutputOf<'customers.search'>['hits']>([]);
  useEffect(() => {
    if (!query.trim()) {
      setHits([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      call('customers.search', { query, limit: 6 }).then(
        (r) => live && setHits(r.hits),
        () => live && setHits([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query]);
  return (
    <>
      <Field label="Customer (name, phone, email or last 4)" error={error}>
        <input className="input" dir="auto" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      </Field>
      {hits.length ? (
        <ul className="recurring-hits" aria-label="Customers found">
          {hits.map((h) => (
            <li key={h.customer.id}>
              <button type="button" className="recurring-hit" onClick={() => onPick({ customer: h.customer, cards: h.cards })}>
                <span>{h.customer.name}</span>
                <span className="muted small">{h.cards.filter((c) => c.status === 'active' && !c.expired).map((c) => maskedCard(c.brand, c.last4)).join(', ') || 'no card on file'}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
