import { useCallback, useEffect, useState } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { formatTaxRate, money, toInputString } from '../../../shared/money';
import { useNav } from '../../app/nav-store';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtExpiry, fmtMoney, fmtWhen, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { StatusBadge } from '../../ui/StatusBadge';
import { newLine } from '../order/draft';
import { useOrder } from '../order/order-store';
import { RecurringScreen } from '../recurring/RecurringScreen';
import { useSettings } from '../settings/settings-store';
import { NotUsableHere } from './NotUsableHere';

type Full = OutputOf<'customers.get'>;
type Card = Full['cards'][number];

const STANDING_WORD: Record<string, string> = {
  captured: 'charged',
  authorized: 'authorized',
  partially_captured: 'partly captured',
  partially_refunded: 'partly refunded',
};

export function CustomerDetail({ customerId }: { customerId: string }) {
  const [data, setData] = useState<Full | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Card | null>(null);
  const openCustomer = useNav((s) => s.openCustomer);
  const openPayment = useNav((s) => s.openPayment);
  const go = useNav((s) => s.go);
  const prefill = useOrder((s) => s.prefill);
  const defaultTax = useSettings((s) => s.settings?.defaultTaxRateBp ?? 0);

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
        : [newLine(tax, { description: 'Payment' })];
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
  if (!data) return <Spinner label="Loading customer…" />;
  const c = data.customer;
  return (
    <div className="customer-detail">
      <header className="screen-head">
        <Button size="sm" variant="ghost" onClick={back} shortcut="Esc">
          <span className="dir-glyph" aria-hidden="true">{'←'}</span> Customers
        </Button>
        <h1 className="ellipsis" title={c.name}>
          {c.name}
        </h1>
      </header>
      <div className="detail-grid">
        <div className="detail-main">
          <section className="panel">
            <dl className="facts">
              <div><dt>Phone</dt><dd>{c.phone || '—'}</dd></div>
              <div><dt>Email</dt><dd className="ellipsis">{c.email || '—'}</dd></div>
              <div><dt>Customer since</dt><dd>{fmtDateTime(c.createdAt)}</dd></div>
            </dl>
            <div className="actions">
              <Button variant="primary" onClick={() => chargeAgain(true)} shortcut="Ctrl+Enter" autoFocus disabled={!repeat} aria-describedby="repeat-of">
                Charge again{repeat ? ` ${fmtMoney(repeat.order.total, repeat.order.currency)}` : ''}
              </Button>
              <Button onClick={() => chargeAgain(false)} shortcut="Alt+M">
                Charge a new amount
              </Button>
            </div>
            <p className="muted small" id="repeat-of" data-testid="repeat-of">
              {repeat
                ? `Repeats order ${repeat.order.reference} of ${fmtDateTime(repeat.payment.createdAt)}: ${repeat.payment.method === 'cash' ? 'cash' : maskedCard(repeat.payment.brand, repeat.payment.last4)}, ${STANDING_WORD[repeat.payment.status] ?? repeat.payment.status}.`
                : 'No earlier payment stands (voided, declined or refunded ones are not repeated): charge a new amount.'}
            </p>
          </section>
          <section className="panel" aria-labelledby="payments-h">
            <h2 id="payments-h">Recent payments</h2>
            {data.payments.length === 0 ? (
              <EmptyState title="No payments yet." />
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Order</th>
                    <th scope="col">Card</th>
                    <th scope="col" className="num">Amount</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.payments.map((p) => (
                    <tr key={p.id} className="clickable" onClick={() => openPayment(p.id)}>
                      <td>{fmtWhen(p.createdAt)}</td>
                      <td>
                        <button type="button" className="link mono" onClick={() => openPayment(p.id)}>
                          {p.orderReference}
                        </button>
                      </td>
                      <td>{p.method === 'cash' ? 'Cash' : maskedCard(p.brand, p.last4)}</td>
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
            <h2 id="cards-h">Cards on file</h2>
            {data.cards.length === 0 ? <EmptyState title="No card on file.">Save one with the next charge.</EmptyState> : null}
            <ul className="cards">
              {data.cards.map((k) => (
                <li key={k.id} className={`card-item ${k.status !== 'active' ? 'inactive' : ''}`}>
                  <div>
                    <div className="card-brand">{maskedCard(k.brand, k.last4)}</div>
                    <div className="muted small">
                      exp {fmtExpiry(k.expiry)}
                      {k.holderName ? ` · ${k.holderName}` : ''}
                    </div>
                  </div>
                  <div className="card-state">
                    {k.expired ? <span className="badge badge-danger">Expired</span> : null}
                    <NotUsableHere account={k.account} />
                    {k.status !== 'active' ? <span className="badge badge-neutral">Deactivated</span> : null}
                    {k.status === 'active' ? (
                      <Button size="sm" variant="ghost" onClick={() => setConfirm(k)} aria-label={`Deactivate ${maskedCard(k.brand, k.last4)}`}>
                        Deactivate
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
        <ConfirmDialog title={`Deactivate ${maskedCard(confirm.brand, confirm.last4)}?`} confirmLabel="Deactivate card" tone="danger" busy={deactivate.busy} onConfirm={() => void deactivate.run(confirm)} onCancel={() => setConfirm(null)}>
          The card can no longer be charged from this station. The customer gives a card again next time.
          {deactivate.error ? <Alert tone="danger">{describeError(deactivate.error)}</Alert> : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
