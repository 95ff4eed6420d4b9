import { Trans, useTranslation } from 'react-i18next';
import type { Detail } from './detail-store';
import { coreSentence, type CoreTextLike } from '../../lib/core-text';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { operationState, operationType } from '../../lib/operation-labels';
import { Glyph } from '../../ui/Glyph';

export function Timeline({ detail }: { detail: Detail }) {
  const c = detail.payment.currency;
  const { t } = useTranslation('transactions');
  return (
    <section className="panel" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('timeline.title')}</h2>
      <table className="table timeline">
        <thead>
          <tr>
            <th scope="col">{t('timeline.col.time')}</th>
            <th scope="col">{t('timeline.col.operation')}</th>
            <th scope="col" className="num">{t('timeline.col.amount')}</th>
            <th scope="col">{t('timeline.col.state')}</th>
            <th scope="col">{t('timeline.col.by')}</th>
            <th scope="col">{t('timeline.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.operations.map((o) => {
            const { label, glyph, tone } = operationState(o.state);
            return (
              <tr key={o.id} data-op-type={o.type} data-op-state={o.state}>
                <td className="nowrap">{fmtDateTime(o.createdAt)}</td>
                <td>
                  {operationType(o.type)}
                  <div className="muted small mono"><bdi>{o.reference}</bdi></div>
                </td>
                <td className="num nowrap">{o.amount !== null ? fmtMoney(o.amount, c) : '—'}</td>
                <td>
                  <span className={`badge badge-${tone}`}>
                    <span aria-hidden="true" className="badge-glyph">
                      <Glyph char={glyph} />
                    </span>
                    {label}
                  </span>
                </td>
                <td>
                  {o.userName ? <bdi>{o.userName}</bdi> : '—'}
                  {o.approvedBy ? (
                    <div className="muted small">
                      <Trans t={t} i18nKey="timeline.approvedBy" values={{ name: o.approvedBy }} components={{ name: <bdi /> }} />
                    </div>
                  ) : null}
                </td>
                <td>
                  {o.reason ? <div dir="auto">{o.reason}</div> : null}
                  <OperationNote message={o.message} text={o.text ?? null} responseCode={o.responseCode} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/**
 * What the gateway or the core said about an operation, in the user's language (the bank's answer
 * by its APS message code, lib/format bankText; the runner's technical notes by their key, the
 * technical detail inside left as it is), with the code left to right. The stored English stays as
 * a tooltip for support; a note without a key shows only on an English screen.
 */
function OperationNote({ message, text, responseCode }: { message: string | null; text: CoreTextLike | null; responseCode: string | null }) {
  const said = coreSentence(text, message);
  if (!said && !responseCode) return null;
  return (
    <div className="muted small" dir="auto" title={message && message !== said ? message : undefined} data-testid="op-note">
      {said}
      {responseCode ? (
        <>
          {said ? ' ' : ''}
          <bdi className="mono">({responseCode})</bdi>
        </>
      ) : null}
    </div>
  );
}
