import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { fmtMoney, maskedCard } from '../../lib/format';
import { StatusBadge } from '../../ui/StatusBadge';
import './tenders.css';

export type OrderTenders = OutputOf<'orders.tenders'>;
export type Tender = OrderTenders['tenders'][number];

/** "Cash" or "Visa •••• 4242": how a tender is named on every screen. */
export function TenderName({ tender }: { tender: Pick<Tender, 'method' | 'brand' | 'last4'> }) {
  const { t } = useTranslation('order');
  return tender.method === 'cash' ? <>{t('tenders.cash')}</> : <bdi>{maskedCard(tender.brand, tender.last4)}</bdi>;
}

/**
 * An order's tenders in the order they were taken, and the one "remaining" figure from the core
 * (orders.tenders): the order screen while a split goes on, the result, and the transaction screen.
 */
export function TenderList({ tenders, title, showRemaining = true }: { tenders: OrderTenders; title: string; showRemaining?: boolean }) {
  const { t } = useTranslation('order');
  const c = tenders.currency;
  return (
    <section className="tenders" aria-label={title} data-testid="tenders">
      <h3 className="tenders-title">{title}</h3>
      <table className="tenders-table">
        <thead>
          <tr>
            <th scope="col">{t('tenders.colTender')}</th>
            <th scope="col" className="num">{t('tenders.colAmount')}</th>
            <th scope="col">{t('tenders.colStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {tenders.tenders.map((x) => (
            <tr key={x.paymentId} className={x.standing === 'void' ? 'tender-void' : undefined} data-testid="tender-row">
              <th scope="row">
                <TenderName tender={x} />
                {x.method === 'cash' && x.tendered !== null && x.change !== null ? (
                  <div className="muted small" data-testid="tender-cash">
                    {t('tenders.cashDetail', { tendered: fmtMoney(x.tendered, c), change: fmtMoney(x.change, c) })}
                  </div>
                ) : null}
              </th>
              <td className="num">{fmtMoney(x.amount, c)}</td>
              <td>
                <StatusBadge status={x.status} />
                {x.standing === 'in_doubt' ? <div className="muted small">{t('tenders.inDoubt')}</div> : null}
                {x.refunded > 0 ? <div className="muted small">{t('tenders.refunded', { amount: fmtMoney(x.refunded, c) })}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="tenders-sum">
        <div>
          <dt>{t('tenders.total')}</dt>
          <dd>{fmtMoney(tenders.total, c)}</dd>
        </div>
        <div>
          <dt>{t('tenders.tendered')}</dt>
          <dd>{fmtMoney(tenders.counted, c)}</dd>
        </div>
        {tenders.inDoubt > 0 ? (
          <div>
            <dt>{t('tenders.beingChecked')}</dt>
            <dd>{fmtMoney(tenders.inDoubt, c)}</dd>
          </div>
        ) : null}
        {showRemaining ? (
          <div className="tenders-remaining">
            <dt>{t('tenders.remaining')}</dt>
            <dd data-testid="tenders-remaining">{fmtMoney(tenders.remaining, c)}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
