import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { roleAtLeast } from '../../../shared/domain/roles';
import { useNav } from '../../app/nav-store';
import { call, subscribe } from '../../lib/api';
import { coreSentence } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { fmtAge, fmtMoney, fmtNumber, fmtWhen } from '../../lib/format';
import { operationType } from '../../lib/operation-labels';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useSession } from '../session/session-store';
import { useQueue, type Entry, type Section } from './queue-store';
import { useCoreNow, useSync } from './sync-store';
import './queue.css';

type OpEntry = Extract<Entry, { kind: 'operation' }>;
type RecurringEntry = Extract<Entry, { kind: 'recurring' }>;
type BulkEntry = Extract<Entry, { kind: 'bulk' }>;

/** First guess of a row's height; each row is measured once it is drawn (reasons wrap). */
const ESTIMATE = 64;
/** Ask for the next page this many rows before the last loaded one is reached. */
const PREFETCH_ROWS = 60;

const SECTIONS: Section[] = ['attention', 'queued'];
/** Symbols beside the words, so a state never depends on colour alone (not words: not translated). */
const GLYPH = { online: '●', offline: '○', recurring: '↻' } as const;

/**
 * The offline queue (docs/offline.md): what needs a person (operations held for attention and
 * recurring charges that failed) and what waits to be sent. Each section is paged with a keyset
 * cursor and virtualised, so 10,000 rows stay browsable; the counts are the core's, exact.
 */
