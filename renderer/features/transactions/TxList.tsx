import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { roleAtLeast } from '../../../shared/domain/roles';
import { useNav } from '../../app/nav-store';
import { onPaymentsStamp, paymentsStamp, subscribe, touchesPayments } from '../../lib/api';
import { fmtMoney, fmtNumber, fmtWhen, maskedCard } from '../../lib/format';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { StatusBadgeView } from '../../ui/StatusBadge';
import { LinkExpiryBanner } from '../links/LinkExpiryBanner';
import { useSession } from '../session/session-store';
import { ExpiryBanner } from './ExpiryBanner';
import { SelectionBar } from './SelectionBar';
import { useTxSelection } from './tx-selection';
import { assignSlots } from './row-slots';
import { TxFilters } from './TxFilters';
import { rowsAreFresh, useTx, type Row } from './tx-store';

/** Every row is exactly this tall (set inline, so the virtualiser's arithmetic and the layout agree). */
const ROW_HEIGHT = 48;
/** Ask for the next page this many rows before the last loaded one is reached. */
const PREFETCH_ROWS = 120;

const NO_ROWS: Row[] = [];

export function TxList() {
  const loading = useTx((s) => s.loading);
  // Rows read before a payment may have changed (drawn ahead while hidden, then a charge) are not
  // shown while the list is being read again: F4 never offers a row that is no longer current.
  const current = useSyncExternalStore(onPaymentsStamp, paymentsStamp);
  const stale = useTx((s) => s.stamp !== current);
  const stored = useTx((s) => s.rows);
  const rows = loading && stale ? NO_ROWS : stored;
  const total = useTx((s) => s.total);
  const error = useTx((s) => s.error);
  const filter = useTx((s) => s.filter);
  const nextCursor = useTx((s) => s.nextCursor);
  const reload = useTx((s) => s.reload);
  const loadMore = useTx((s) => s.loadMore);
  const openPayment = useNav((s) => s.openPayment);
  const { t } = useTranslation('transactions');
  const [active, setActive] = useState(0);
  const fresh = useTx(rowsAreFresh);
  // Enter pressed before the rows answered the search: the first row of the answer opens when it
  // comes, unless the search was typed again meanwhile.
  const [openWhenFresh, setOpenWhenFresh] = useState<string | null>(null);
  const typed = useTx((s) => s.typed);
  useEffect(() => {
    if (openWhenFresh === null) return;
    if (typed !== openWhenFresh) return setOpenWhenFresh(null);
    if (!fresh) return;
    setOpenWhenFresh(null);
    const r = useTx.getState().rows[0];
    if (r) openPayment(r.id);
  }, [openWhenFresh, typed, fresh, openPayment]);
  const [loadedOnce, setLoadedOnce] = useState(rows.length > 0);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Supervisors pick payments for one bulk action (Space, Shift+arrows, Ctrl+A).
  const selectable = useSession((s) => roleAtLeast(s.user?.role ?? 'clerk', 'supervisor'));
  const picked = useTxSelection((s) => s.picked);

  useEffect(() => {
    void reload({ reuseWithinMs: 1_000 }).then(() => setLoadedOnce(true));
    setActive(0);
    useTxSelection.getState().clear();
  }, [filter, reload]);

  // In a shop, another desk's payments and actions show without a reload: the list is read again
  // (coalesced), the row the keyboard is on stays the same payment, and the view does not jump.
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = subscribe('shop.changed', ({ tables }) => {
      if (!touchesPayments(tables) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        const before = useTx.getState().rows;
        const at = activeRef.current;
        const id = before[at]?.id;
        void useTx.getState().refresh().then(() => {
          const i = id ? useTx.getState().rows.findIndex((r) => r.id === id) : -1;
          if (i < 0 || i === at) return;
          if (scrollRef.current) scrollRef.current.scrollTop += (i - at) * ROW_HEIGHT;
          setActive(i);
        });
      }, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Drawn ahead while hidden, the list has no size to measure: assume the window's height, so the
    // rows F4 shows are already drawn (the real size replaces it once shown).
    initialRect: { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight },
    // No getItemKey: every row is ROW_HEIGHT, so the default (the index) is right, and a new
    // function each render would make the virtualiser recompute all 25,000 offsets every time.
    // React's keys are slots (below): a row scrolled out is reused for the one scrolled in.
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const slotsRef = useRef(new Map<number, number>());
  slotsRef.current = assignSlots(slotsRef.current, items.map((v) => v.index));
  const slots = slotsRef.current;

  useEffect(() => {
    if (nextCursor && !loading && lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, nextCursor, loading, loadMore]);

  // Stable across renders, so a memoised row re-renders only when its own props change.
  const onOpen = useCallback((id: string) => openPayment(id), [openPayment]);
  const onHover = useCallback((i: number) => setActive(i), []);
  const onPick = useCallback((id: string, reference: string, index: number) => useTxSelection.getState().toggle(id, reference, index), []);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(rows.length - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (selectable && pickKey(e)) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => (active === 0 ? document.querySelector<HTMLElement>('#tx-query')?.focus() : move(active - 1)),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => {
        const r = rows[active];
        if (r) openPayment(r.id);
      },
    };
    const fn = keys[e.key];
    if (!fn) return;
    e.preventDefault();
    // Rows about to be replaced by the search's answer are not moved on or opened.
    if (!fresh) {
      if (e.key === 'Enter') setOpenWhenFresh(useTx.getState().typed);
      else if (e.key === 'ArrowUp') document.querySelector<HTMLElement>('#tx-query')?.focus();
      return;
    }
    fn();
  };
  /** Space picks the active row, Shift+arrows extend from it, Ctrl+A picks every row shown, Escape clears. */
  const pickKey = (e: React.KeyboardEvent): boolean => {
    const sel = useTxSelection.getState();
    const refs = rows;
    const shiftTo = (index: number) => {
      const to = Math.max(0, Math.min(rows.length - 1, index));
      sel.extend(refs, active, to);
      move(to);
    };
    const fns: Record<string, (() => void) | undefined> = {
      ' ': () => {
        const r = rows[active];
        if (r) sel.toggle(r.id, r.reference, active);
      },
      ArrowDown: e.shiftKey ? () => shiftTo(active + 1) : undefined,
      ArrowUp: e.shiftKey ? () => shiftTo(active - 1) : undefined,
      a: e.ctrlKey || e.metaKey ? () => sel.all(refs) : undefined,
      Escape: sel.picked.size > 0 ? () => sel.clear() : undefined,
    };
    const fn = fns[e.key];
    if (!fn) return false;
    e.preventDefault();
    fn();
    return true;
  };

  return (
    <div className="tx-screen">
      <header className="screen-head">
        <h1>{t('list.title')}</h1>
        <span className="muted" aria-live="polite">
          {loading && rows.length === 0 ? <Spinner label={t('list.loading')} /> : t('list.count', { count: total, n: fmtNumber(total) })}
        </span>
      </header>
      <ListHead />
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {/* The focused list is the grid (aria-activedescendant is allowed there, not on a rowgroup);
          the column labels above it are visual only: each row reads out whole. */}
      {selectable ? <ShownSelectionBar shown={rows.length} /> : null}
      <div className={`tx-table ${selectable ? 'selectable' : ''}`}>
        <div className="tx-row tx-head" aria-hidden="true">
          {selectable ? <span role="columnheader" /> : null}
          <span role="columnheader">{t('list.col.when')}</span>
          <span role="columnheader">{t('list.col.order')}</span>
          <span role="columnheader">{t('list.col.customer')}</span>
          <span role="columnheader" className="num">{t('list.col.amount')}</span>
          <span role="columnheader" className="num">{t('list.col.capturedRefunded')}</span>
          <span role="columnheader">{t('list.col.status')}</span>
        </div>
        <div
          id="tx-list"
          ref={scrollRef}
          className="tx-scroll"
          tabIndex={0}
          role="grid"
          aria-label={t('list.gridLabel')}
          aria-rowcount={total}
          aria-activedescendant={rows[active] ? `tx-${rows[active].id}` : undefined}
          data-loaded={rows.length}
          onKeyDown={onKey}
        >
          {rows.length === 0 && loadedOnce && !loading ? (
            <div role="row">
              <div role="gridcell">
                <EmptyState title={t('list.emptyTitle')}>{t('list.emptyHint')}</EmptyState>
              </div>
            </div>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize() }} className="tx-space">
            {items.map((v) => {
              const r = rows[v.index];
              if (!r) return null;
              // Keyed by slot, not payment (row-slots.ts).
              return <TxRow key={slots.get(v.index)} row={r} index={v.index} top={v.start} active={v.index === active} onOpen={onOpen} onHover={onHover} picked={selectable ? picked.has(r.id) : null} onPick={onPick} t={t} />;
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * What sits above the grid. Memoised apart from it: the virtualiser re-renders the list on every
 * scrolled frame, and the banners and filters have nothing to redraw then (each hears its own store).
 */
const ListHead = memo(function ListHead() {
  const generation = useTx((s) => s.generation);
  return (
    <>
      <ExpiryBanner />
      <LinkExpiryBanner readWith={generation} />
      <TxFilters />
    </>
  );
});
const ShownSelectionBar = memo(SelectionBar);

interface TxRowProps {
  row: Row;
  index: number;
  top: number;
  active: boolean;
  onOpen: (id: string) => void;
  onHover: (index: number) => void;
  /** null: the person may not pick rows (no checkbox). */
  picked: boolean | null;
  onPick: (id: string, reference: string, index: number) => void;
  /** The list's `t`: a new one when the language changes, which re-renders the rows. */
  t: TFunction<'transactions'>;
}

/**
 * One payment. Memoised: scrolling, a page arriving or the active row moving re-renders only the
 * rows whose props changed (the ones entering the window, the old and the new active row), not
 * every row in the window. Contained (styles.css), so a row's layout never reaches the others.
 */
const TxRow = memo(function TxRow({ row: r, index, top, active, onOpen, onHover, picked, onPick, t }: TxRowProps) {
  return (
    <div
      id={`tx-${r.id}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={active}
      className={`tx-row ${active ? 'active' : ''} ${picked ? 'picked' : ''}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      onClick={() => onOpen(r.id)}
      // A real pointer move only: rows scrolling under a still mouse (wheel, keys, paging) must
      // not steal the keyboard's active row (the browser's synthetic moves have no movement).
      onMouseMove={(e) => {
        if (!active && (e.movementX !== 0 || e.movementY !== 0)) onHover(index);
      }}
      data-reference={r.orderReference}
    >
      {picked !== null ? (
        <span role="gridcell" className="tx-pick">
          <input
            type="checkbox"
            tabIndex={-1}
            checked={picked}
            aria-label={t('select.row', { reference: r.orderReference })}
            onClick={(e) => e.stopPropagation()}
            onChange={() => onPick(r.id, r.reference, index)}
          />
        </span>
      ) : null}
      <span role="gridcell">{fmtWhen(r.createdAt)}</span>
      <span role="gridcell" className="mono"><bdi>{r.orderReference}</bdi></span>
      <span role="gridcell" className="tx-who">
        <span className="ellipsis" title={r.customerName ?? ''}>{r.customerName ? <bdi>{r.customerName}</bdi> : <span className="muted">{t('walkIn')}</span>}</span>
        <span className="muted small"><bdi>{r.method === 'cash' ? t('cash') : maskedCard(r.brand, r.last4)}</bdi></span>
      </span>
      <span role="gridcell" className="num">{fmtMoney(r.amount, r.currency)}</span>
      <span role="gridcell" className="num muted">
        {fmtMoney(r.captured, r.currency)}
        {r.refunded ? <span className="refunded">{t('list.refundedPart', { amount: fmtMoney(r.refunded, r.currency) })}</span> : null}
      </span>
      <span role="gridcell">
        <StatusBadgeView status={r.status} queued={r.queued} />
      </span>
    </div>
  );
});
