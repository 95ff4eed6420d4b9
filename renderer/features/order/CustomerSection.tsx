import { useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { counted, maskedCard } from '../../lib/format';
import { createLatestSearch } from '../../lib/latest-search';
import { useEnterWhenAnswered } from '../../lib/use-enter-when-answered';
import { highlightIndex, keptHighlight, movedHighlight } from '../../lib/list-highlight';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { ContactLine, Ltr } from '../../ui/Ltr';
import { useOrder } from './order-store';

type Hit = OutputOf<'customers.search'>['hits'][number];

const hitId = (h: Hit) => h.customer.id;

/**
 * One letter matches most of the book and tells the clerk nothing; it is also the one key of a
 * scanner's burst that reaches the field (the rest are held back), and its search would sit on
 * the core in front of the scan's lookup (docs/performance.md, scan to line).
 */
const MIN_QUERY = 2;

/** Find an existing customer by typing, or key a new one. */
export function CustomerSection() {
  const customer = useOrder((s) => s.customer);
  const setCustomer = useOrder((s) => s.setCustomer);
  const errors = useOrder((s) => s.errors);
  const { t } = useTranslation('order');

  if (customer.kind === 'existing') {
    const c = customer.customer;
    const active = customer.cards.filter((k) => k.status === 'active');
    const cardsText = active.length ? counted('order:customer.cardsOnFile', active.length, { cards: active.map((k) => maskedCard(k.brand, k.last4)).join(', ') }) : t('customer.noCard');
    return (
      <section className="panel" aria-labelledby="customer-h">
        <div className="panel-head">
          <h2 id="customer-h">{t('customer.title')}</h2>
          {/* F2 onto a kept draft lands here: Enter changes the customer, it never charges. */}
          <Button id="order-first-field" size="sm" variant="ghost" onClick={() => setCustomer({ kind: 'none' })}>
            {t('customer.change')}
          </Button>
        </div>
        <div className="customer-chosen" data-testid="chosen-customer">
          <div className="customer-name">
            <bdi>{c.name}</bdi>
          </div>
          <div className="muted">
            <ContactLine phone={c.phone} email={c.email} empty={t('customer.noContact')} />
          </div>
          <div className="muted small">{cardsText}</div>
        </div>
      </section>
    );
  }

  if (customer.kind === 'new') {
    const update = (patch: Partial<{ name: string; email: string; phone: string }>) => setCustomer({ ...customer, ...patch });
    return (
      <section className="panel" aria-labelledby="customer-h">
        <div className="panel-head">
          <h2 id="customer-h">{t('customer.newTitle')}</h2>
          <Button size="sm" variant="ghost" onClick={() => setCustomer({ kind: 'none' })}>
            {t('customer.searchInstead')}
          </Button>
        </div>
        <div className="grid-customer">
          <Field label={t('customer.name')} error={errors.name ?? errors['newCustomer.name']}>
            <input id="order-first-field" className="input" value={customer.name} onChange={(e) => update({ name: e.target.value })} maxLength={80} autoComplete="off" dir="auto" autoFocus />
          </Field>
          <Field label={t('customer.phone')} error={errors['newCustomer.phone']}>
            <input className="input" type="tel" value={customer.phone} onChange={(e) => update({ phone: e.target.value })} maxLength={19} autoComplete="off" />
          </Field>
          <Field label={t('customer.email')} error={errors['newCustomer.email']}>
            <input className="input" type="email" value={customer.email} onChange={(e) => update({ email: e.target.value })} maxLength={254} autoComplete="off" />
          </Field>
        </div>
      </section>
    );
  }

  return <CustomerSearchBox />;
}

function CustomerSearchBox() {
  const setCustomer = useOrder((s) => s.setCustomer);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [searched, setSearched] = useState('');
  const { t } = useTranslation('order');
  // As on the Customers screen: no debounce, the newest query only, one request in flight
  // (renderer/lib/latest-search.ts, docs/performance.md).
  const searcher = useMemo(
    () =>
      createLatestSearch((q: string) => call('customers.search', { query: q, limit: 6 }), {
        onResult: (q, r) => {
          setHits(r.hits);
          setSearched(q);
          setActiveId((id) => keptHighlight(id, r.hits, hitId));
          setError(null);
        },
        onError: (_q, e) => setError(describeError(e)),
      }),
    [],
  );
  useEffect(() => () => searcher.cancel(), [searcher]);

  const onQuery = (value: string) => {
    const before = query.trim();
    setQuery(value);
    const q = value.trim();
    if (q === before) return;
    if (q.length < MIN_QUERY) {
      searcher.cancel();
      setHits([]);
      setSearched('');
      return;
    }
    searcher.ask(q);
  };

  const pick = async (hit: Hit) => {
    setPicking(true);
    try {
      const full = await call('customers.get', { id: hit.customer.id });
      setCustomer({ kind: 'existing', customer: full.customer, cards: full.cards });
    } catch {
      setCustomer({ kind: 'existing', customer: hit.customer, cards: hit.cards });
    } finally {
      setPicking(false);
    }
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#line-0-description')?.focus());
  };

  // The first match is highlighted until the clerk moves.
  const active = Math.max(highlightIndex(activeId, hits, hitId), 0);
  // Enter before the matches of what is in the box have come: the first of them is taken when they
  // come (as on the Customers screen), unless the box changed meanwhile.
  const enterWhenAnswered = useEnterWhenAnswered(query, searched, () => {
    const h = hits[active];
    if (h) void pick(h);
  });
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActiveId(movedHighlight(activeId, hits, hitId, e.key === 'ArrowDown' ? 1 : -1, 0));
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Only a match of what is in the box now, never one left from the previous letters.
      e.preventDefault();
      const fresh = searched !== '' && searched === query.trim();
      const h = fresh ? hits[active] : undefined;
      if (h) void pick(h);
      else if (!fresh && query.trim().length >= MIN_QUERY) enterWhenAnswered(query.trim());
    }
  };

  const newCustomer = () => {
    const looksLikePhone = /^[0-9+\-() ]+$/.test(query.trim());
    const looksLikeEmail = query.includes('@');
    setCustomer({ kind: 'new', name: looksLikePhone || looksLikeEmail ? '' : query.trim(), phone: looksLikePhone ? query.trim() : '', email: looksLikeEmail ? query.trim() : '' });
  };

  return (
    <section className="panel" aria-labelledby="customer-h">
      <div className="panel-head">
        <h2 id="customer-h">{t('customer.title')}</h2>
        <Button size="sm" variant="ghost" onClick={newCustomer}>
          {t('customer.newCustomer')}
        </Button>
      </div>
      <div className="combo">
        <label className="field-label" htmlFor="order-first-field">
          {t('customer.find', { four: 4 })}
        </label>
        <input
          id="order-first-field"
          dir="auto"
          className="input"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="order-customer-hits"
          aria-activedescendant={hits[active] ? `och-${hits[active].customer.id}` : undefined}
          aria-autocomplete="list"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={onKey}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('customer.placeholder')}
          autoFocus
          disabled={picking}
        />
        {error ? <div className="field-error">{error}</div> : null}
        {hits.length > 0 ? (
          <ul id="order-customer-hits" role="listbox" className="combo-list" aria-label={t('customer.matching')}>
            {hits.map((h, i) => (
              <li
                key={h.customer.id}
                id={`och-${h.customer.id}`}
                role="option"
                aria-selected={i === active}
                className={`combo-item ${i === active ? 'active' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  void pick(h);
                }}
              >
                <span className="combo-name">
                  <bdi>{h.customer.name}</bdi>
                </span>
                <span className="muted small">
                  <ContactLine phone={h.customer.phone} email={h.customer.email} empty={null} />
                </span>
                <span className="muted small"><Ltr>{h.cards.filter((c) => c.status === 'active').map((c) => `••${c.last4}`).join(' ')}</Ltr></span>
              </li>
            ))}
          </ul>
        ) : query.trim() && searched === query.trim() && !error ? (
          <div className="combo-none muted small">
            {t('customer.noMatch')}{' '}
            <button type="button" className="link" onClick={newCustomer}>
              <Trans t={t} i18nKey="customer.addAsNew" values={{ query: query.trim() }} components={{ q: <bdi /> }} />
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
