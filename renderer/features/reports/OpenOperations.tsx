import { useTranslation } from 'react-i18next';
import type { EndOfDayReport } from '../../../shared/contract/reports';
import { fmtAge, fmtDateTime, fmtMoney, fmtNumber } from '../../lib/format';
import { operationType } from '../../lib/operation-labels';
import { useIds } from './print-copy';
import { StateBadge } from './StateBadge';

/** Operations not finished, whatever their day: unknown, queued or waiting for attention. */
export function OpenOperations({ report }: { report: EndOfDayReport }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section" aria-labelledby={id('eod-open-h')} data-testid={tid('eod-open')}>
      <h2 id={id('eod-open-h')}>{t('open.title', { n: fmtNumber(report.open.length) })}</h2>
      {report.open.length === 0 ? (
        <p className="muted">{t('open.empty')}</p>
      ) : (
        <table className="table eod-table">
          <thead>
            <tr>
              <th scope="col">{t('col.operation')}</th>
              <th scope="col">{t('col.state')}</th>
              <th scope="col">{t('col.order')}</th>
              <th scope="col" className="num">
                {t('col.amount')}
              </th>
              <th scope="col">{t('col.made')}</th>
              <th scope="col">{t('col.age')}</th>
              <th scope="col">{t('col.by')}</th>
              <th scope="col">{t('col.lastMessage')}</th>
            </tr>
          </thead>
          <tbody>
            {report.open.map((o) => (
              <tr key={o.id} data-state={o.state}>
                <td>{operationType(o.type)}</td>
                <td>
                  <StateBadge state={o.state} />
                </td>
                <td className="mono">
                  <bdi>{o.orderReference}</bdi>
                </td>
                <td className="num">{o.amount !== null ? fmtMoney(o.amount, o.currency) : '\u2014'}</td>
                <td className="nowrap">{fmtDateTime(o.createdAt)}</td>
                <td className="nowrap">{fmtAge(o.createdAt)}</td>
                <td>{o.userName ? <bdi>{o.userName}</bdi> : '\u2014'}</td>
                <td className="small" dir="auto">
                  {o.message ?? '\u2014'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
