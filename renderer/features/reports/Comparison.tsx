import { Trans, useTranslation } from 'react-i18next';
import type { CompareResult } from '../../../shared/contract/reports';
import { fmtDateTime, fmtMoney, fmtNumber } from '../../lib/format';
import { operationType } from '../../lib/operation-labels';
import { Alert } from '../../ui/Alert';
import { AmountCount } from './AmountCount';
import { useIds } from './print-copy';
import { figureLabel, sectionLabel, signed } from './report-labels';
import { StateBadge } from './StateBadge';

/** The closed snapshot next to the fresh computation. */
export function Comparison({ compare }: { compare: CompareResult }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  const s = compare.snapshot;
  const headline = compare.differences.filter((d) => d.section === 'operations' || d.section === 'drawer');
  const detail = compare.differences.filter((d) => d.section !== 'operations' && d.section !== 'drawer');
  return (
    <section className={`panel eod-compare ${compare.same ? '' : 'eod-compare-diff'}`} aria-labelledby={id('eod-compare-h')} data-testid={tid('eod-compare')}>
      <div className="panel-head">
        <h2 id={id('eod-compare-h')}>{t('compare.title')}</h2>
        <span className="muted small">
          <Trans
            t={t}
            i18nKey="compare.closedBy"
            values={{ name: s.closedBy, when: fmtDateTime(s.closedAt), seal: `${s.hash.slice(0, 16)}\u2026` }}
            components={{ name: <bdi />, seal: <span className="mono" title={s.hash} /> }}
          />
        </span>
      </div>
      {!s.intact ? (
        <Alert tone="danger" title={t('compare.alteredTitle')}>
          {t('compare.alteredBody')}
        </Alert>
      ) : null}
      {compare.same ? (
        <Alert tone="success">{t('compare.same')}</Alert>
      ) : (
        <>
          <Alert tone="warning" title={t('compare.changedTitle')}>
            {t('compare.changedBody')}
          </Alert>
          {headline.length > 0 ? <DiffTable rows={headline} testId={tid('eod-differences')} caption={t('compare.headlineCaption')} /> : null}
          {detail.length > 0 ? (
            <details className="eod-more">
              <summary>{t('compare.detailSummary', { n: fmtNumber(detail.length) })}</summary>
              <DiffTable rows={detail} caption={t('compare.detailCaption')} />
            </details>
          ) : null}
          {compare.resolvedSinceClose.length > 0 ? <ResolvedSinceClose rows={compare.resolvedSinceClose} /> : null}
        </>
      )}
    </section>
  );
}

/** Operations open when the day was closed that have changed since. */
function ResolvedSinceClose({ rows }: { rows: CompareResult['resolvedSinceClose'] }) {
  const { tid } = useIds();
  const { t } = useTranslation('reports');
  return (
    <>
      <h3 className="eod-subhead">{t('compare.resolvedTitle')}</h3>
      <table className="table eod-table" data-testid={tid('eod-resolved')}>
        <thead>
          <tr>
            <th scope="col">{t('col.operation')}</th>
            <th scope="col">{t('col.order')}</th>
            <th scope="col" className="num">
              {t('col.amount')}
            </th>
            <th scope="col">{t('col.atClose')}</th>
            <th scope="col">{t('col.now')}</th>
            <th scope="col">{t('col.finished')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr key={o.id}>
              <td>{operationType(o.type)}</td>
              <td className="mono">
                <bdi>{o.orderReference}</bdi>
              </td>
              <td className="num">{o.amount !== null ? fmtMoney(o.amount, o.currency) : '\u2014'}</td>
              <td>
                <StateBadge state={o.stateAtClose} />
              </td>
              <td>
                <StateBadge state={o.stateNow} />
              </td>
              <td className="nowrap">{o.finishedAt ? t('compare.countedOn', { when: fmtDateTime(o.finishedAt) }) : '\u2014'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Figure by figure: at the close, now, and the difference. */
function DiffTable({ rows, testId, caption }: { rows: CompareResult['differences']; testId?: string | undefined; caption: string }) {
  const { t } = useTranslation('reports');
  return (
    <table className="table eod-table" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('col.section')}</th>
          <th scope="col">{t('col.figure')}</th>
          <th scope="col">{t('col.currency')}</th>
          <th scope="col" className="num">
            {t('col.atClose')}
          </th>
          <th scope="col" className="num">
            {t('col.now')}
          </th>
          <th scope="col" className="num">
            {t('col.difference')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={`${d.section}|${d.key}|${d.currency}`}>
            <td>{sectionLabel(t, d.section)}</td>
            <th scope="row" className="eod-key">
              {figureLabel(t, d.key, d.section)}
            </th>
            <td>{d.currency}</td>
            <td className="num">
              <AmountCount amount={d.closed.amount} currency={d.currency} count={d.closed.count} />
            </td>
            <td className="num">
              <AmountCount amount={d.now.amount} currency={d.currency} count={d.now.count} />
            </td>
            <td className="num eod-strong">{signed(d.now.amount - d.closed.amount, d.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
