import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentStatus } from '../../../shared/domain/payment-state';
import { useDebounced } from '../../lib/use-action';
import { statusLabel } from '../../ui/StatusBadge';
import { useTx, type Filter } from './tx-store';

const VIEWS: Filter['view'][] = ['all', 'uncaptured', 'expiring', 'unknown', 'queued'];

const STATUSES: PaymentStatus[] = ['authorized', 'partially_captured', 'captured', 'partially_refunded', 'refunded', 'voided', 'declined', 'expired', 'unknown', 'pending'];

export function TxFilters() {
  const filter = useTx((s) => s.filter);
  const setFilter = useTx((s) => s.setFilter);
  const { t } = useTranslation('transactions');
  const [query, setQuery] = useState(filter.query);
  const debounced = useDebounced(query, 150);
  useEffect(() => {
    if (debounced !== useTx.getState().filter.query) setFilter({ query: debounced });
  }, [debounced, setFilter]);

  return (
    <div className="filters">
      <div className="filters-row">
        <label className="sr-only" htmlFor="tx-query">
          {t('filters.searchLabel')}
        </label>
        <input
          id="tx-query"
          dir="auto"
          className="input filters-query"
          type="search"
          placeholder={t('filters.searchPlaceholder', { four: 4 })}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            useTx.getState().setTyped(e.target.value);
          }}
          autoComplete="off"
          spellCheck={false}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              // Into the list: the search runs now, not after the typing pause.
              if (query !== useTx.getState().filter.query) setFilter({ query });
              document.querySelector<HTMLElement>('#tx-list')?.focus();
            }
          }}
        />
        <label className="inline-field">
          <span>{t('filters.period')}</span>
          <select className="input" value={filter.period} onChange={(e) => setFilter({ period: e.target.value as Filter['period'] })}>
            <option value="today">{t('filters.today')}</option>
            <option value="week">{t('filters.week', { n: 7 })}</option>
            <option value="all">{t('filters.allTime')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('filters.status')}</span>
          <select className="input" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as Filter['status'] })}>
            <option value="">{t('filters.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="chips" role="radiogroup" aria-label={t('filters.show')}>
        {VIEWS.map((v) => (
          <label key={v} className={`chip ${filter.view === v ? 'checked' : ''}`}>
            <input type="radio" name="tx-view" value={v} checked={filter.view === v} onChange={() => setFilter({ view: v })} />
            {t(`filters.view.${v}`)}
          </label>
        ))}
      </div>
    </div>
  );
}
