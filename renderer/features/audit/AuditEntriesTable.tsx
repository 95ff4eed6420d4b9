import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtDate, fmtNumber, fmtTimeOfDay } from '../../lib/format';
import { Button } from '../../ui/Button';
import { actionLabel, detailText, outcomeLabel, type AuditEntry, type DisplayRow } from './audit-data';

const CROSS = '\u2715';
const CHECK = '\u2713';
const NONE = '\u2014';

export const rowId = (seq: number) => `audit-row-${seq}`;

function When({ iso }: { iso: string }) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={iso}>
      <span className="audit-time">{fmtTimeOfDay(d)}</span>
      <span className="muted small">{fmtDate(d)}</span>
    </time>
  );
}

// Arrow keys move between rows (one row is in the tab order); ↑ on the first row goes back to the search.
function onTableKey(e: KeyboardEvent<HTMLTableSectionElement>) {
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
}

interface Props {
  rows: DisplayRow[];
  /** The entry the verdict points at (altered or missing), if any. */
  bad: number | null;
  problem: string | null;
  userNames: ReadonlyMap<string, string>;
}

/** The entries, newest first, keyboard-browsable; the altered or missing one marked. */
export function AuditEntriesTable({ rows, bad, problem, userNames }: Props) {
  const { t } = useTranslation('audit');
  const firstFocusable = rows.find((r) => r.kind === 'entry' || r.seq === bad);
  return (
    <table className="table audit-table" id="audit-entries">
      <caption className="sr-only">{t('table.caption')}</caption>
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
            {t('table.col.seq')}
          </th>
          <th scope="col">{t('table.col.time')}</th>
          <th scope="col">{t('table.col.who')}</th>
          <th scope="col">{t('table.col.action')}</th>
          <th scope="col">{t('table.col.target')}</th>
          <th scope="col">{t('table.col.outcome')}</th>
          <th scope="col">{t('table.col.station')}</th>
          <th scope="col">{t('table.col.detail')}</th>
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
                    <span aria-hidden="true">{CROSS} </span>
                    {problem ?? t('table.missing', { seq: r.seq })}
                  </span>
                </td>
              </tr>
            );
          }
          return <EntryRow key={r.entry.seq} e={r.entry} tabIndex={tabIndex} isBad={r.entry.seq === bad} problem={problem} userNames={userNames} />;
        })}
      </tbody>
    </table>
  );
}

function EntryRow({ e, tabIndex, isBad, problem, userNames }: { e: AuditEntry; tabIndex: number; isBad: boolean; problem: string | null; userNames: ReadonlyMap<string, string> }) {
  const targetName = e.target ? userNames.get(e.target) : undefined;
  return (
    <tr id={rowId(e.seq)} data-seq={e.seq} tabIndex={tabIndex} className={isBad ? 'audit-row-bad' : undefined} aria-describedby={isBad ? 'audit-bad-note' : undefined}>
      <td className="num mono">{e.seq}</td>
      <td>
        <When iso={e.at} />
      </td>
      <td className="audit-wrap">{e.userName ? <bdi>{e.userName}</bdi> : <span className="muted">{NONE}</span>}</td>
      <td>
        <div>{actionLabel(e.action)}</div>
        <div className="muted mono audit-code">
          <bdi>{e.action}</bdi>
        </div>
      </td>
      <td className="audit-wrap" title={e.target ?? undefined}>
        {e.target === null ? (
          <span className="muted">{NONE}</span>
        ) : targetName ? (
          <bdi>{targetName}</bdi>
        ) : (
          <span className="mono">
            <bdi>{e.target}</bdi>
          </span>
        )}
      </td>
      <td>
        <span className={`badge ${e.outcome === 'success' ? 'badge-success' : 'badge-danger'}`} data-outcome={e.outcome}>
          <span aria-hidden="true" className="badge-glyph">
            {e.outcome === 'success' ? CHECK : CROSS}
          </span>
          {outcomeLabel(e.outcome)}
        </span>
      </td>
      <td className="audit-wrap">
        <bdi>{e.station}</bdi>
      </td>
      <td className="audit-wrap" dir="auto">
        {e.detail ? detailText(e.detail) : <span className="muted">{NONE}</span>}
        {isBad ? (
          <div className="audit-flag" id="audit-bad-note">
            <span aria-hidden="true">{CROSS} </span>
            {problem}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

/** Under the table: how many are shown, and "Load older" or where the log starts. */
export function AuditFoot({ shown, filtered, hasMore, busy, onOlder }: { shown: number; filtered: boolean; hasMore: boolean; busy: boolean; onOlder: () => void }) {
  const { t } = useTranslation('audit');
  const values = { count: shown, n: fmtNumber(shown) };
  return (
    <div className="audit-foot">
      <span className="muted small">{filtered ? t('foot.shownFiltered', values) : t('foot.shown', values)}</span>
      {hasMore ? (
        <Button size="sm" onClick={onOlder} busy={busy} busyText={t('foot.loading')}>
          {t('foot.loadOlder')}
        </Button>
      ) : (
        <span className="muted small">{filtered ? t('foot.noOlderMatching') : t('foot.start')}</span>
      )}
    </div>
  );
}