export function QueueScreen() {
  const section = useQueue((s) => s.section);
  const rows = useQueue((s) => s.rows);
  const counts = useQueue((s) => s.counts);
  const loading = useQueue((s) => s.loading);
  const error = useQueue((s) => s.error);
  const stale = useQueue((s) => s.stale);
  const nextCursor = useQueue((s) => s.nextCursor);
  const { open, setSection, reload, loadMore, applyCounts } = useQueue.getState();
  const status = useSync((s) => s.status);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const canResolve = roleAtLeast(role, 'supervisor');
  const openPayment = useNav((s) => s.openPayment);
  const openRecurring = useNav((s) => s.openRecurring);
  const now = useCoreNow();
  const [dismiss, setDismiss] = useState<OpEntry | null>(null);
  const [dismissBulk, setDismissBulk] = useState<BulkEntry | null>(null);
  const { t } = useTranslation('queue');
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void open();
    // Coalesced by the core; a burst of forwarding re-reads the list at most every 400 ms here.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribe('sync.changed', (st) => {
      applyCounts(st);
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          void reload(true);
        }, 400);
      }
    });
    // In a shop, other desks' records change what is listed here (a payment settled there, a schedule's period).
    const offShop = subscribe('shop.changed', () => {
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          void reload(true);
        }, 400);
      }
    });
    return () => {
      off();
      offShop();
      if (timer) clearTimeout(timer);
    };
  }, [open, reload, applyCounts]);

  const resolve = useAction(async (op: OpEntry, action: 'retry' | 'dismiss') => {
    await call('sync.resolve', { operationId: op.id, action });
    setDismiss(null);
    await reload(true);
  });

  const resolveBulk = useAction(async (row: BulkEntry) => {
    await call('bulk.dismissRow', { runId: row.runId, seq: row.seq });
    setDismissBulk(null);
    await reload(true);
  });

  const getItemKey = useCallback((i: number) => useQueue.getState().rows[i]?.id ?? i, []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATE,
    overscan: 8,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (nextCursor && !loading && lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loading, loadMore]);

  const choose = (s: Section) => {
    if (s === section) return;
    scrollRef.current?.scrollTo({ top: 0 });
    void setSection(s);
  };
  const onTabKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const next = section === 'attention' ? 'queued' : 'attention';
    choose(next);
    document.getElementById(`queue-tab-${next}`)?.focus();
  };

  const onOpenPayment = useCallback((id: string) => openPayment(id), [openPayment]);
  const onOpenSchedule = useCallback((id: string) => openRecurring(id), [openRecurring]);
  const onRetry = useCallback((op: OpEntry) => void resolve.run(op, 'retry'), [resolve]);
  const count = (s: Section) => (counts ? (s === 'attention' ? counts.attention : counts.queued) : null);
  const total = section ? (count(section) ?? rows.length) : 0;
  const attentionView = section === 'attention';

  return (
    <div className="queue-screen">
      <header className="screen-head">
        <h1 id="queue-title" tabIndex={-1}>
          {t('title')}
        </h1>
        {status ? (
          <span className={`badge ${status.online ? 'badge-success' : 'badge-queued'}`}>
            <span aria-hidden="true" className="badge-glyph">{status.online ? GLYPH.online : GLYPH.offline}</span>
            {status.online ? t('online') : t('offline')}
          </span>
        ) : null}
        {status?.forwarding ? <span className="muted small">{t('sending')}</span> : null}
      </header>
      <div className="queue-tabs" role="tablist" aria-label={t('sections')} onKeyDown={onTabKey}>
        {SECTIONS.map((id) => {
          const n = count(id);
          return (
            <button
              key={id}
              id={`queue-tab-${id}`}
              type="button"
              role="tab"
              aria-selected={section === id}
              aria-controls="queue-panel"
              tabIndex={section === id || (section === null && id === 'attention') ? 0 : -1}
              className={`queue-tab ${section === id ? 'selected' : ''} ${id === 'attention' && n ? 'has-attention' : ''}`}
              onClick={() => choose(id)}
            >
              {t('tab', { label: t(`section.${id}`), n: n === null ? '…' : fmtNumber(n) })}
            </button>
          );
        })}
      </div>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {resolve.error ? <Alert tone="danger">{describeError(resolve.error)}</Alert> : null}
      {resolveBulk.error ? <Alert tone="danger">{describeError(resolveBulk.error)}</Alert> : null}
      {stale ? (
        <Alert tone="info" className="queue-stale">
          {t('changed')}{' '}
          <button type="button" className="link" onClick={() => { scrollRef.current?.scrollTo({ top: 0 }); void reload(); }}>
            {t('showLatest')}
          </button>
        </Alert>
      ) : null}
      <div
        id="queue-panel"
        className={`tx-table queue-table ${attentionView ? 'queue-attention' : 'queue-waiting'}`}
        role="tabpanel"
        aria-labelledby={section ? `queue-tab-${section}` : undefined}
      >
        <div role="table" aria-label={attentionView ? t('section.attention') : t('section.queued')} aria-rowcount={total + 1} className="queue-grid">
          <div className="queue-row queue-head" role="row" aria-rowindex={1}>
            <span role="columnheader">{t('col.what')}</span>
            <span role="columnheader">{t('col.order')}</span>
            <span role="columnheader" className="num">{t('col.amount')}</span>
            <span role="columnheader">{t('col.waiting')}</span>
            <span role="columnheader">{attentionView ? t('col.reasonNext') : t('col.reason')}</span>
            {attentionView ? <span role="columnheader"><span className="sr-only">{t('col.actions')}</span></span> : null}
          </div>
          <div id="queue-list" ref={scrollRef} className="tx-scroll" role="rowgroup" tabIndex={0} aria-label={t('rows')} data-loaded={rows.length} data-section={section ?? ''}>
            {/* A rowgroup holds rows only (axe aria-required-children): the loading and empty notes are one row. */}
            {!section || (loading && rows.length === 0) ? (
              <div className="queue-loading" role="row">
                <div role="cell">
                  <Spinner label={t('loading')} />
                </div>
              </div>
            ) : null}
            {section && !loading && rows.length === 0 && !error ? (
              <div role="row">
                <div role="cell">
                  {attentionView ? (
                    <EmptyState title={t('emptyAttention.title')}>{t('emptyAttention.body')}</EmptyState>
                  ) : (
                    <EmptyState title={t('emptyQueued.title')}>{t('emptyQueued.body')}</EmptyState>
                  )}
                </div>
              </div>
            ) : null}
            <div style={{ height: virtualizer.getTotalSize() }} className="tx-space">
              {items.map((v) => {
                const e = rows[v.index];
                if (!e) return null;
                if (e.kind === 'bulk') {
                  return <BulkRow key={v.key} e={e} index={v.index} top={v.start} measure={virtualizer.measureElement} now={now} canResolve={canResolve} onOpenPayment={onOpenPayment} onDismiss={setDismissBulk} />;
                }
                return e.kind === 'recurring' ? (
                  <RecurringRow key={v.key} e={e} index={v.index} top={v.start} measure={virtualizer.measureElement} now={now} onOpenSchedule={onOpenSchedule} onOpenPayment={onOpenPayment} />
                ) : (
                  <OpRow
                    key={v.key}
                    e={e}
                    index={v.index}
                    top={v.start}
                    measure={virtualizer.measureElement}
                    now={now}
                    attention={attentionView}
                    canResolve={canResolve}
                    busy={resolve.busy}
                    onOpenPayment={onOpenPayment}
                    onOpenSchedule={onOpenSchedule}
                    onRetry={onRetry}
                    onDismiss={setDismiss}
                  />
                );
              })}
            </div>
          </div>
        </div>
      </div>
      {dismiss ? (
        <ConfirmDialog title={t('dismiss.title', { what: operationType(dismiss.type).toLowerCase() })} confirmLabel={t('dismiss.confirm')} tone="danger" busy={resolve.busy} onCancel={() => setDismiss(null)} onConfirm={() => void resolve.run(dismiss, 'dismiss')}>
          {t('dismiss.body')}
        </ConfirmDialog>
      ) : null}
      {dismissBulk ? (
        <ConfirmDialog title={t('dismissBulk.title', { seq: fmtNumber(dismissBulk.seq) })} confirmLabel={t('dismiss.confirm')} tone="danger" busy={resolveBulk.busy} onCancel={() => setDismissBulk(null)} onConfirm={() => void resolveBulk.run(dismissBulk)}>
          {t('dismissBulk.body')}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** Where a row sits in the virtual list, and the callback that measures its real height. */
interface Placed {
  index: number;
  top: number;
  measure: (el: HTMLElement | null) => void;
}

interface OpRowProps extends Placed {
  e: OpEntry;
  now: number;
  attention: boolean;
  canResolve: boolean;
  busy: boolean;
  onOpenPayment: (id: string) => void;
  onOpenSchedule: (id: string) => void;
  onRetry: (op: OpEntry) => void;
  onDismiss: (op: OpEntry) => void;
}

/** An operation of the queue: waiting to be sent, or held for a person. */
const OpRow = memo(function OpRow({ e, index, top, measure, now, attention, canResolve, busy, onOpenPayment, onOpenSchedule, onRetry, onDismiss }: OpRowProps) {
  const { t } = useTranslation('queue');
  // The clerk's own words (e.reason) as typed; the core's sentence in the reader's language, its
  // stored English when the row predates keys.
  const reason = [e.reason, coreSentence(e.text) ?? e.message].filter(Boolean).join(' — ');
  return (
    <div ref={measure} data-index={index} style={{ transform: `translateY(${top}px)` }} className="queue-row" role="row" aria-rowindex={index + 2} data-kind="operation" data-id={e.id} data-reference={e.orderReference}>
      <span role="cell" className="queue-what">
        <strong>{operationType(e.type)}</strong>
        <span className="muted small">{e.userName ? <Trans t={t} i18nKey="by" values={{ name: e.userName }} components={{ name: <bdi /> }} /> : t('byStation')}</span>
        {e.approvedBy ? <span className="muted small"><Trans t={t} i18nKey="approvedBy" values={{ name: e.approvedBy }} components={{ name: <bdi /> }} /></span> : null}
      </span>
      <span role="cell" className="queue-order">
        <button type="button" className="link mono" onClick={() => onOpenPayment(e.paymentId)} title={t('openPayment')}>
          <bdi>{e.orderReference}</bdi>
        </button>
        {e.recurring ? (
          <button type="button" className="link small" onClick={() => onOpenSchedule(e.recurring!.scheduleId)}>
            {t('recurringRef', { id: `RC-${e.recurring.shortId}`, period: e.recurring.period })}
          </button>
        ) : null}
      </span>
      <span role="cell" className="num">
        {e.amount !== null ? fmtMoney(e.amount, e.currency) : e.type === 'void' ? <span className="muted small">{t('wholeAuthorization')}</span> : '—'}
      </span>
      <span role="cell" title={e.createdAt}>{fmtAge(e.createdAt, now)}</span>
      <span role="cell" className="queue-reason" dir="auto">{reason || <span className="muted">—</span>}</span>
      {attention ? (
        <span role="cell" className="row-actions">
          {canResolve ? (
            <>
              <Button size="sm" onClick={() => onRetry(e)} busy={busy}>
                {t('retry')}
              </Button>
              <Button size="sm" variant="danger" onClick={() => onDismiss(e)}>
                {t('dismiss.confirm')}
              </Button>
            </>
          ) : (
            <span className="muted small">{t('supervisorOnly')}</span>
          )}
        </span>
      ) : null}
    </div>
  );
});

interface RecurringRowProps extends Placed {
  e: RecurringEntry;
  now: number;
  onOpenSchedule: (id: string) => void;
  onOpenPayment: (id: string) => void;
}

/** A recurring charge that failed: resolved on its schedule (retry or skip the period). */
const RecurringRow = memo(function RecurringRow({ e, index, top, measure, now, onOpenSchedule, onOpenPayment }: RecurringRowProps) {
  const { t } = useTranslation('queue');
  return (
    <div ref={measure} data-index={index} style={{ transform: `translateY(${top}px)` }} className="queue-row queue-recurring" role="row" aria-rowindex={index + 2} data-kind="recurring" data-id={e.id} data-reference={e.reference}>
      <span role="cell" className="queue-what">
        <span className="badge badge-info queue-kind">
          <span aria-hidden="true" className="badge-glyph">{GLYPH.recurring}</span>
          {t('recurringSchedule')}
        </span>
        <span className="ellipsis" title={e.description}>
          <strong><bdi>{e.description}</bdi></strong>
        </span>
        <span className="muted small ellipsis" title={e.customerName}><bdi>{e.customerName}</bdi></span>
      </span>
      <span role="cell" className="queue-order">
        {e.paymentId ? (
          <button type="button" className="link mono" onClick={() => onOpenPayment(e.paymentId!)} title={t('openLastAttempt')}>
            <bdi>{e.reference}</bdi>
          </button>
        ) : (
          <span className="mono"><bdi>{e.reference}</bdi></span>
        )}
        <span className="muted small">
          {e.attempts > 1
            ? t('schedulePeriodAttempts', { id: `RC-${e.shortId}`, period: e.period, count: e.attempts, n: fmtNumber(e.attempts) })
            : t('schedulePeriod', { id: `RC-${e.shortId}`, period: e.period })}
        </span>
      </span>
      <span role="cell" className="num">{fmtMoney(e.amount, e.currency)}</span>
      <span role="cell" title={e.since}>
        {fmtAge(e.since, now)}
        <span className="muted small queue-due">{t('due', { when: fmtWhen(e.dueAt, new Date(now)) })}</span>
      </span>
      <span role="cell" className="queue-reason">
        <span dir="auto">{coreSentence(e.reasonText) ?? e.reason ?? t('chargeFailed')}</span>
        <span className="queue-next">{t('next', { step: coreSentence(e.nextStepText) ?? e.nextStep })}</span>
      </span>
      <span role="cell" className="row-actions">
        <Button size="sm" variant="primary" onClick={() => onOpenSchedule(e.scheduleId)} aria-label={t('openScheduleLabel', { description: e.description, id: `RC-${e.shortId}` })}>
          {t('openSchedule')}
        </Button>
      </span>
    </div>
  );
});

interface BulkRowProps extends Placed {
  e: BulkEntry;
  now: number;
  canResolve: boolean;
  onOpenPayment: (id: string) => void;
  onDismiss: (row: BulkEntry) => void;
}

/** A bulk row our own checks refused when it was sent: no operation was made; dismissed here once handled. */
const BulkRow = memo(function BulkRow({ e, index, top, measure, now, canResolve, onOpenPayment, onDismiss }: BulkRowProps) {
  const { t } = useTranslation('queue');
  const ref = e.orderReference ?? e.reference;
  const next = e.bulkKind !== 'charge' ? t('bulkNext.payment') : e.orderReference ? t('bulkNext.charge', { order: e.orderReference }) : t('bulkNext.chargeNoOrder');
  return (
    <div ref={measure} data-index={index} style={{ transform: `translateY(${top}px)` }} className="queue-row queue-bulk" role="row" aria-rowindex={index + 2} data-kind="bulk" data-id={e.id} data-reference={ref}>
      <span role="cell" className="queue-what">
        <strong>{t(`bulkKind.${e.bulkKind}`)}</strong>
        <span className="muted small"><Trans t={t} i18nKey="bulkRow" values={{ name: e.runBy, seq: fmtNumber(e.seq) }} components={{ name: <bdi /> }} /></span>
      </span>
      <span role="cell" className="queue-order">
        {e.paymentId ? (
          <button type="button" className="link mono" onClick={() => onOpenPayment(e.paymentId!)} title={t('openPayment')}>
            <bdi>{ref}</bdi>
          </button>
        ) : (
          <span className="mono"><bdi>{ref}</bdi></span>
        )}
      </span>
      <span role="cell" className="num">{e.amount !== null && e.currency ? fmtMoney(e.amount, e.currency) : e.bulkKind === 'void' ? <span className="muted small">{t('wholeAuthorization')}</span> : '—'}</span>
      <span role="cell" title={e.since}>{fmtAge(e.since, now)}</span>
      <span role="cell" className="queue-reason">
        <span dir="auto">{t('bulkRefused', { reason: e.reason })}</span>
        <span className="queue-next">{t('next', { step: next })}</span>
      </span>
      <span role="cell" className="row-actions">
        {canResolve ? (
          <Button size="sm" variant="danger" onClick={() => onDismiss(e)}>
            {t('dismiss.confirm')}
          </Button>
        ) : (
          <span className="muted small">{t('supervisorOnly')}</span>
        )}
      </span>
    </div>
  );
});
