import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { InputOf, OutputOf } from '../../../shared/contract';
import { FREQUENCIES, FREQUENCY_LABEL, periodsFrom, type Frequency } from '../../../shared/domain/recurrence';
import { money, parseAmount, toInputString } from '../../../shared/money';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtExpiry, fmtMoney, maskedCard } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { atLocalDate, localDate, type Detail, type Schedule } from './recurring-text';

type Card = OutputOf<'customers.get'>['cards'][number];

/**
 * Change an active or paused schedule from its next charge on (docs/recurring.md "Changing a
 * schedule"): amount, description, how often, the next charge's date, the card on file. Only what
 * changed is sent; the core validates as for a new schedule and writes the audit entry.
 */
export function RecurringEditForm({ schedule: s, onDone, onCancel }: { schedule: Schedule; onDone: (d: Detail) => void; onCancel: () => void }) {
  const [cards, setCards] = useState<Card[] | null>(null);
  const [cardsError, setCardsError] = useState<string | null>(null);
  const [cardId, setCardId] = useState(s.cardId);
  const [amount, setAmount] = useState(() => toInputString(money(s.amount, s.currency)));
  const [description, setDescription] = useState(s.description);
  const [frequency, setFrequency] = useState<Frequency>(s.frequency);
  const initialDate = s.nextDueAt ? localDate(new Date(s.nextDueAt)) : '';
  const [nextDate, setNextDate] = useState(initialDate);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    call('customers.get', { id: s.customerId }).then(
      (r) => live && setCards(r.cards),
      (e) => live && setCardsError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [s.customerId]);

  // The schedule's card stays listed even when it can no longer be charged, so the choice is visible.
  const choices = useMemo(() => (cards ?? []).filter((c) => c.id === s.cardId || (c.status === 'active' && !c.expired)), [cards, s.cardId]);
  const today = localDate();
  // The next charge keeps the schedule's time of day; a date earlier today means now (the core clamps it).
  const nextAt = nextDate && s.nextDueAt ? atLocalDate(nextDate, s.nextDueAt) : null;
  const dateChanged = nextDate !== initialDate;
  const rebased = dateChanged || frequency !== s.frequency;
  const preview = useMemo(() => {
    if (!rebased || !s.nextPeriod) return [];
    try {
      const start = dateChanged && nextAt ? nextAt : s.nextDueAt!;
      // The station's zone: the shop's calendar the schedule follows (docs/recurring.md).
      return periodsFrom({ frequency, startAt: start, anchor: s.nextPeriod, endAt: s.endAt, count: s.count, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }, s.nextPeriod, 4);
    } catch {
      return [];
    }
  }, [rebased, dateChanged, nextAt, frequency, s]);

  const submit = useAction(async () => {
    const errs: Record<string, string> = {};
    let minor = s.amount;
    try {
      minor = parseAmount(amount, s.currency).amount;
      if (minor <= 0) errs.amount = 'More than zero';
    } catch (e) {
      errs.amount = e instanceof Error ? e.message : 'Not an amount';
    }
    if (!description.trim()) errs.description = 'Describe the charge';
    if (dateChanged && !nextDate) errs.nextDate = 'Choose the day of the next charge';
    else if (dateChanged && nextDate < today) errs.nextDate = 'Not in the past';
    const chosen = choices.find((c) => c.id === cardId);
    if (cardId !== s.cardId && (!chosen || chosen.status !== 'active' || chosen.expired)) errs.card = 'Choose a card that can be charged';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const input: InputOf<'recurring.update'> = { id: s.id };
    if (minor !== s.amount) input.amount = minor;
    if (description.trim() !== s.description) input.description = description.trim();
    if (frequency !== s.frequency) input.frequency = frequency;
    if (dateChanged && nextAt) input.nextAt = nextAt;
    if (cardId !== s.cardId) input.cardId = cardId;
    if (Object.keys(input).length === 1) {
      onCancel();
      return;
    }
    onDone(await call('recurring.update', input));
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };

  return (
    <FormDialog labelledBy="recurring-edit-title" className="dialog recurring-dialog" onCancel={onCancel} onSubmitShortcut={() => void submit.run()}>
      <h2 id="recurring-edit-title" className="dialog-title">
        Change the recurring charge
      </h2>
      <p className="muted small recurring-edit-lead">
        {s.description} for {s.customerName}, RC-{s.shortId}. Changes apply from the next charge{s.nextPeriod ? ` (period ${s.nextPeriod})` : ''} on; charges already made and periods that already fell due keep their amount.
      </p>
      <form onSubmit={onSubmit} noValidate>
        {cardsError ? <Alert tone="danger">{cardsError}</Alert> : null}
        <Field label="Card on file" error={errors.card}>
          <select className="input" value={cardId} onChange={(e) => setCardId(e.target.value)} disabled={!cards}>
            {!cards || !choices.some((c) => c.id === s.cardId) ? (
              <option value={s.cardId}>
                {maskedCard(s.cardBrand, s.cardLast4)}
                {cards ? ' (no longer on file)' : ''}
              </option>
            ) : null}
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {maskedCard(c.brand, c.last4)} · exp {fmtExpiry(c.expiry)}
                {c.status !== 'active' ? ' (deactivated)' : c.expired ? ' (expired)' : ''}
              </option>
            ))}
          </select>
        </Field>
        <div className="recurring-row">
          <Field label={`Amount (${s.currency})`} error={errors.amount} hint={`Now ${fmtMoney(s.amount, s.currency)}`}>
            <input className="input num" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus />
          </Field>
          <Field label="Next charge on" error={errors.nextDate} hint={nextDate === today ? 'Today: charged as soon as you save' : undefined}>
            <input className="input" type="date" value={nextDate} min={today} onChange={(e) => setNextDate(e.target.value)} disabled={!s.nextDueAt} />
          </Field>
        </div>
        <Field label="Description (on each charge)" error={errors.description}>
          <input className="input" dir="auto" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={100} />
        </Field>
        <div className="field">
          <span className="field-label" id="edit-freq-label">How often</span>
          <div className="segmented" role="radiogroup" aria-labelledby="edit-freq-label">
            {FREQUENCIES.map((f) => (
              <label key={f} className={`segment ${frequency === f ? 'checked' : ''}`}>
                <input type="radio" name="recurring-edit-frequency" value={f} checked={frequency === f} onChange={() => setFrequency(f)} />
                {FREQUENCY_LABEL[f]}
              </label>
            ))}
          </div>
        </div>
        <p className="muted small recurring-preview" aria-live="polite">
          {rebased
            ? preview.length
              ? `Next charges: ${preview.map((p) => `${fmtDateTime(p.dueAt)} (period ${p.period})`).join(', ')}${preview.length === 4 ? ' …' : ''}`
              : 'No charge falls before the schedule ends.'
            : s.nextDueAt
              ? `The next charge stays on ${fmtDateTime(s.nextDueAt)} (period ${s.nextPeriod}).`
              : ''}
        </p>
        {submit.error ? <Alert tone="danger">{describeError(submit.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onCancel} shortcut="Esc">
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={submit.busy} busyText="Saving…" shortcut="Ctrl+Enter">
            Save changes
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
