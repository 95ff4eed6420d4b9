import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { operationState, operationType } from '../../lib/operation-labels';
import { createPortal } from 'react-dom';
import type { BreakdownRow, CompareResult, CurrencyTotals, DaySnapshotSummary, EndOfDayReport, Tally } from '../../../shared/contract/reports';
import { roleAtLeast } from '../../../shared/domain/roles';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtAge, fmtDateTime, fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useSession } from '../session/session-store';
import { csvFileName, dayInput, downloadText, localDate, offsetLabel, reportCsv, shiftDate } from './report-data';
import './end-of-day.css';

const OP_ROWS: [keyof CurrencyTotals, string][] = [
  ['sales', 'Card sales'],
  ['authorizations', 'Authorizations'],
  ['captures', 'Captures'],
  ['voids', 'Voids'],
  ['refunds', 'Card refunds'],
  ['cashSales', 'Cash sales'],
  ['cashRefunds', 'Cash refunds'],
];

const SECTION: Record<string, string> = { operations: 'Totals', brand: 'Card brand', user: 'User', channel: 'Channel', drawer: 'Drawer' };

const KEY: Record<string, string> = {
  sales: 'Card sales',
  authorizations: 'Authorizations',
  captures: 'Captures',
  voids: 'Voids',
  refunds: 'Card refunds',
  cash_sales: 'Cash sales',
  cash_refunds: 'Cash refunds',
  taken: 'Taken',
  refunded: 'Refunded',
  net: 'Net',
  'cash in': 'Cash in',
  'cash out': 'Cash paid back',
  expected: 'Drawer should hold',
};

/** True inside the print copy: no ids or test ids there, so the screen's stay unique. */
const PrintCopy = createContext(false);

function useIds() {
  const print = useContext(PrintCopy);
  return {
    id: (v: string) => (print ? `print-${v}` : v),
    tid: (v: string) => (print ? undefined : v),
  };
}

interface Loaded {
  report: EndOfDayReport;
  compare: CompareResult | null;
}

/**
 * End of day: the figures of one station-local day (docs/reports.md), print, CSV export, and for a
 * supervisor "Close the day"; once closed, the stored snapshot next to a fresh computation.
 */
