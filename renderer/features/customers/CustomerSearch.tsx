import { memo, useEffect, useLayoutEffect, useRef } from 'react';
import { useNav } from '../../app/nav-store';
import { fmtExpiry } from '../../lib/format';
import { Alert, EmptyState } from '../../ui/Alert';
import { Kbd } from '../../ui/Kbd';
import { useCustomers, type Hit } from './customers-store';

const WHY: Record<string, string> = {
  name: 'name',
  phone: 'phone',
  email: 'email',
  last4: 'card last 4',
  order: 'order reference',
};

export function CustomerSearch() {
  const { query, hits, shownFor, active, error, slow, more } = useCustomers();
  const setQuery = useCustomers((s) => s.setQuery);
  const setActive = useCustomers((s) => s.setActive);
  const openCustomer = useNav((s) => s.openCustomer);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);

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

  const fresh = shownFor !== '' && shownFor === query.trim();
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
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
    }
  };

  return (
    <div className="customers-screen">
      <header className="screen-head">
        <h1>Customers</h1>
      </header>
      <div className="search-box">
        <label className="field-label" htmlFor="customer-search">
          Search by name, phone, email, card last 4 or order reference
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
          placeholder="e.g. Sarah, 0555, 0001, ORD-2025…"
        />
        <div className="muted small search-hint">
          <Kbd keys="↑" /> <Kbd keys="↓" /> to move, <Kbd keys="Enter" /> to open {slow ? <span className="muted"> &middot; searching&hellip;</span> : null}
        </div>
      </div>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {hits.length > 0 ? (
        <Results hits={hits} active={active} listRef={list} stale={!fresh} />
      ) : shownFor ? (
        <EmptyState title={`No customer matches “${shownFor}”.`}>Check the spelling, or try a phone number, card last 4 or an order reference.</EmptyState>
      ) : (
        <EmptyState title="Find a customer">Start typing: results appear as you type. Press F2 to take an order without a customer.</EmptyState>
      )}
      {more ? <p className="muted small">More customers match: type more to narrow it down.</p> : null}
    </div>
  );
}

// The list is memoised apart from the input: a keystroke re-renders the field, not twenty rows
// (keystroke-to-paint is a benchmark goal, docs/performance.md).
const Results = memo(function Results({ hits, active, listRef, stale }: { hits: Hit[]; active: number; listRef: React.RefObject<HTMLUListElement | null>; stale: boolean }) {
  return (
    <ul id="customer-results" ref={listRef} className={`results ${stale ? 'stale' : ''}`} role="listbox" aria-label="Customers found" aria-busy={stale}>
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
  return (
    <li id={`cust-${c.id}`} data-index={index} role="option" aria-selected={active} className={`result-row ${active ? 'active' : ''}`} onClick={onOpen} onMouseEnter={onHover}>
      <div className="result-main">
        <span className="result-name" title={c.name}>
          {c.name}
        </span>
        <span className="muted small">
          {[c.phone, c.email].filter(Boolean).join(' · ') || 'No phone or email'}
        </span>
      </div>
      <div className="result-cards">
        {cards.length ? (
          cards.map((k) => (
            <span key={k.id} className={`card-chip ${k.expired ? 'expired' : ''}`} title={k.expired ? 'Expired' : `Expires ${fmtExpiry(k.expiry)}`}>
              {'••'}
              {k.last4}
              {k.expired ? ' (expired)' : ''}
            </span>
          ))
        ) : (
          <span className="muted small">no card on file</span>
        )}
      </div>
      <div className="result-why muted small">
        matched on {WHY[hit.matched] ?? hit.matched}
        {hit.orderReference ? ` ${hit.orderReference}` : ''}
      </div>
    </li>
  );
});
