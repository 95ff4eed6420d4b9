import { useTranslation } from 'react-i18next';
import type { BreakdownRow } from '../../../shared/contract/reports';
import { fmtMoney, fmtNumber } from '../../lib/format';
import { useIds } from './print-copy';

/** The day's figures by one dimension (card brand, user or channel), per currency. */
export function Breakdown({ name, title, keyLabel, rows }: { name: string; title: string; keyLabel: string; rows: BreakdownRow[] }) {
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
                  <bdi>{r.label}</bdi>
                </th>
                <td>{r.currency}</td>
                <td className="num">{fmtNumber(r.operations)}</td>
                <td className="num">
                  {fmtMoney(r.taken.amount, r.currency)} <span className="muted small">{t('countInBrackets', { n: fmtNumber(r.taken.count) })}</span>
                </td>
                <td className="num">
                  {fmtMoney(r.refunded.amount, r.currency)} <span className="muted small">{t('countInBrackets', { n: fmtNumber(r.refunded.count) })}</span>
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