export function EndOfDayScreen() {
  const today = localDate();
  const [date, setDate] = useState(today);
  const [data, setData] = useState<Loaded | null>(null);
  const [closedDays, setClosedDays] = useState<DaySnapshotSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const canClose = roleAtLeast(role, 'supervisor');

  // Only the answer for the latest requested day is shown (quick date changes may answer out of order).
  const latest = useRef('');
  const load = useCallback(async (day: string) => {
    latest.current = day;
    setLoading(true);
    setError(null);
    try {
      const closed = await call('reports.closedDays', {});
      let next: Loaded;
      if (closed.some((c) => c.date === day)) {
        const compare = await call('reports.compare', { date: day });
        next = { report: compare.current, compare };
      } else {
        next = { report: await call('reports.endOfDay', dayInput(day)), compare: null };
      }
      if (latest.current !== day) return;
      setClosedDays(closed);
      setData(next);
    } catch (e) {
      if (latest.current !== day) return;
      setData(null);
      setError(describeError(e));
    } finally {
      if (latest.current === day) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setNotice(null);
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) void load(date);
  }, [date, load]);

  // While this screen is open, printing (the button or Ctrl+P) prints the report and nothing else.
  useEffect(() => {
    document.body.classList.add('eod-active');
    return () => document.body.classList.remove('eod-active');
  }, []);

  const close = useAction(async () => {
    const snap = await call('reports.closeDay', dayInput(date));
    setConfirming(false);
    setNotice(`${date} is closed. Snapshot sealed with sha256 ${snap.hash.slice(0, 12)}\u2026`);
    await load(date);
  });

  const report = data?.report ?? null;
  const isClosed = Boolean(data?.compare);
  const printRoot = typeof document !== 'undefined' ? document.body : null;

  return (
    <div className="eod-screen">
      <header className="screen-head">
        <h1 id="eod-title" tabIndex={-1}>
          End of day
        </h1>
        {data ? (
          isClosed ? (
            <span className="badge badge-success" data-testid="eod-closed">
              <span aria-hidden="true" className="badge-glyph">
                {'\u2713'}
              </span>
              Closed
            </span>
          ) : (
            <span className="badge badge-neutral">
              <span aria-hidden="true" className="badge-glyph">
                {'\u25cb'}
              </span>
              Open
            </span>
          )
        ) : null}
      </header>

      <div className="panel eod-toolbar" role="group" aria-label="Report day and actions">
        <div className="eod-day">
          <label className="field-label" htmlFor="eod-date">
            Day
          </label>
          <div className="eod-day-row">
            <Button size="sm" variant="ghost" aria-label="Previous day" onClick={() => setDate(shiftDate(date, -1))}>
              {'\u2039'}
            </Button>
            <input
              id="eod-date"
              className="input eod-date"
              type="date"
              value={date}
              max={today}
              required
              onChange={(e) => setDate(e.target.value)}
            />
            <Button size="sm" variant="ghost" aria-label="Next day" disabled={date >= today} onClick={() => setDate(shiftDate(date, 1))}>
              {'\u203a'}
            </Button>
            {date !== today ? (
              <Button size="sm" variant="ghost" onClick={() => setDate(today)}>
                Today
              </Button>
            ) : null}
          </div>
        </div>
        <div className="eod-actions">
          <Button onClick={() => window.print()} disabled={!report} shortcut="Ctrl+P">
            Print
          </Button>
          <Button onClick={() => report && downloadText(reportCsv(report), csvFileName(report))} disabled={!report}>
            Export CSV
          </Button>
          {canClose ? (
            <Button variant="primary" onClick={() => setConfirming(true)} disabled={!report || isClosed || loading}>
              Close the day
            </Button>
          ) : null}
        </div>
      </div>

      {notice ? (
        <Alert tone="success" title="Day closed">
          {notice}
        </Alert>
      ) : null}
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {close.error && !confirming ? <Alert tone="danger">{describeError(close.error)}</Alert> : null}
      {!report && loading ? <Spinner label="Computing the day\u2026" /> : null}

      {data?.compare ? <Comparison compare={data.compare} /> : null}
      {report ? (
        <div aria-busy={loading || undefined}>
          <ReportView report={report} />
        </div>
      ) : null}
      {closedDays && closedDays.length > 0 ? <ClosedDays days={closedDays} onOpen={setDate} current={date} /> : null}

      {confirming ? (
        <ConfirmDialog
          title={`Close ${date}?`}
          confirmLabel="Close the day"
          busy={close.busy}
          onCancel={() => {
            setConfirming(false);
            close.clearError();
          }}
          onConfirm={() => void close.run()}
        >
          <p>
            A permanent snapshot of these figures is stored and sealed. A day is closed once: this cannot be undone or repeated.
          </p>
          {date === today ? <p>The day is not over: operations finishing later today will show as differences from the snapshot.</p> : null}
          {report && report.open.length > 0 ? (
            <p>
              {report.open.length} operation{report.open.length === 1 ? ' is' : 's are'} still open (unknown or queued); the snapshot lists {report.open.length === 1 ? 'it' : 'them'}.
            </p>
          ) : null}
          {close.error ? <p className="field-error">{describeError(close.error)}</p> : null}
        </ConfirmDialog>
      ) : null}

      {report && printRoot
        ? createPortal(
            <div className="eod-print">
              <PrintCopy.Provider value={true}>
                {data?.compare ? <Comparison compare={data.compare} /> : null}
                <ReportView report={report} />
              </PrintCopy.Provider>
            </div>,
            printRoot,
          )
        : null}
    </div>
  );
}

function money(t: Tally, currency: string): string {
  return fmtMoney(t.amount, currency);
}

