import { Trans, useTranslation } from 'react-i18next';
import type { EndOfDayReport } from '../../../shared/contract/reports';
import { fmtDateTime, fmtNumber } from '../../lib/format';
import { EmptyState } from '../../ui/Alert';
import { Breakdown } from './Breakdown';
import { CurrencyPanel } from './CurrencyPanel';
import { OpenOperations } from './OpenOperations';
import { SplitOrders } from './SplitOrders';
import { useIds } from './print-copy';
import { offsetLabel } from './report-data';

/** The figures of one report: per-currency totals and drawer, breakdowns, open operations. */
export function ReportView({ report }: { report: EndOfDayReport }) {
  const { t } = useTranslation('reports');
  return (
    <article className="eod-report" aria-label={t('report.label', { date: report.date })}>
      <ReportHead report={report} />
      {report.byCurrency.length === 0 ? (
        <section className="panel">
          <EmptyState title={t('report.emptyTitle')}>{t('report.emptyBody')}</EmptyState>
        </section>
      ) : (
        <div className="eod-currencies">
          {report.byCurrency.map((c) => (
            <CurrencyPanel key={c.currency} totals={c} drawer={report.drawer.find((d) => d.currency === c.currency) ?? null} />
          ))}
        </div>
      )}
      {report.byCurrency.length > 0 ? (
        <div className="eod-breakdowns">
          {report.byStation ? <Breakdown name="eod-station" section="station" title={t('breakdown.station')} keyLabel={t('col.station')} rows={report.byStation} /> : null}
          <Breakdown name="eod-brand" section="brand" title={t('breakdown.brand')} keyLabel={t('col.brand')} rows={report.byBrand} />
          <Breakdown name="eod-user" section="user" title={t('breakdown.user')} keyLabel={t('col.user')} rows={report.byUser} />
          <Breakdown name="eod-channel" section="channel" title={t('breakdown.channel')} keyLabel={t('col.channel')} rows={report.byChannel} />
        </div>
      ) : null}
      {report.stations ? <Stations stations={report.stations} /> : null}
      {report.splitOrders && report.splitOrders.length > 0 ? <SplitOrders orders={report.splitOrders} /> : null}
      <OpenOperations report={report} />
      {report.repairs.length > 0 ? <Repairs repairs={report.repairs} /> : null}
    </article>
  );
}

/** Which day, which station, the hours it covers (with the time zone) and when it was computed. */
function ReportHead({ report }: { report: EndOfDayReport }) {
  const { t } = useTranslation('reports');
  const { tid } = useIds();
  const range = `${fmtDateTime(report.from)} \u2013 ${fmtDateTime(report.to)}`;
  const tz = report.utcOffsetMinutes === report.endUtcOffsetMinutes ? offsetLabel(report.utcOffsetMinutes) : `${offsetLabel(report.utcOffsetMinutes)} \u2192 ${offsetLabel(report.endUtcOffsetMinutes)}`;
  return (
    <header className="eod-report-head">
      <div>
        <div className="eod-report-title">
          <Trans t={t} i18nKey="report.title" values={{ date: report.date }} components={{ date: <bdi /> }} /> &middot; {report.scope === 'shop' ? <span data-testid={tid('eod-whole-shop')}>{t('report.wholeShop')}</span> : <bdi>{report.station}</bdi>}
        </div>
        <div className="muted small">
          <Trans
            t={t}
            i18nKey="report.subtitle"
            values={{ range, tz, operations: t('report.operations', { count: report.operationCount, n: fmtNumber(report.operationCount) }), when: fmtDateTime(report.generatedAt) }}
            components={{ range: <bdi />, tz: <bdi /> }}
          />
        </div>
      </div>
    </header>
  );
}

/** Payments the gateway corrected after the fact (a status check that found another outcome). */
function Repairs({ repairs }: { repairs: EndOfDayReport['repairs'] }) {
  const { id } = useIds();
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section" aria-labelledby={id('eod-repairs-h')}>
      <h2 id={id('eod-repairs-h')}>{t('repairs.title', { n: fmtNumber(repairs.length) })}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('col.order')}</th>
            <th scope="col">{t('col.when')}</th>
            <th scope="col">{t('col.whatChanged')}</th>
          </tr>
        </thead>
        <tbody>
          {repairs.map((r) => (
            <tr key={`${r.paymentId}-${r.at}`}>
              <td className="mono">
                <bdi>{r.orderReference}</bdi>
              </td>
              <td className="nowrap">{fmtDateTime(r.at)}</td>
              <td dir="auto">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The shop's stations in a whole-shop report, with when the server last saw each: a desk long unseen may not have sent all of its day. */
function Stations({ stations }: { stations: NonNullable<EndOfDayReport['stations']> }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  return (
    <section className="panel eod-section" aria-labelledby={id('eod-stations-h')} data-testid={tid('eod-stations')}>
      <h2 id={id('eod-stations-h')}>{t('stations.title')}</h2>
      <table className="table eod-table">
        <thead>
          <tr>
            <th scope="col">{t('col.station')}</th>
            <th scope="col">{t('col.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          {stations.map((s) => (
            <tr key={s.id}>
              <th scope="row" className="eod-key">
                <bdi>{s.name}</bdi> {s.thisStation ? <span className="muted small">{t('stations.thisStation')}</span> : null}
              </th>
              <td className="nowrap">{s.lastSeenAt ? fmtDateTime(s.lastSeenAt) : t('stations.notKnown')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
