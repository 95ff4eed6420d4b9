import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { InputOf, OutputOf } from '../../../shared/contract';
import { FREQUENCIES, periodsFrom, type Frequency } from '../../../shared/domain/recurrence';
import { money, parseAmount, toInputString } from '../../../shared/money';
import { call } from '../../lib/api';
import { amountErrorText } from '../../lib/amount-error';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtExpiry, fmtMoney, maskedCard } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { atLocalDate, frequencyLabel, localDate, type Detail, type Schedule } from './recurring-text';

type Card = OutputOf<'customers.get'>['cards'][number];

/**
 * Change an active or paused schedule from its next charge on (docs/recurring.md "Changing a
 * schedule"): amount, description, how often, the next charge's date, the card on file. Only what
 * changed is sent; the core validates as for a new schedule and writes the audit entry.
 */
export function RecurringEditForm({ schedule: s, onDone, onCancel }: { schedule: Schedule; onDone: (d: Detail) => void; onCancel: () => void }) {
  const { t } = useTranslation('recurring');
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
      if (minor <= 0) errs.amount = t('form.errors.moreThanZero');
    } catch (e) {
      errs.amount = amountErrorText(e, amount, s.currency);
    }
    if (!description.trim()) errs.description = t('form.errors.description');
    if (dateChanged && !nextDate) errs.nextDate = t('form.errors.nextDate');
    else if (dateChanged && nextDate < today) errs.nextDate = t('form.errors.past');
    const chosen = choices.find((c) => c.id === cardId);
    if (cardId !== s.cardId && (!chosen || chosen.status !== 'active' || chosen.expired)) errs.card = t('form.errors.cardUsable');
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
        {t('edit.title')}
      </h2>
      <p className="muted small recurring-edit-lead">
        <Trans t={t} i18nKey="edit.which" values={{ description: s.description, customer: s.customerName, id: `RC-${s.shortId}` }} components={{ d: <bdi />, c: <bdi />, id: <bdi /> }} />{' '}
        {s.nextPeriod ? t('edit.fromPeriod', { period: s.nextPeriod }) : t('edit.fromNext')}
      </p>
      <form onSubmit={onSubmit} noValidate>
        {cardsError ? <Alert tone="danger">{cardsError}</Alert> : null}
        <Field label={t('form.card')} error={errors.card}>
          <select className="input" value={cardId} onChange={(e) => setCardId(e.target.value)} disabled={!cards}>
            {!cards || !choices.some((c) => c.id === s.cardId) ? (
              <option value={s.cardId}>
                {cards ? t('edit.cardGone', { card: maskedCard(s.cardBrand, s.cardLast4) }) : maskedCard(s.cardBrand, s.cardLast4)}
              </option>
            ) : null}
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {t('form.cardOption', { card: maskedCard(c.brand, c.last4), expiry: fmtExpiry(c.expiry) })}
                {c.status !== 'active' ? ` ${t('edit.deactivated')}` : c.expired ? ` ${t('edit.expired')}` : ''}
              </option>
            ))}
          </select>
        </Field>
        <div className="recurring-row">
          <Field label={t('edit.amount', { currency: s.currency })} error={errors.amount} hint={t('edit.now', { amount: fmtMoney(s.amount, s.currency) })}>
            <input className="input num" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} autoFocus />
          </Field>
          <Field label={t('edit.nextCharge')} error={errors.nextDate} hint={nextDate === today ? t('form.todayHint') : undefined}>
            <input className="input" type="date" value={nextDate} min={today} onChange={(e) => setNextDate(e.target.value)} disabled={!s.nextDueAt} />
          </Field>
        </div>
        <Field label={t('form.description')} error={errors.description}>
          <input className="input" dir="auto" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={100} />
        </Field>
        <div className="field">
          <span className="field-label" id="edit-freq-label">{t('col.howOften')}</span>
          <div className="segmented" role="radiogroup" aria-labelledby="edit-freq-label">
            {FREQUENCIES.map((f) => (
              <label key={f} className={`segment ${frequency === f ? 'checked' : ''}`}>
                <input type="radio" name="recurring-edit-frequency" value={f} checked={frequency === f} onChange={() => setFrequency(f)} />
                {frequencyLabel(f)}
              </label>
            ))}
          </div>
        </div>
        <p className="muted small recurring-preview" aria-live="polite">
          {rebased
            ? preview.length
              ? t(preview.length === 4 ? 'edit.previewMore' : 'edit.preview', {
                  dates: preview.map((p) => t('edit.previewItem', { when: fmtDateTime(p.dueAt), period: p.period })).join(t('form.listSeparator')),
                })
              : t('edit.previewNone')
            : s.nextDueAt
              ? t('edit.stays', { when: fmtDateTime(s.nextDueAt), period: s.nextPeriod })
              : ''}
        </p>
        {submit.error ? <Alert tone="danger">{describeError(submit.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onCancel} shortcut="Esc">
            {t('cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={submit.busy} busyText={t('saving')} shortcut="Ctrl+Enter">
            {t('edit.save')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
