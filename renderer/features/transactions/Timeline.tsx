import type { Detail } from './detail-store';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { operationState, operationType } from '../../lib/operation-labels';
import { Glyph } from '../../ui/Glyph';

export function Timeline({ detail }: { detail: Detail }) {
  const c = detail.payment.currency;
  return (
    <section className="panel" aria-labelledby="timeline-h">
      <h2 id="timeline-h">Operations</h2>
      <table className="table timeline">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Operation</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col">State</th>
            <th scope="col">By</th>
            <th scope="col">Reason / response</th>
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
                  <div className="muted small mono">{o.reference}</div>
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
                  {o.userName ?? '—'}
                  {o.approvedBy ? <div className="muted small">approved by {o.approvedBy}</div> : null}
                </td>
                <td>
                  {o.reason ? <div>{o.reason}</div> : null}
                  {o.message ? (
                    <div className="muted small">
                      {o.message}
                      {o.responseCode ? ` (${o.responseCode})` : ''}
                    </div>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
