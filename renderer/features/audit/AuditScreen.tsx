import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { roleAtLeast } from '../../../shared/domain/roles';
import { call, subscribe } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useHotkeys } from '../../lib/keys';
import { useAction, useDebounced } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useSession } from '../session/session-store';
import { displayRows, isFiltered, NO_FILTER, type AuditFilter, type AuditVerdict } from './audit-data';
import { AuditEntriesTable, AuditFoot } from './AuditEntriesTable';
import { AuditFilters } from './AuditFilters';
import { VerdictBadge, VerdictPanel } from './AuditVerdict';
import { useAuditExport } from './use-audit-export';
import { useAuditLog } from './use-audit-log';
import { useRevealEntry } from './use-reveal-entry';
import './audit.css';

type User = OutputOf<'session.users'>[number];

/**
 * The audit log (supervisors and admins): newest first, filters, "Load older", CSV export of the
 * filtered entries, and "Verify the log", which points at the first altered or missing entry.
 * Entries never hold PINs or card data (the core does not record them).
 */
export function AuditScreen() {
  const { t } = useTranslation('audit');
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const allowed = roleAtLeast(role, 'supervisor');
  if (!allowed) {
    return (
      <div className="audit-screen">
        <header className="screen-head">
          <h1 id="audit-title" tabIndex={-1}>
            {t('title')}
          </h1>
        </header>
        <Alert tone="info">{t('onlySupervisors')}</Alert>
      </div>
    );
  }
  return <AuditLog />;
}

/** The screen for a supervisor or admin: filters, verdict, entries, export. */
function AuditLog() {
  const { t } = useTranslation('audit');
  const station = useSession((s) => s.status?.station ?? 'station');
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [textDraft, setTextDraft] = useState('');
  const debouncedText = useDebounced(textDraft, 200);
  const [users, setUsers] = useState<User[]>([]);
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { entries, hasMore, loading, error, load, older, downTo } = useAuditLog();
  /** Scrolls to and focuses an entry once it is on screen. */
  const setReveal = useRevealEntry(entries);

  useEffect(() => {
    setFilter((f) => (f.text === debouncedText ? f : { ...f, text: debouncedText }));
  }, [debouncedText]);

  useEffect(() => {
    call('session.users', {}).then(setUsers, () => setUsers([]));
  }, []);

  useEffect(() => {
    void load(filter);
  }, [filter, load]);

  // In a shop, read the entries again when other desks' records land here (an action of theirs
  // may be answered by an entry at this desk), as far down as is loaded: nothing scrolled to is dropped.
  const oldest = useRef<number | null>(null);
  oldest.current = entries && entries.length > 0 ? entries[entries.length - 1]!.seq : null;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribe('shop.changed', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (oldest.current !== null) downTo(oldest.current);
        void load(filter);
      }, 400);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [filter, load, downTo]);

  const clearFilters = useCallback(() => {
    setTextDraft('');
    setFilter(NO_FILTER);
  }, []);

  /** Shows entry `seq`: clears the filters if they would hide it, loads down to it, scrolls to it. */
  const pointAt = useCallback(
    (seq: number) => {
      downTo(seq);
      setReveal(seq);
      if (isFiltered(filter)) {
        clearFilters();
        setNotice(t('verify.filtersCleared', { seq }));
      } else {
        void load(filter);
      }
    },
    [filter, load, downTo, clearFilters, setReveal, t],
  );

  const verify = useAction(async () => {
    setNotice(null);
    const v = await call('audit.verify', {});
    setVerdict(v);
    if (v.ok || v.firstBadSeq === null) void load(filter);
    else pointAt(v.firstBadSeq);
  });

  const exportCsv = useAuditExport(filter, station, setNotice);
  const runExport = () => {
    setNotice(null);
    void exportCsv.run();
  };

  useHotkeys({ 'Alt+V': () => void verify.run(), 'Alt+X': runExport }, true);

  const bad = verdict && !verdict.ok ? verdict.firstBadSeq : null;
  const rows = useMemo(() => displayRows(entries ?? [], isFiltered(filter) ? null : bad), [entries, filter, bad]);
  const userNames = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const filtered = isFiltered(filter);

  return (
    <div className="audit-screen">
      <header className="screen-head">
        <h1 id="audit-title" tabIndex={-1}>
          {t('title')}
        </h1>
        {verdict ? <VerdictBadge verdict={verdict} /> : null}
        <span className="grow" />
        <Button onClick={runExport} busy={exportCsv.busy} busyText={t('export.busy')} shortcut="Alt+X" disabled={!entries}>
          {t('export.button')}
        </Button>
        <Button variant="primary" onClick={() => void verify.run()} busy={verify.busy} busyText={t('verify.busy')} shortcut="Alt+V">
          {t('verify.button')}
        </Button>
      </header>

      <AuditFilters
        filter={filter}
        onFilter={setFilter}
        text={textDraft}
        onText={setTextDraft}
        users={users}
        filtered={filtered}
        onClear={() => {
          clearFilters();
          document.getElementById('audit-text')?.focus();
        }}
      />

      {verdict ? <VerdictPanel verdict={verdict} onShow={pointAt} /> : null}
      {verify.error ? <Alert tone="danger">{describeError(verify.error)}</Alert> : null}
      {exportCsv.error ? <Alert tone="danger">{describeError(exportCsv.error)}</Alert> : null}
      {older.error ? <Alert tone="danger">{describeError(older.error)}</Alert> : null}
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <div className="sr-only" role="status" aria-live="polite">
        {notice ?? ''}
      </div>
      {notice ? <p className="muted small audit-notice">{notice}</p> : null}

      {!entries && loading ? <Spinner label={t('loading')} /> : null}
      {entries ? (
        <div className="panel audit-table-panel" aria-busy={loading || undefined}>
          {entries.length === 0 ? (
            <EmptyState title={filtered ? t('empty.filteredTitle') : t('empty.title')}>{filtered ? t('empty.filteredBody') : null}</EmptyState>
          ) : (
            <AuditEntriesTable rows={rows} bad={bad} problem={verdict?.problem ?? null} userNames={userNames} />
          )}
          {entries.length > 0 ? <AuditFoot shown={entries.length} filtered={filtered} hasMore={hasMore} busy={older.busy} onOlder={() => void older.run(filter)} /> : null}
        </div>
      ) : null}
    </div>
  );
}
