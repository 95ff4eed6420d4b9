import { useTranslation } from 'react-i18next';
import type { BreakdownRow } from '../../../shared/contract/reports';
import { fmtMoney, fmtNumber } from '../../lib/format';
import { AmountCount } from './AmountCount';
import { useIds } from './print-copy';
import { rowLabel } from './report-labels';

/** The day's figures by one dimension (card brand, user or channel), per currency. */
export function Breakdown({ name, section, title, keyLabel, rows }: { name: string; section: 'station' | 'brand' | 'user' | 'channel'; title: string; keyLabel: string; rows: BreakdownRow[] }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section" aria-labelledby={id(`${name}-h`)} data-testid={tid(name)}>
      <h2 id={id(`${name}-h`)}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('breakdown.empty')}</p>
      ) : (
        <table className="table eod-table">
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col">{t('col.currency')}</th>
              <th scope="col" className="num">
                {t('col.operations')}
              </th>
              <th scope="col" className="num">
                {t('col.taken')}
              </th>
              <th scope="col" className="num">
                {t('col.refunded')}
              </th>
              <th scope="col" className="num">
                {t('col.net')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.key}-${r.currency}`} data-key={r.key} data-currency={r.currency}>
                <th scope="row" className="eod-key">
                  <bdi>{rowLabel(t, section, r.key, r.label)}</bdi>
                </th>
                <td>{r.currency}</td>
                <td className="num">{fmtNumber(r.operations)}</td>
                <td className="num">
                  <AmountCount amount={r.taken.amount} currency={r.currency} count={r.taken.count} />
                </td>
                <td className="num">
                  <AmountCount amount={r.refunded.amount} currency={r.currency} count={r.refunded.count} />
                </td>
                <td className="num eod-strong" data-testid={tid(`${name}-net-${r.key}-${r.currency}`)}>
                  {fmtMoney(r.net, r.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
