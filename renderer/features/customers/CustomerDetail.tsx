import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { formatTaxRate, money, toInputString } from '../../../shared/money';
import { useNav } from '../../app/nav-store';
import { call, subscribe } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtExpiry, fmtMoney, fmtWhen, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n';
import { StatusBadge } from '../../ui/StatusBadge';
import { Ltr } from '../../ui/Ltr';
import { newLine } from '../order/draft';
import { useOrder } from '../order/order-store';
import { RecurringScreen } from '../recurring/LazyRecurringScreen';
import { useSettings } from '../settings/settings-store';
import { NotUsableHere } from './NotUsableHere';

type Full = OutputOf<'customers.get'>;
type Card = Full['cards'][number];

const STANDING = new Set(['captured', 'authorized', 'partially_captured', 'partially_refunded']);
const DASH = '—';
const SEP = ' · ';
const BACK = '←';

export function CustomerDetail({ customerId }: { customerId: string }) {
  const [data, setData] = useState<Full | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Card | null>(null);
  const openCustomer = useNav((s) => s.openCustomer);
  const openPayment = useNav((s) => s.openPayment);
  const go = useNav((s) => s.go);
  const prefill = useOrder((s) => s.prefill);
  const defaultTax = useSettings((s) => s.settings?.defaultTaxRateBp ?? 0);
  const { t } = useTranslation('customers');

  const load = useCallback(() => {
    call('customers.get', { id: customerId }).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e) => setError(describeError(e)),
    );
  }, [customerId]);
  useEffect(load, [load]);
  // In a shop, a card saved or a payment taken for this customer at another desk shows without a reload.
  useEffect(() => subscribe('shop.changed', ({ tables }) => {
    if (tables.some((x) => x === 'customers' || x === 'cards' || x === 'orders' || x === 'payments' || x === 'operations')) load();
  }), [load]);

  const deactivate = useAction(async (card: Card) => {
    await call('cards.deactivate', { cardId: card.id });
    setConfirm(null);
    load();
  });

  const back = () => {
    openCustomer(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#customer-search')?.focus());
  };

  // Only an order whose payment stands is repeated (customers.get's `repeat`), never a voided,
  // declined or refunded one, and the button says which payment it repeats.
  const repeat = data?.repeat ?? null;
  const chargeAgain = (sameItems: boolean) => {
    if (!data || (sameItems && !repeat)) return;
    const tax = formatTaxRate(defaultTax).replace(' %', '');
    const lines =
      sameItems && repeat
        ? repeat.order.lines.map((l) =>
            newLine(formatTaxRate(l.taxRateBp).replace(' %', ''), {
              description: l.description,
              quantity: String(l.quantity),
              unitPrice: toInputString(money(l.unitPrice, repeat.order.currency)),
            }),
          )
        : [newLine(tax, { description: t('detail.paymentLine') })];
    prefill(data.customer, data.cards, lines);
    go('order');
    requestAnimationFrame(() => document.querySelector<HTMLElement>(sameItems ? '#charge-button' : '#line-0-unitPrice')?.focus());
  };

  useHotkeys({
    Escape: () => (confirm ? undefined : back()),
    'Ctrl+Enter': () => chargeAgain(true),
    'Alt+M': () => chargeAgain(false),
  });

  if (error) return <Alert tone="danger">{error}</Alert>;
  if (!data) return <Spinner label={t('detail.loading')} />;
  const c = data.customer;
  const repeatText = repeat ? (
    <Trans
      t={t}
      i18nKey="detail.repeats"
      values={{
        reference: repeat.order.reference,
        date: fmtDateTime(repeat.payment.createdAt),
        how: repeat.payment.method === 'cash' ? t('detail.cash') : maskedCard(repeat.payment.brand, repeat.payment.last4),
        standing: STANDING.has(repeat.payment.status) ? t(`detail.standing.${repeat.payment.status}`) : repeat.payment.status,
      }}
      components={{ ref: <bdi /> }}
    />
  ) : (
    t('detail.noRepeat')
  );
  return (
    <div className="customer-detail">
      <header className="screen-head">
        <Button size="sm" variant="ghost" onClick={back} shortcut="Esc">
          <span className="dir-glyph" aria-hidden="true">{BACK}</span> {t('detail.back')}
        </Button>
        <h1 className="ellipsis" title={c.name}>
          <bdi>{c.name}</bdi>
        </h1>
      </header>
      <div className="detail-grid">
        <div className="detail-main">
          <section className="panel">
            <dl className="facts">
              <div>
                <dt>{t('detail.phone')}</dt>
                <dd>{c.phone ? <Ltr className="contact-phone">{c.phone}</Ltr> : DASH}</dd>
              </div>
              <div>
                <dt>{t('detail.email')}</dt>
                <dd className="ellipsis ellipsis-ltr">
                  {c.email ? <Ltr className="contact-email">{c.email}</Ltr> : DASH}
                </dd>
              </div>
              <div>
                <dt>{t('detail.since')}</dt>
                <dd>{fmtDateTime(c.createdAt)}</dd>
              </div>
            </dl>
            <CustomerLanguage customer={c} onSaved={(customer) => setData((d) => (d ? { ...d, customer } : d))} />
            <div className="actions">
              <Button variant="primary" onClick={() => chargeAgain(true)} shortcut="Ctrl+Enter" autoFocus disabled={!repeat} aria-describedby="repeat-of">
                {repeat ? t('detail.chargeAgainAmount', { amount: fmtMoney(repeat.order.total, repeat.order.currency) }) : t('detail.chargeAgain')}
              </Button>
              <Button onClick={() => chargeAgain(false)} shortcut="Alt+M">
                {t('detail.chargeNew')}
              </Button>
            </div>
            <p className="muted small" id="repeat-of" data-testid="repeat-of">
              {repeatText}
            </p>
          </section>
          <section className="panel" aria-labelledby="payments-h">
            <h2 id="payments-h">{t('detail.payments')}</h2>
            {data.payments.length === 0 ? (
              <EmptyState title={t('detail.noPayments')} />
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('detail.when')}</th>
                    <th scope="col">{t('detail.order')}</th>
                    <th scope="col">{t('detail.card')}</th>
                    <th scope="col" className="num">
                      {t('detail.amount')}
                    </th>
                    <th scope="col">{t('detail.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.payments.map((p) => (
                    <tr key={p.id} className="clickable" onClick={() => openPayment(p.id)}>
                      <td>{fmtWhen(p.createdAt)}</td>
                      <td>
                        <button type="button" className="link mono" onClick={() => openPayment(p.id)}>
                          <bdi>{p.orderReference}</bdi>
                        </button>
                      </td>
                      <td>{p.method === 'cash' ? t('detail.cashMethod') : <bdi>{maskedCard(p.brand, p.last4)}</bdi>}</td>
                      <td className="num">{fmtMoney(p.amount, p.currency)}</td>
                      <td>
                        <StatusBadge status={p.status} queued={p.queued} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <RecurringScreen embedded customer={c} cards={data.cards} />
        </div>
        <aside className="detail-side">
          <section className="panel" aria-labelledby="cards-h">
            <h2 id="cards-h">{t('detail.cards')}</h2>
            {data.cards.length === 0 ? <EmptyState title={t('detail.noCards')}>{t('detail.noCardsHint')}</EmptyState> : null}
            <ul className="cards">
              {data.cards.map((k) => (
                <li key={k.id} className={`card-item ${k.status !== 'active' ? 'inactive' : ''}`}>
                  <div>
                    <div className="card-brand">
                      <bdi>{maskedCard(k.brand, k.last4)}</bdi>
                    </div>
                    <div className="muted small">
                      {t('detail.exp', { expiry: fmtExpiry(k.expiry) })}
                      {k.holderName ? (
                        <>
                          {SEP}
                          <bdi>{k.holderName}</bdi>
                        </>
                      ) : null}
                    </div>
                  </div>
                  <div className="card-state">
                    {k.expired ? <span className="badge badge-danger">{t('detail.expired')}</span> : null}
                    <NotUsableHere account={k.account} />
                    {k.status !== 'active' ? <span className="badge badge-neutral">{t('detail.deactivated')}</span> : null}
                    {k.status === 'active' ? (
                      <Button size="sm" variant="ghost" onClick={() => setConfirm(k)} aria-label={t('detail.deactivateCard', { card: maskedCard(k.brand, k.last4) })}>
                        {t('detail.deactivate')}
                      </Button>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
      {confirm ? (
        <ConfirmDialog title={t('detail.deactivateTitle', { card: maskedCard(confirm.brand, confirm.last4) })} confirmLabel={t('detail.deactivateConfirm')} tone="danger" busy={deactivate.busy} onConfirm={() => void deactivate.run(confirm)} onCancel={() => setConfirm(null)}>
          {t('detail.deactivateText')}
          {deactivate.error ? <Alert tone="danger">{describeError(deactivate.error)}</Alert> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

const LANGUAGE_OPTIONS: (Language | '')[] = ['', ...LANGUAGES];

/** The customer's language for what we send them (email confirmation); '' = the station's. Saved on change. */
function CustomerLanguage({ customer, onSaved }: { customer: Full['customer']; onSaved: (c: Full['customer']) => void }) {
  const { t } = useTranslation('customers');
  const save = useAction(async (language: Language | null) => {
    onSaved(await call('customers.update', { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone, language }));
  });
  return (
    <Field label={t('detail.language')} hint={t('detail.languageHint')} error={save.error ? describeError(save.error) : undefined}>
      <select className="input" data-testid="customer-language" value={customer.language ?? ''} disabled={save.busy} onChange={(e) => void save.run((e.target.value || null) as Language | null)}>
        {LANGUAGE_OPTIONS.map((l) => (
          <option key={l} value={l} lang={l || undefined}>
            {l ? LANGUAGE_NAMES[l] : t('detail.stationLanguage')}
          </option>
        ))}
      </select>
    </Field>
  );
}
