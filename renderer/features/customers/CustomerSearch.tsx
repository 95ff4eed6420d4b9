import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useNav } from '../../app/nav-store';
import { fmtExpiry } from '../../lib/format';
import { useEnterWhenAnswered } from '../../lib/use-enter-when-answered';
import { Alert, EmptyState } from '../../ui/Alert';
import { Kbd } from '../../ui/Kbd';
import { ContactLine, Ltr } from '../../ui/Ltr';
import { useCustomers, type Hit } from './customers-store';

const WHY = new Set(['name', 'phone', 'email', 'last4', 'order']);
const DOTS = '••';

/**
 * Whether the hits shown answer what is in the box (`fresh`: Enter may open them), and whether
 * they are dimmed. An earlier query's hits are dimmed only once this query's answer is slow (or
 * failed): answers come in a few ms, and dimming at every key flashed the whole list and repainted
 * it in the key's own frame (docs/performance.md, keystrokes).
 */
export function resultsState(s: { query: string; shownFor: string; slow: boolean; error: string | null }): { fresh: boolean; dim: boolean } {
  const fresh = s.shownFor !== '' && s.shownFor === s.query.trim();
  return { fresh, dim: !fresh && (s.slow || s.error !== null) };
}

export function CustomerSearch() {
  const { query, hits, shownFor, active, error, slow, more } = useCustomers();
  const setQuery = useCustomers((s) => s.setQuery);
  const setActive = useCustomers((s) => s.setActive);
  const openCustomer = useNav((s) => s.openCustomer);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const { t } = useTranslation('customers');

  // Typing searches from the store (setQuery). On mount (back from a customer), bring the results
  // up to the query if the screen was left before they arrived.
  useEffect(() => {
    const s = useCustomers.getState();
    const q = s.query.trim();
    if (q !== s.shownFor && !s.searching) s.search(q);
  }, []);

  // Arriving here (F3, /, back from a customer), the previous query is selected: the next caller's
  // details replace it as they are typed.
  useLayoutEffect(() => {
    input.current?.select();
  }, []);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const { fresh, dim } = resultsState({ query, shownFor, slow, error });
  // Enter pressed before this query's answer arrived: open its first result when it arrives, as
  // long as the box still holds that query (typing more cancels it).
  const enterWhenAnswered = useEnterWhenAnswered(query, shownFor, () => {
    const h = hits[active];
    if (h) openCustomer(h.customer.id);
  });
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(active + 1, hits.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Only a result of what is in the box now: hits still shown from an earlier query (the answer
      // to this one not in yet) are never opened.
      const h = fresh ? hits[active] : undefined;
      e.preventDefault();
      if (h) openCustomer(h.customer.id);
      else if (!fresh && query.trim()) enterWhenAnswered(query.trim());
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
    }
  };

  return (
    <div className="customers-screen">
      <header className="screen-head">
        <h1>{t('title')}</h1>
      </header>
      <div className="search-box">
        <label className="field-label" htmlFor="customer-search">
          {t('search.label', { four: 4 })}
        </label>
        <input
          id="customer-search"
          dir="auto"
          ref={input}
          className="input input-lg"
          type="search"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="customer-results"
          aria-activedescendant={hits[active] ? `cust-${hits[active].customer.id}` : undefined}
          aria-autocomplete="list"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          placeholder={t('search.placeholder', { phone: '0555', last4: '0001', reference: 'ORD-2025' })}
        />
        <div className="muted small search-hint">
          <Kbd keys="↑" /> <Kbd keys="↓" /> {t('search.move')} <Kbd keys="Enter" /> {t('search.open')}
          {slow ? <span className="muted">{t('search.searching')}</span> : null}
        </div>
      </div>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {hits.length > 0 ? (
        <Results hits={hits} active={active} listRef={list} busy={!fresh} dim={dim} />
      ) : shownFor ? (
        <EmptyState title={<Trans t={t} i18nKey="search.noMatch" values={{ query: shownFor }} components={{ q: <bdi /> }} />}>{t('search.noMatchHint', { four: 4 })}</EmptyState>
      ) : (
        <EmptyState title={t('search.findTitle')}>{t('search.findHint')}</EmptyState>
      )}
      {more ? <p className="muted small">{t('search.more')}</p> : null}
    </div>
  );
}

// The list is memoised apart from the input: a keystroke re-renders the field, not twenty rows
// (keystroke-to-paint is a benchmark goal, docs/performance.md).
const Results = memo(function Results({ hits, active, listRef, busy, dim }: { hits: Hit[]; active: number; listRef: React.RefObject<HTMLUListElement | null>; busy: boolean; dim: boolean }) {
  const { t } = useTranslation('customers');
  return (
    <ul id="customer-results" ref={listRef} className={`results ${dim ? 'dimmed' : ''}`} role="listbox" aria-label={t('search.found')} aria-busy={busy}>
      {hits.map((h, i) => (
        <HitRow key={h.customer.id} hit={h} index={i} active={i === active} />
      ))}
    </ul>
  );
});

const HitRow = memo(function HitRow({ hit, index, active }: { hit: Hit; index: number; active: boolean }) {
  const openCustomer = useNav((s) => s.openCustomer);
  const setActive = useCustomers((s) => s.setActive);
  const onOpen = () => openCustomer(hit.customer.id);
  const onHover = () => setActive(index);
  const c = hit.customer;
  const cards = hit.cards.filter((k) => k.status === 'active');
  const { t } = useTranslation('customers');
  return (
    <li id={`cust-${c.id}`} data-index={index} role="option" aria-selected={active} className={`result-row ${active ? 'active' : ''}`} onClick={onOpen} onMouseEnter={onHover}>
      <div className="result-main">
        <span className="result-name" title={c.name}>
          <bdi>{c.name}</bdi>
        </span>
        <span className="muted small">
          <ContactLine phone={c.phone} email={c.email} empty={t('search.noContact')} />
        </span>
      </div>
      <div className="result-cards">
        {cards.length ? (
          cards.map((k) => (
            <span key={k.id} className={`card-chip ${k.expired ? 'expired' : ''}`} title={k.expired ? t('search.expired') : t('search.expires', { expiry: fmtExpiry(k.expiry) })}>
              <Ltr>
                {DOTS}
                {k.last4}
              </Ltr>
              {k.expired ? t('search.expiredSuffix') : null}
            </span>
          ))
        ) : (
          <span className="muted small">{t('search.noCard')}</span>
        )}
      </div>
      <div className="result-why muted small">
        {t('search.matchedOn', { why: WHY.has(hit.matched) ? t(`search.why.${hit.matched}`, { four: 4 }) : hit.matched })}
        {hit.orderReference ? (
          <>
            {' '}
            <Ltr>{hit.orderReference}</Ltr>
          </>
        ) : null}
      </div>
    </li>
  );
});
