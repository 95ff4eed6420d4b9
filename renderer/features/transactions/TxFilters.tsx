import { useEffect, useState } from 'react';
import type { PaymentStatus } from '../../../shared/domain/payment-state';
import { useDebounced } from '../../lib/use-action';
import { statusLabel } from '../../ui/StatusBadge';
import { useTx, type Filter } from './tx-store';

const VIEWS: { id: Filter['view']; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'uncaptured', label: 'Authorized, not captured' },
  { id: 'expiring', label: 'Expiring soon' },
  { id: 'unknown', label: 'Unknown outcome' },
  { id: 'queued', label: 'Queued' },
];

const STATUSES: PaymentStatus[] = ['authorized', 'partially_captured', 'captured', 'partially_refunded', 'refunded', 'voided', 'declined', 'expired', 'unknown', 'pending'];

export function TxFilters() {
  const filter = useTx((s) => s.filter);
  const setFilter = useTx((s) => s.setFilter);
  const [query, setQuery] = useState(filter.query);
  const debounced = useDebounced(query, 150);
  useEffect(() => {
    if (debounced !== useTx.getState().filter.query) setFilter({ query: debounced });
  }, [debounced, setFilter]);

  return (
    <div className="filters">
      <div className="filters-row">
        <label className="sr-only" htmlFor="tx-query">
          Search transactions
        </label>
        <input
          id="tx-query"
          dir="auto"
          className="input filters-query"
          type="search"
          placeholder="Reference, customer, last 4, amount…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLElement>('#tx-list')?.focus();
            }
          }}
        />
        <label className="inline-field">
          <span>Period</span>
          <select className="input" value={filter.period} onChange={(e) => setFilter({ period: e.target.value as Filter['period'] })}>
            <option value="today">Today</option>
            <option value="week">Last 7 days</option>
            <option value="all">All time</option>
          </select>
        </label>
        <label className="inline-field">
          <span>Status</span>
          <select className="input" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as Filter['status'] })}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="chips" role="radiogroup" aria-label="Show">
        {VIEWS.map((v) => (
          <label key={v.id} className={`chip ${filter.view === v.id ? 'checked' : ''}`}>
            <input type="radio" name="tx-view" value={v.id} checked={filter.view === v.id} onChange={() => setFilter({ view: v.id })} />
            {v.label}
          </label>
        ))}
      </div>
    </div>
  );
}
