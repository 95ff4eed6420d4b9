import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { fmtMoney } from '../../lib/format';
import { createLatestSearch } from '../../lib/latest-search';
import { highlightIndex, keptHighlight, movedHighlight } from '../../lib/list-highlight';
import { useOrder } from './order-store';
import { lineProduct, type DraftLine } from './draft';

type Product = OutputOf<'catalog.search'>[number];

const productId = (p: Product) => p.id;

const SEP = ' · ';

/**
 * An order line's description, and a search of the catalog as it is typed (by name, SKU or
 * barcode): a combobox, ArrowDown/ArrowUp through the products, Enter takes the highlighted one
 * (nothing is taken until one is highlighted: a free description + Enter stays free text), Esc
 * closes the list. A product fills the line's description, price and tax; typing over the
 * description afterwards makes it a free line again.
 */
export function LineDescription({ index, line, currency, error }: { index: number; line: DraftLine; currency: string; error: string | undefined }) {
  const updateLine = useOrder((s) => s.updateLine);
  const fillLine = useOrder((s) => s.fillLine);
  const { t } = useTranslation('order');
  const [hits, setHits] = useState<Product[]>([]);
  const [open, setOpen] = useState(false);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [wrongCurrency, setWrongCurrency] = useState<Product | null>(null);
  const listId = `line-${index}-products`;

  const searcher = useMemo(
    () =>
      createLatestSearch((q: string) => call('catalog.search', { query: q, limit: 8 }), {
        onResult: (_q, r) => {
          setHits(r);
          setActiveId((id) => keptHighlight(id, r, productId));
          setOpen(r.length > 0);
        },
        // The catalog is a help here, never a blocker: a failed search leaves free typing as it was.
        onError: () => setHits([]),
      }),
    [],
  );
  useEffect(() => () => searcher.cancel(), [searcher]);

  const onChange = (value: string) => {
    // The product stays noted: the line is that product again if its name comes back (a scan's keys taken out of this field).
    updateLine(line.key, { description: value });
    setWrongCurrency(null);
    // The product's own name back in the field (a scan's keys taken out again) asks nothing.
    if (value.trim().length >= 2 && value.trim() !== line.productName) searcher.ask(value.trim());
    else {
      searcher.cancel();
      setHits([]);
      setOpen(false);
    }
  };

  const pick = (p: Product) => {
    setOpen(false);
    if (p.currency !== currency) {
      setWrongCurrency(p);
      return;
    }
    fillLine(line.key, p);
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`#line-${index}-quantity`)?.select());
  };

  const active = highlightIndex(activeId, hits, productId);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!open || hits.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActiveId(movedHighlight(activeId, hits, productId, e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && active >= 0 && hits[active]) {
      e.preventDefault();
      pick(hits[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  const expanded = open && hits.length > 0;
  const linked = lineProduct(line);
  return (
    <div className="combo line-combo">
      <input
        id={`line-${index}-description`}
        className="input"
        role="combobox"
        aria-label={t('lines.lineDescription', { n: index + 1 })}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 && hits[active] ? `${listId}-${hits[active].id}` : undefined}
        aria-invalid={error ? true : undefined}
        dir="auto"
        value={line.description}
        maxLength={150}
        onChange={(ev) => onChange(ev.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        autoComplete="off"
        spellCheck={false}
      />
      {linked ? <div className="muted small line-sku"><bdi>{t('lines.fromCatalog', { sku: linked.sku })}</bdi></div> : null}
      {expanded ? (
        <ul id={listId} role="listbox" className="combo-list" aria-label={t('lines.matchingProducts', { n: index + 1 })}>
          {hits.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${p.id}`}
              role="option"
              aria-selected={i === active}
              className={`combo-item ${i === active ? 'active' : ''}`}
              onMouseDown={(ev) => {
                ev.preventDefault();
                pick(p);
              }}
            >
              <span className="combo-name">
                <bdi>{p.name}</bdi>
              </span>
              <span className="muted small">
                <bdi>{p.sku}</bdi>
                {SEP}
                {fmtMoney(p.price, p.currency)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {wrongCurrency ? <div className="field-error">{t('lines.productOtherCurrency', { name: wrongCurrency.name, currency: wrongCurrency.currency })}</div> : null}
      {error ? <div className="field-error">{error}</div> : null}
    </div>
  );
}