/** The figures of one report: per-currency totals and drawer, breakdowns, open operations. */
export function ReportView({ report }: { report: EndOfDayReport }) {
  const { id } = useIds();
  const range = `${fmtDateTime(report.from)} \u2013 ${fmtDateTime(report.to)}`;
  const tz = report.utcOffsetMinutes === report.endUtcOffsetMinutes ? offsetLabel(report.utcOffsetMinutes) : `${offsetLabel(report.utcOffsetMinutes)} \u2192 ${offsetLabel(report.endUtcOffsetMinutes)}`;
  return (
    <article className="eod-report" aria-label={`End-of-day report for ${report.date}`}>
      <header className="eod-report-head">
        <div>
          <div className="eod-report-title">
            End of day {report.date} &middot; {report.station}
          </div>
          <div className="muted small">
            {range} ({tz}) &middot; {report.operationCount} operation{report.operationCount === 1 ? '' : 's'} &middot; computed {fmtDateTime(report.generatedAt)}
          </div>
        </div>
      </header>

      {report.byCurrency.length === 0 ? (
        <section className="panel">
          <EmptyState title="No operations finished on this day.">Sales, captures, refunds and cash appear here once they succeed.</EmptyState>
        </section>
      ) : (
        <div className="eod-currencies">
          {report.byCurrency.map((t) => (
            <CurrencyPanel key={t.currency} totals={t} drawer={report.drawer.find((d) => d.currency === t.currency) ?? null} />
          ))}
        </div>
      )}

      {report.byCurrency.length > 0 ? (
        <div className="eod-breakdowns">
          <Breakdown name="eod-brand" title="By card brand" keyLabel="Brand" rows={report.byBrand} />
          <Breakdown name="eod-user" title="By user" keyLabel="User" rows={report.byUser} />
          <Breakdown name="eod-channel" title="By channel" keyLabel="Channel" rows={report.byChannel} />
        </div>
      ) : null}

      <OpenOperations report={report} />

      {report.repairs.length > 0 ? (
        <section className="panel eod-section" aria-labelledby={id('eod-repairs-h')}>
          <h2 id={id('eod-repairs-h')}>Corrected from the gateway ({report.repairs.length})</h2>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">When</th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {report.repairs.map((r) => (
                <tr key={`${r.paymentId}-${r.at}`}>
                  <td className="mono">{r.orderReference}</td>
                  <td className="nowrap">{fmtDateTime(r.at)}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </article>
  );
}

function CurrencyPanel({ totals: t, drawer }: { totals: CurrencyTotals; drawer: EndOfDayReport['drawer'][number] | null }) {
  const { id, tid } = useIds();
  const c = t.currency;
  const h = `eod-cur-${c}`;
  return (
    <section className="panel eod-currency" aria-labelledby={id(h)} data-testid={tid(`eod-currency-${c}`)}>
      <h2 id={id(h)}>{c}</h2>
      <div className="eod-currency-grid">
        <table className="table eod-table">
          <caption className="sr-only">Operations in {c}</caption>
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col" className="num">
                Count
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {OP_ROWS.map(([field, label]) => {
              const v = t[field] as Tally;
              return (
                <tr key={field} className={v.count === 0 ? 'eod-zero' : undefined} data-testid={tid(`eod-${c}-${field}`)}>
                  <th scope="row">{label}</th>
                  <td className="num">{v.count}</td>
                  <td className="num">{money(v, c)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="eod-keyfigs">
          <dl className="eod-figure eod-figure-main">
            <dt>Net taken</dt>
            <dd data-testid={tid(`eod-net-${c}`)}>{fmtMoney(t.net, c)}</dd>
          </dl>
          <dl className="eod-lines">
            <div>
              <dt>Taken: sales, captures, cash ({t.taken.count})</dt>
              <dd data-testid={tid(`eod-${c}-taken`)}>{money(t.taken, c)}</dd>
            </div>
            <div>
              <dt>Refunded ({t.refunded.count})</dt>
              <dd data-testid={tid(`eod-${c}-refunded`)}>{t.refunded.amount ? `\u2212${money(t.refunded, c)}` : money(t.refunded, c)}</dd>
            </div>
          </dl>
          {drawer ? (
            <div className="eod-drawer" role="group" aria-label={`Cash drawer ${c}`}>
              <dl className="eod-figure">
                <dt>Drawer should hold</dt>
                <dd data-testid={tid(`eod-drawer-${c}`)}>{fmtMoney(drawer.expected, c)}</dd>
              </dl>
              <dl className="eod-lines">
                <div>
                  <dt>Cash in ({drawer.cashIn.count})</dt>
                  <dd>{money(drawer.cashIn, c)}</dd>
                </div>
                <div>
                  <dt>Cash paid back ({drawer.cashOut.count})</dt>
                  <dd>{drawer.cashOut.amount ? `\u2212${money(drawer.cashOut, c)}` : money(drawer.cashOut, c)}</dd>
                </div>
              </dl>
              <div className="muted small">On top of the opening float.</div>
            </div>
          ) : (
            <div className="eod-drawer muted small">No cash in {c} on this day.</div>
          )}
        </div>
      </div>
    </section>
  );
}

function Breakdown({ name, title, keyLabel, rows }: { name: string; title: string; keyLabel: string; rows: BreakdownRow[] }) {
  const { id, tid } = useIds();
  return (
    <section className="panel eod-section" aria-labelledby={id(`${name}-h`)} data-testid={tid(name)}>
      <h2 id={id(`${name}-h`)}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">Nothing on this day.</p>
      ) : (
        <table className="table eod-table">
          <thead>
            <tr>
              <th scope="col">{keyLabel}</th>
              <th scope="col">Currency</th>
              <th scope="col" className="num">
                Operations
              </th>
              <th scope="col" className="num">
                Taken
              </th>
              <th scope="col" className="num">
                Refunded
              </th>
              <th scope="col" className="num">
                Net
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.key}-${r.currency}`} data-key={r.key} data-currency={r.currency}>
                <th scope="row" className="eod-key">
                  {r.label}
                </th>
                <td>{r.currency}</td>
                <td className="num">{r.operations}</td>
                <td className="num">
                  {fmtMoney(r.taken.amount, r.currency)} <span className="muted small">({r.taken.count})</span>
                </td>
                <td className="num">
                  {fmtMoney(r.refunded.amount, r.currency)} <span className="muted small">({r.refunded.count})</span>
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

function StateBadge({ state }: { state: string }) {
  const { label, tone } = operationState(state);
  return <span className={`badge badge-${tone}`}>{label}</span>;
}

function OpenOperations({ report }: { report: EndOfDayReport }) {
  const { id, tid } = useIds();
  return (
    <section className="panel eod-section" aria-labelledby={id('eod-open-h')} data-testid={tid('eod-open')}>
      <h2 id={id('eod-open-h')}>Not finished, any day ({report.open.length})</h2>
      {report.open.length === 0 ? (
        <p className="muted">No operation is unknown, queued or waiting for attention.</p>
      ) : (
        <table className="table eod-table">
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">State</th>
              <th scope="col">Order</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Made</th>
              <th scope="col">Age</th>
              <th scope="col">By</th>
              <th scope="col">Last message</th>
            </tr>
          </thead>
          <tbody>
            {report.open.map((o) => (
              <tr key={o.id} data-state={o.state}>
                <td>{operationType(o.type)}</td>
                <td>
                  <StateBadge state={o.state} />
                </td>
                <td className="mono">{o.orderReference}</td>
                <td className="num">{o.amount !== null ? fmtMoney(o.amount, o.currency) : '\u2014'}</td>
                <td className="nowrap">{fmtDateTime(o.createdAt)}</td>
                <td className="nowrap">{fmtAge(o.createdAt)}</td>
                <td>{o.userName ?? '\u2014'}</td>
                <td className="small">{o.message ?? '\u2014'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function signed(amount: number, currency: string): string {
  if (amount === 0) return fmtMoney(0, currency);
  return `${amount > 0 ? '+' : '\u2212'}${fmtMoney(Math.abs(amount), currency)}`;
}

/** The closed snapshot next to the fresh computation. */
function Comparison({ compare }: { compare: CompareResult }) {
  const { id, tid } = useIds();
  const s = compare.snapshot;
  const headline = compare.differences.filter((d) => d.section === 'operations' || d.section === 'drawer');
  const detail = compare.differences.filter((d) => d.section !== 'operations' && d.section !== 'drawer');
  return (
    <section className={`panel eod-compare ${compare.same ? '' : 'eod-compare-diff'}`} aria-labelledby={id('eod-compare-h')} data-testid={tid('eod-compare')}>
      <div className="panel-head">
        <h2 id={id('eod-compare-h')}>Closed day snapshot</h2>
        <span className="muted small">
          Closed by {s.closedBy} at {fmtDateTime(s.closedAt)} &middot; sha256 <span className="mono" title={s.hash}>{s.hash.slice(0, 16)}&hellip;</span>
        </span>
      </div>
      {!s.intact ? (
        <Alert tone="danger" title="The stored snapshot does not match its hash.">
          It was altered after the day was closed. Tell an administrator.
        </Alert>
      ) : null}
      {compare.same ? (
        <Alert tone="success">The figures today match the snapshot taken when the day was closed.</Alert>
      ) : (
        <>
          <Alert tone="warning" title="The figures changed since the day was closed.">
            Operations finished or were resolved after the close. The snapshot is kept as it was; the figures below are computed now.
          </Alert>
          {headline.length > 0 ? <DiffTable rows={headline} testId={tid('eod-differences')} caption="Differences in the totals and the drawer" /> : null}
          {detail.length > 0 ? (
            <details className="eod-more">
              <summary>Differences by brand, user and channel ({detail.length})</summary>
              <DiffTable rows={detail} caption="Differences in the breakdowns" />
            </details>
          ) : null}
          {compare.resolvedSinceClose.length > 0 ? (
            <>
              <h3 className="eod-subhead">Open at the close, changed since</h3>
              <table className="table eod-table" data-testid={tid('eod-resolved')}>
                <thead>
                  <tr>
                    <th scope="col">Operation</th>
                    <th scope="col">Order</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">At close</th>
                    <th scope="col">Now</th>
                    <th scope="col">Finished</th>
                  </tr>
                </thead>
                <tbody>
                  {compare.resolvedSinceClose.map((o) => (
                    <tr key={o.id}>
                      <td>{operationType(o.type)}</td>
                      <td className="mono">{o.orderReference}</td>
                      <td className="num">{o.amount !== null ? fmtMoney(o.amount, o.currency) : '\u2014'}</td>
                      <td>
                        <StateBadge state={o.stateAtClose} />
                      </td>
                      <td>
                        <StateBadge state={o.stateNow} />
                      </td>
                      <td className="nowrap">{o.finishedAt ? `${fmtDateTime(o.finishedAt)} (counted on that day)` : '\u2014'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

function DiffTable({ rows, testId, caption }: { rows: CompareResult['differences']; testId?: string | undefined; caption: string }) {
  return (
    <table className="table eod-table" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Section</th>
          <th scope="col">Figure</th>
          <th scope="col">Currency</th>
          <th scope="col" className="num">
            At close
          </th>
          <th scope="col" className="num">
            Now
          </th>
          <th scope="col" className="num">
            Difference
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={`${d.section}|${d.key}|${d.currency}`}>
            <td>{SECTION[d.section] ?? d.section}</td>
            <th scope="row" className="eod-key">
              {KEY[d.key] ?? d.key}
            </th>
            <td>{d.currency}</td>
            <td className="num">
              {fmtMoney(d.closed.amount, d.currency)} <span className="muted small">({d.closed.count})</span>
            </td>
            <td className="num">
              {fmtMoney(d.now.amount, d.currency)} <span className="muted small">({d.now.count})</span>
            </td>
            <td className="num eod-strong">{signed(d.now.amount - d.closed.amount, d.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClosedDays({ days, onOpen, current }: { days: DaySnapshotSummary[]; onOpen: (date: string) => void; current: string }) {
  return (
    <section className="panel eod-section eod-closed-days" aria-labelledby="eod-closed-h">
      <h2 id="eod-closed-h">Closed days</h2>
      <table className="table eod-table">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Closed</th>
            <th scope="col">By</th>
            <th scope="col" className="num">
              Net at close
            </th>
            <th scope="col">Seal</th>
          </tr>
        </thead>
        <tbody>
          {days.slice(0, 14).map((d) => (
            <tr key={d.date} className={d.date === current ? 'eod-current' : undefined}>
              <th scope="row">
                <button type="button" className="link" onClick={() => onOpen(d.date)} aria-label={`Open the report of ${d.date}`}>
                  {d.date}
                </button>
              </th>
              <td className="nowrap">{fmtDateTime(d.closedAt)}</td>
              <td>{d.closedBy}</td>
              <td className="num">{d.totals.length ? d.totals.map((t) => fmtMoney(t.net, t.currency)).join(' \u00b7 ') : '\u2014'}</td>
              <td>
                {d.intact ? (
                  <span className="mono small" title={d.hash}>
                    {d.hash.slice(0, 10)}&hellip;
                  </span>
                ) : (
                  <span className="badge badge-danger">Altered</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
