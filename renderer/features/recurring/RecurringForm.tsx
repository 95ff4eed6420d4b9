import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { FREQUENCIES, periodsFrom, type Frequency } from '../../../shared/domain/recurrence';
import { isCurrencyCode, parseAmount } from '../../../shared/money';
import { call } from '../../lib/api';
import { amountErrorText } from '../../lib/amount-error';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtDayMonth, fmtExpiry, fmtMoney, fmtNumber, maskedCard } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useSettings } from '../settings/settings-store';
import { endInstant, frequencyLabel, localDate, startInstant, type Detail } from './recurring-text';

type Customer = OutputOf<'customers.get'>['customer'];
type Card = OutputOf<'customers.get'>['cards'][number];
type Ends = 'never' | 'date' | 'count';
/** How a schedule ends, and the catalogue key of each choice. */
const ENDS: readonly (readonly [Ends, string])[] = [
  ['never', 'form.endsNever'],
  ['date', 'form.endsDate'],
  ['count', 'form.endsCount'],
];

/**
 * Set up a recurring charge on a card on file, in a modal dialog. With a customer given (from the
 * customer's page) it asks only for the charge; without one it first finds the customer.
 */
export function RecurringForm({ customer, cards, onDone, onCancel }: { customer?: Customer; cards?: Card[]; onDone: (d: Detail) => void; onCancel: () => void }) {
  const settingsCurrency = useSettings((s) => s.settings?.currency ?? 'USD');
  // The preview falls on the shop's calendar, as the core will (settings.timeZone, else this station's).
  const shopZone = useSettings((s) => s.settings?.timeZone) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { t } = useTranslation('recurring');
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
      return periodsFrom({ frequency, startAt: startAt ?? new Date().toISOString(), endAt: ends === 'date' && endDate ? endInstant(endDate) : null, count: n && Number.isInteger(n) && n > 0 ? n : null, timeZone: shopZone }, 1, 4);
    } catch {
      return [];
    }
  }, [frequency, startAt, ends, endDate, count, shopZone]);

  const submit = useAction(async () => {
    const errs: Record<string, string> = {};
    let minor = 0;
    const cur = currency.trim().toUpperCase();
    if (!isCurrencyCode(cur)) errs.currency = t('form.errors.currency');
    else {
      try {
        minor = parseAmount(amount, cur).amount;
        if (minor <= 0) errs.amount = t('form.errors.moreThanZero');
      } catch (e) {
        errs.amount = amountErrorText(e, amount, cur);
      }
    }
    if (!who) errs.customer = t('form.errors.customer');
    if (!cardId) errs.card = t('form.errors.card');
    if (!description.trim()) errs.description = t('form.errors.description');
    if (ends === 'date' && !endDate) errs.endDate = t('form.errors.endDate');
    const n = Number(count);
    if (ends === 'count' && (!Number.isInteger(n) || n < 1 || n > 1000)) errs.count = t('form.errors.count', { min: fmtNumber(1), max: fmtNumber(1000) });
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
        {who ? <Trans t={t} i18nKey="form.titleFor" values={{ name: who.customer.name }} components={{ name: <bdi /> }} /> : t('form.title')}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        {!who ? <CustomerPicker onPick={setWho} error={errors.customer} /> : null}
        {who && usable.length === 0 ? <Alert tone="warning">{t('form.noCard')}</Alert> : null}
        {who && usable.length > 0 ? (
          <>
            <Field label={t('form.card')} error={errors.card}>
              <select className="input" value={cardId} onChange={(e) => setCardId(e.target.value)}>
                {usable.map((c) => (
                  <option key={c.id} value={c.id}>
                    {t('form.cardOption', { card: maskedCard(c.brand, c.last4), expiry: fmtExpiry(c.expiry) })}
                  </option>
                ))}
              </select>
            </Field>
            <div className="recurring-row">
              <Field label={t('col.amount')} error={errors.amount} className="recurring-amount">
                <input className="input num" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus placeholder={isCurrencyCode(currency) ? fmtMoney(0, currency) : undefined} />
              </Field>
              <Field label={t('form.currency')} error={errors.currency} className="recurring-currency">
                <input className="input" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} maxLength={3} />
              </Field>
            </div>
            <Field label={t('form.description')} error={errors.description}>
              <input className="input" dir="auto" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={100} placeholder={t('form.descriptionPlaceholder')} />
            </Field>
            <div className="field">
              <span className="field-label" id="freq-label">{t('col.howOften')}</span>
              <div className="segmented" role="radiogroup" aria-labelledby="freq-label">
                {FREQUENCIES.map((f) => (
                  <label key={f} className={`segment ${frequency === f ? 'checked' : ''}`}>
                    <input type="radio" name="recurring-frequency" value={f} checked={frequency === f} onChange={() => setFrequency(f)} />
                    {frequencyLabel(f)}
                  </label>
                ))}
              </div>
            </div>
            <div className="recurring-row">
              <Field label={t('form.firstCharge')} hint={start === today ? t('form.todayHint') : undefined}>
                <input className="input" type="date" value={start} min={today} onChange={(e) => setStart(e.target.value)} />
              </Field>
              <div className="field">
                <span className="field-label" id="ends-label">{t('form.ends')}</span>
                <div className="segmented segmented-tight" role="radiogroup" aria-labelledby="ends-label">
                  {ENDS.map(([v, key]) => (
                    <label key={v} className={`segment ${ends === v ? 'checked' : ''}`}>
                      <input type="radio" name="recurring-ends" value={v} checked={ends === v} onChange={() => setEnds(v)} />
                      {t(key)}
                    </label>
                  ))}
                </div>
              </div>
            </div>
            {ends === 'date' ? (
              <Field label={t('form.lastCharge')} error={errors.endDate}>
                <input className="input" type="date" value={endDate} min={start} onChange={(e) => setEndDate(e.target.value)} />
              </Field>
            ) : null}
            {ends === 'count' ? (
              <Field label={t('form.count')} error={errors.count}>
                <input className="input num recurring-count" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
              </Field>
            ) : null}
            <p className="muted small recurring-preview" aria-live="polite">
              {preview.length ? t(preview.length === 4 ? 'form.previewMore' : 'form.preview', { dates: preview.map((p) => fmtDateTime(p.dueAt)).join(t('form.listSeparator')) }) : t('form.previewNone')}
              {frequency === 'monthly' || frequency === 'yearly' ? ` ${t('form.monthEnd', { day: 31, leapDay: fmtDayMonth(2, 29) })}` : ''}
            </p>
          </>
        ) : null}
        {submit.error ? <Alert tone="danger">{describeError(submit.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onCancel} shortcut="Esc">
            {t('cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={submit.busy} busyText={t('saving')} disabled={!who || usable.length === 0} shortcut="Ctrl+Enter">
            {t('setUp')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function CustomerPicker({ onPick, error }: { onPick: (w: { customer: Customer; cards: Card[] }) => void; error?: string | undefined }) {
  const { t } = useTranslation('recurring');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<OutputOf<'customers.search'>['hits']>([]);
  useEffect(() => {
    if (!query.trim()) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      call('customers.search', { query, limit: 6 }).then(
        (r) => live && setHits(r.hits),
        () => live && setHits([]),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);
  return (
    <>
      <Field label={t('form.customerSearch', { four: 4 })} error={error}>
        <input className="input" dir="auto" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
      </Field>
      {hits.length ? (
        <ul className="recurring-hits" aria-label={t('form.customersFound')}>
          {hits.map((h) => (
            <li key={h.customer.id}>
              <button type="button" className="recurring-hit" onClick={() => onPick({ customer: h.customer, cards: h.cards })}>
                <span><bdi>{h.customer.name}</bdi></span>
                <span className="muted small"><bdi>{h.cards.filter((c) => c.status === 'active' && !c.expired).map((c) => maskedCard(c.brand, c.last4)).join(', ') || t('form.noCardShort')}</bdi></span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
