import { useTranslation } from 'react-i18next';
import type { EndOfDayReport } from '../../../shared/contract/reports';
import { fmtMoney, fmtNumber, maskedCard } from '../../lib/format';
import { useIds } from './print-copy';

type SplitOrder = NonNullable<EndOfDayReport['splitOrders']>[number];

/** Orders of the day paid by several tenders (split tender): each tender with method, amount, cash tendered and change. */
export function SplitOrders({ orders }: { orders: SplitOrder[] }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section" aria-labelledby={id('eod-split-h')} data-testid={tid('eod-split')}>
      <h2 id={id('eod-split-h')}>{t('split.title', { n: fmtNumber(orders.length) })}</h2>
      <table className="table eod-table">
        <thead>
          <tr>
            <th scope="col">{t('col.order')}</th>
            <th scope="col">{t('split.tender')}</th>
            <th scope="col" className="num">{t('split.amount')}</th>
            <th scope="col" className="num">{t('split.tendered')}</th>
            <th scope="col" className="num">{t('split.change')}</th>
            <th scope="col" className="num">{t('col.refunded')}</th>
          </tr>
        </thead>
        <tbody>
          {orders.flatMap((o) =>
            o.tenders.map((x, i) => (
              <tr key={x.paymentId} data-testid={tid('eod-split-row')}>
                {i === 0 ? (
                  <th scope="rowgroup" rowSpan={o.tenders.length} className="eod-key">
                    <bdi>{o.orderReference}</bdi>
                    <div className="muted small">{t('split.total', { total: fmtMoney(o.total, o.currency) })}</div>
                  </th>
                ) : null}
                <td>{x.method === 'cash' ? t('split.cash') : <bdi>{maskedCard(x.brand, x.last4)}</bdi>}</td>
                <td className="num">{fmtMoney(x.amount, o.currency)}</td>
                <td className="num">{x.tendered !== null ? fmtMoney(x.tendered, o.currency) : '\u2014'}</td>
                <td className="num">{x.change !== null ? fmtMoney(x.change, o.currency) : '\u2014'}</td>
                <td className="num">{fmtMoney(x.refunded, o.currency)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}
