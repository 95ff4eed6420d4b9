import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { roleAtLeast } from '../../../shared/domain/roles';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useHotkeys } from '../../lib/keys';
import { useAction, useDebounced } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { downloadText } from '../reports/report-data';
import { useSession } from '../session/session-store';
import {
  ACTION_GROUPS, actionLabel, auditCsv, csvFileName, detailText, displayRows, isFiltered, listInput, NO_FILTER, outcomeLabel,
  type AuditEntry, type AuditFilter, type AuditVerdict,
} from './audit-data';
import './audit.css';

const PAGE = 100;
const EXPORT_PAGE = 1000;
const EXPORT_MAX = 200_000;

type User = OutputOf<'session.users'>[number];

const timeFmt = () => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateFmt = () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function When({ iso }: { iso: string }) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={iso}>
      <span className="audit-time">{timeFmt().format(d)}</span>
      <span className="muted small">{dateFmt().format(d)}</span>
    </time>
  );
}

const rowId = (seq: number) => `audit-row-${seq}`;

/**
 * The audit log (supervisors and admins): newest first, filters, "Load older", CSV export of the
 * filtered entries, and "Verify the log", which points at the first altered or missing entry.
 * Entries never hold PINs or card data (the core does not record them).
 */
export function AuditScreen() {
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const station = useSession((s) => s.status?.station ?? 'station');
  const allowed = roleAtLeast(role, 'supervisor');

  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [textDraft, setTextDraft] = useState('');
  const debouncedText = useDebounced(textDraft, 200);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The entry to scroll to and focus once it is on screen. */
  const [reveal, setReveal] = useState<number | null>(null);
  /** Read by the next load: keep loading older pages until this seq is in. */
  const loadDownTo = useRef<number | null>(null);
  const request = useRef(0);

  useEffect(() => {
    setFilter((f) => (f.text === debouncedText ? f : { ...f, text: debouncedText }));
  }, [debouncedText]);

  useEffect(() => {
    if (!allowed) return;
    call('session.users', {}).then(setUsers, () => setUsers([]));
  }, [allowed]);

  const load = useCallback(async (f: AuditFilter) => {
    const id = ++request.current;
    const downTo = loadDownTo.current;
    loadDownTo.current = null;
    setLoading(true);
    try {
      let rows = await call('audit.list', listInput(f, PAGE));
      let more = rows.length === PAGE;
      while (downTo !== null && more && rows[rows.length - 1]!.seq > downTo && rows.length < EXPORT_MAX) {
        const next = await call('audit.list', listInput(f, EXPORT_PAGE, rows[rows.length - 1]!.seq));
        rows = rows.concat(next);
        more = next.length === EXPORT_PAGE;
      }
      if (id !== request.current) return;
      setEntries(rows);
      setHasMore(more);
      setError(null);
    } catch (e) {
      if (id === request.current) setError(describeError(e));
    } finally {
      if (id === request.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (allowed) void load(filter);
  }, [allowed, filter, load]);

  const older = useAction(async () => {
    const last = entries?.[entries.length - 1];
    if (!last) return;
    const id = request.current;
    const next = await call('audit.list', listInput(filter, PAGE, last.seq));
    if (id !== request.current) return;
    setEntries((prev) => (prev ? prev.concat(next.filter((e) => e.seq < last.seq)) : next));
    setHasMore(next.length === PAGE);
  });

  /** Shows entry `seq`: clears the filters if they would hide it, loads down to it, scrolls to it. */
  const pointAt = useCallback(
    (seq: number) => {
      loadDownTo.current = seq;
      setReveal(seq);
      if (isFiltered(filter)) {
        setTextDraft('');
        setFilter(NO_FILTER);
        setNotice(`Filters cleared to show entry ${seq}.`);
      } else {
        void load(filter);
      }
    },
    [filter, load],
  );

  const verify = useAction(async () => {
    setNotice(null);
    const v = await call('audit.verify', {});
    setVerdict(v);
    if (v.ok || v.firstBadSeq === null) void load(filter);
    else pointAt(v.firstBadSeq);
  });

  const exportCsv = useAction(async () => {
    setNotice(null);
    const all: AuditEntry[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await call('audit.list', listInput(filter, EXPORT_PAGE, before));
      all.push(...page);
      if (page.length < EXPORT_PAGE || all.length >= EXPORT_MAX) break;
      before = page[page.length - 1]!.seq;
    }
    downloadText(auditCsv(all), csvFileName(station, new Date(), isFiltered(filter)));
    setNotice(`Exported ${all.length} ${all.length === 1 ? 'entry' : 'entries'}${isFiltered(filter) ? ' matching the filters' : ''}.`);
  });

  useHotkeys({ 'Alt+V': () => void verify.run(), 'Alt+X': () => void exportCsv.run() }, allowed);

  // Once the pointed-at entry (or the marker of a missing one) is on screen: scroll to it and focus it.
  useEffect(() => {
    if (reveal === null || !entries) return;
    const el = document.getElementById(rowId(reveal));
    if (!el) return;
    // Keep the verdict in sight with the entry when both fit on screen; otherwise centre the entry.
    document.querySelector('.audit-verdict')?.scrollIntoView({ block: 'start' });
    const box = el.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
    setReveal(null);
  }, [entries, reveal]);

  const bad = verdict && !verdict.ok ? verdict.firstBadSeq : null;
  const rows = useMemo(() => displayRows(entries ?? [], isFiltered(filter) ? null : bad), [entries, filter, bad]);
  const userNames = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);

  // Arrow keys move between rows (one row is in the tab order); ↑ on the first row goes back to the search.
  const onTableKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = (e.target as HTMLElement).closest('tr');
    if (!row) return;
    const all = Array.from(e.currentTarget.querySelectorAll<HTMLTableRowElement>('tr[data-seq]'));
    const i = all.indexOf(row);
    const go = (j: number) => {
      const target = all[Math.max(0, Math.min(all.length - 1, j))];
      if (target) {
        e.preventDefault();
        target.focus();
      }
    };
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') {
      if (i <= 0) {
        e.preventDefault();
        document.getElementById('audit-text')?.focus();
      } else go(i - 1);
    } else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'PageDown') go(i + 10);
    else if (e.key === 'PageUp') go(i - 10);
  };

  if (!allowed) {
    return (
      <div className="audit-screen">
        <header className="screen-head">
          <h1 id="audit-title" tabIndex={-1}>
            Audit log
          </h1>
        </header>
        <Alert tone="info">Only supervisors and admins can read the audit log.</Alert>
      </div>
    );
  }

  const filtered = isFiltered(filter);
  const firstFocusable = rows.find((r) => r.kind === 'entry' || r.seq === bad);

  return (
    <div className="audit-screen">
      <header className="screen-head">
        <h1 id="audit-title" tabIndex={-1}>
          Audit log
        </h1>
        {verdict ? (
          verdict.ok ? (
            <span className="badge badge-success" data-testid="audit-state">
              <span aria-hidden="true" className="badge-glyph">
                {'\u2713'}
              </span>
              Intact
            </span>
          ) : (
            <span className="badge badge-danger" data-testid="audit-state">
              <span aria-hidden="true" className="badge-glyph">
                {'\u2715'}
              </span>
              Altered
            </span>
          )
        ) : null}
        <span className="grow" />
        <Button onClick={() => void exportCsv.run()} busy={exportCsv.busy} busyText="Exporting…" shortcut="Alt+X" disabled={!entries}>
          Export CSV
        </Button>
        <Button variant="primary" onClick={() => void verify.run()} busy={verify.busy} busyText="Checking every entry…" shortcut="Alt+V">
          Verify the log
        </Button>
      </header>

      <div className="panel audit-filters" role="search" aria-label="Filter the audit log">
        <div className="field audit-filter-text">
          <label className="field-label" htmlFor="audit-text">
            Search
          </label>
          <input
            id="audit-text"
            dir="auto"
            className="input"
            type="search"
            placeholder="Name, reference, detail…"
            value={textDraft}
            onChange={(e) => setTextDraft(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                const first = document.querySelector<HTMLElement>('#audit-entries tbody tr[data-seq]');
                if (first) {
                  e.preventDefault();
                  first.focus();
                }
              }
            }}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-action">
            Action
          </label>
          <select id="audit-action" className="input" value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.target.value })}>
            <option value="">Any action</option>
            {ACTION_GROUPS.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.actions.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-user">
            User
          </label>
          <select id="audit-user" className="input" value={filter.userId} onChange={(e) => setFilter({ ...filter, userId: e.target.value })}>
            <option value="">Anyone</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
            <option value="system">The system (background work)</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-outcome">
            Outcome
          </label>
          <select id="audit-outcome" className="input" value={filter.outcome} onChange={(e) => setFilter({ ...filter, outcome: e.target.value as AuditFilter['outcome'] })}>
            <option value="">Any outcome</option>
            <option value="success">{'\u2713'} Succeeded</option>
            <option value="failure">{'\u2715'} Failed</option>
          </select>
        </div>
        {filtered ? (
          <Button
            size="sm"
            variant="ghost"
            className="audit-clear"
            onClick={() => {
              setTextDraft('');
              setFilter(NO_FILTER);
              document.getElementById('audit-text')?.focus();
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </div>

      {verdict ? (
        verdict.ok ? (
          <Alert tone="success" title={`Intact: ${verdict.checked} ${verdict.checked === 1 ? 'entry' : 'entries'} checked`} className="audit-verdict">
            Every entry still matches its hash and follows the one before it. Removing the newest entries cannot be detected from here: compare with
            a recent export if in doubt.
          </Alert>
        ) : (
          <Alert tone="danger" title="The audit log was changed after it was written" className="audit-verdict">
            <p data-testid="audit-problem">{verdict.problem}</p>
            <p className="muted small">
              {verdict.checked} {verdict.checked === 1 ? 'entry' : 'entries'} before it checked out. Leave this station as it is and tell an
              administrator; an earlier CSV export shows what the entry said then.
            </p>
            {verdict.firstBadSeq !== null ? (
              <Button size="sm" onClick={() => pointAt(verdict.firstBadSeq!)}>
                Show entry {verdict.firstBadSeq}
              </Button>
            ) : null}
          </Alert>
        )
      ) : null}
      {verify.error ? <Alert tone="danger">{describeError(verify.error)}</Alert> : null}
      {exportCsv.error ? <Alert tone="danger">{describeError(exportCsv.error)}</Alert> : null}
      {older.error ? <Alert tone="danger">{describeError(older.error)}</Alert> : null}
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <div className="sr-only" role="status" aria-live="polite">
        {notice ?? ''}
      </div>
      {notice ? <p className="muted small audit-notice">{notice}</p> : null}

      {!entries && loading ? <Spinner label="Loading the audit log…" /> : null}
      {entries ? (
        <div className="panel audit-table-panel" aria-busy={loading || undefined}>
          {entries.length === 0 ? (
            <EmptyState title={filtered ? 'No entries match.' : 'The audit log is empty.'}>{filtered ? 'Change or clear the filters.' : null}</EmptyState>
          ) : (
            <table className="table audit-table" id="audit-entries">
              <caption className="sr-only">Audit entries, newest first. Use the arrow keys to move between entries.</caption>
              <colgroup>
                <col className="audit-col-seq" />
                <col className="audit-col-time" />
                <col className="audit-col-who" />
                <col className="audit-col-action" />
                <col className="audit-col-target" />
                <col className="audit-col-outcome" />
                <col className="audit-col-station" />
                <col />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    No.
                  </th>
                  <th scope="col">Time</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Station</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody onKeyDown={onTableKey}>
                {rows.map((r) => {
                  const tabIndex = r === firstFocusable ? 0 : -1;
                  if (r.kind === 'missing') {
                    return (
                      <tr key={`missing-${r.seq}`} id={rowId(r.seq)} data-seq={r.seq} tabIndex={tabIndex} className="audit-row-bad audit-row-missing">
                        <td className="num mono">{r.seq}</td>
                        <td colSpan={7}>
                          <span className="audit-flag">
                            <span aria-hidden="true">{'\u2715'} </span>
                            {verdict?.problem ?? `Entry ${r.seq} is missing`}
                          </span>
                        </td>
                      </tr>
                    );
                  }
                  const e = r.entry;
                  const isBad = e.seq === bad;
                  const targetName = e.target ? userNames.get(e.target) : undefined;
                  return (
                    <tr
                      key={e.seq}
                      id={rowId(e.seq)}
                      data-seq={e.seq}
                      tabIndex={tabIndex}
                      className={isBad ? 'audit-row-bad' : undefined}
                      aria-describedby={isBad ? 'audit-bad-note' : undefined}
                    >
                      <td className="num mono">{e.seq}</td>
                      <td>
                        <When iso={e.at} />
                      </td>
                      <td className="audit-wrap">{e.userName ?? <span className="muted">{'\u2014'}</span>}</td>
                      <td>
                        <div>{actionLabel(e.action)}</div>
                        <div className="muted mono audit-code">{e.action}</div>
                      </td>
                      <td className="audit-wrap" title={e.target ?? undefined}>
                        {e.target === null ? <span className="muted">{'\u2014'}</span> : targetName ? targetName : <span className="mono">{e.target}</span>}
                      </td>
                      <td>
                        <span className={`badge ${e.outcome === 'success' ? 'badge-success' : 'badge-danger'}`} data-outcome={e.outcome}>
                          <span aria-hidden="true" className="badge-glyph">
                            {e.outcome === 'success' ? '\u2713' : '\u2715'}
                          </span>
                          {outcomeLabel(e.outcome)}
                        </span>
                      </td>
                      <td className="audit-wrap">{e.station}</td>
                      <td className="audit-wrap">
                        {e.detail ? detailText(e.detail) : <span className="muted">{'\u2014'}</span>}
                        {isBad ? (
                          <div className="audit-flag" id="audit-bad-note">
                            <span aria-hidden="true">{'\u2715'} </span>
                            {verdict?.problem}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {entries.length > 0 ? (
            <div className="audit-foot">
              <span className="muted small">
                {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown{filtered ? ' (filtered)' : ''}, newest first
              </span>
              {hasMore ? (
                <Button size="sm" onClick={() => void older.run()} busy={older.busy} busyText="Loading…">
                  Load older
                </Button>
              ) : (
                <span className="muted small">{filtered ? 'No older matching entries' : 'Start of the log'}</span>
              )}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
