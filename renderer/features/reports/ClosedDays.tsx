import { useTranslation } from 'react-i18next';
import type { DaySnapshotSummary } from '../../../shared/contract/reports';
import { fmtDateTime, fmtMoney } from '../../lib/format';

/** The last closed days, each with its net at close and its seal; a day opens its report. */
export function ClosedDays({ days, onOpen, current }: { days: DaySnapshotSummary[]; onOpen: (date: string) => void; current: string }) {
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section eod-closed-days" aria-labelledby="eod-closed-h">
      <h2 id="eod-closed-h">{t('closedDays.title')}</h2>
      <table className="table eod-table">
        <thead>
          <tr>
            <th scope="col">{t('col.day')}</th>
            <th scope="col">{t('col.closed')}</th>
            <th scope="col">{t('col.by')}</th>
            <th scope="col" className="num">
              {t('col.netAtClose')}
            </th>
            <th scope="col">{t('col.seal')}</th>
          </tr>
        </thead>
        <tbody>
          {days.slice(0, 14).map((d) => (
            <tr key={d.date} className={d.date === current ? 'eod-current' : undefined}>
              <th scope="row">
                <button type="button" className="link" onClick={() => onOpen(d.date)} aria-label={t('closedDays.open', { date: d.date })}>
                  <bdi>{d.date}</bdi>
                </button>
              </th>
              <td className="nowrap">{fmtDateTime(d.closedAt)}</td>
              <td>
                <bdi>{d.closedBy}</bdi>
              </td>
              <td className="num">{d.totals.length ? d.totals.map((x) => fmtMoney(x.net, x.currency)).join(' \u00b7 ') : '\u2014'}</td>
              <td>
                {d.intact ? (
                  <span className="mono small" title={d.hash}>
                    {d.hash.slice(0, 10)}&hellip;
                  </span>
                ) : (
                  <span className="badge badge-danger">{t('closedDays.altered')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
