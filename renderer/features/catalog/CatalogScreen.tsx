import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtMoney, fmtNumber } from '../../lib/format';
import { createLatestSearch } from '../../lib/latest-search';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { downloadText } from '../reports/report-data';
import { useCurrency, useSettings } from '../settings/settings-store';
import { catalogCsv, taxText } from './catalog-csv';
import { useCatalogNav } from './catalog-store';
import { ImportPanel } from './ImportPanel';
import { ProductForm } from './ProductForm';
import './catalog.css';

const SHOWN = 100;

/** Admins: the product catalog, searched by name, SKU or barcode; add, edit, (de)activate, import, export. */
export function CatalogScreen() {
  const { t } = useTranslation('catalog');
  const currency = useCurrency();
  const station = useSettings((s) => s.settings?.stationName ?? '');
  const [query, setQuery] = useState('');
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ product: Product | null; barcode: string | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const newBarcode = useCatalogNav((s) => s.newBarcode);

  const searcher = useMemo(
    () =>
      createLatestSearch((q: string) => call('catalog.search', { query: q, includeInactive: true, limit: SHOWN }), {
        onResult: (_q, r) => {
          setProducts(r);
          setError(null);
        },
        onError: (_q, e) => setError(describeError(e)),
      }),
    [],
  );
  useEffect(() => () => searcher.cancel(), [searcher]);
  useEffect(() => searcher.ask(query.trim()), [searcher, query]);

  // "Add product" from an unknown scan on the order screen: the form opens with the barcode.
  useEffect(() => {
    if (newBarcode) {
      setEditing({ product: null, barcode: newBarcode });
      useCatalogNav.getState().setNewBarcode(null);
    }
  }, [newBarcode]);

  const refresh = () => searcher.ask(query.trim());
  const toggle = useAction(async (p: Product) => {
    const changed = await call('catalog.setActive', { id: p.id, active: !p.active });
    setNotice(t(changed.active ? 'list.reactivated' : 'list.deactivated', { name: changed.name }));
    refresh();
  });
  const exportCsv = useAction(async () => {
    const all = await call('catalog.export', {});
    downloadText(catalogCsv(all), `products-${station.replace(/[^\p{L}\p{N}_-]+/gu, '-') || 'station'}.csv`);
  });

  return (
    <div className="catalog-screen">
      <header className="screen-head">
        <h1 id="catalog-title" tabIndex={-1}>
          {t('title')}
        </h1>
        <div className="catalog-actions">
          <Button variant="primary" onClick={() => setEditing({ product: null, barcode: null })}>
            {t('add')}
          </Button>
          <Button onClick={() => setImporting(true)} aria-expanded={importing}>
            {t('import.open')}
          </Button>
          <Button onClick={() => void exportCsv.run()} busy={exportCsv.busy}>
            {t('export')}
          </Button>
        </div>
      </header>
      {importing ? <ImportPanel onImported={refresh} onClose={() => setImporting(false)} /> : null}
      <section className="panel" aria-labelledby="catalog-list-h">
        <h2 id="catalog-list-h" className="sr-only">
          {t('list.title')}
        </h2>
        <label className="field-label" htmlFor="catalog-search">
          {t('search')}
        </label>
        <input id="catalog-search" className="input" type="search" dir="auto" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" spellCheck={false} placeholder={t('searchPlaceholder')} />
        {notice ? <div className="muted small" role="status">{notice}</div> : null}
        {error ? <Alert tone="danger">{error}</Alert> : null}
        {toggle.error ? <Alert tone="danger">{describeError(toggle.error)}</Alert> : null}
        {exportCsv.error ? <Alert tone="danger">{describeError(exportCsv.error)}</Alert> : null}
        {products && products.length === 0 ? (
          <EmptyState title={query.trim() ? t('list.noMatch') : t('list.empty')}>{query.trim() ? null : t('list.emptyHelp')}</EmptyState>
        ) : products ? (
          <table className="table catalog-table">
            <caption className="sr-only">{t('list.caption', { count: products.length, n: fmtNumber(products.length) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('list.sku')}</th>
                <th scope="col">{t('list.name')}</th>
                <th scope="col" className="num">{t('list.price')}</th>
                <th scope="col" className="num">{t('list.tax')}</th>
                <th scope="col">{t('list.barcodes')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col"><span className="sr-only">{t('list.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.id} className={p.active ? undefined : 'row-inactive'}>
                  <td><bdi>{p.sku}</bdi></td>
                  <td><bdi>{p.name}</bdi></td>
                  <td className="num">{fmtMoney(p.price, p.currency)}</td>
                  <td className="num">{t('list.taxValue', { rate: taxText(p.taxRateBp) })}</td>
                  <td className="catalog-codes"><bdi>{p.barcodes.join(' ')}</bdi></td>
                  <td>{p.active ? t('list.active') : t('list.inactive')}</td>
                  <td className="catalog-row-actions">
                    <Button size="sm" onClick={() => setEditing({ product: p, barcode: null })} aria-label={t('list.editNamed', { name: p.name })}>
                      {t('list.edit')}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => void toggle.run(p)} aria-label={t(p.active ? 'list.deactivateNamed' : 'list.reactivateNamed', { name: p.name })}>
                      {t(p.active ? 'list.deactivate' : 'list.reactivate')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {products && products.length >= SHOWN ? <p className="muted small">{t('list.more', { count: SHOWN })}</p> : null}
      </section>
      {editing ? (
        <ProductForm
          product={editing.product}
          barcode={editing.barcode}
          currency={currency}
          onCancel={() => setEditing(null)}
          onDone={(p) => {
            setEditing(null);
            setNotice(t('list.saved', { name: p.name }));
            refresh();
          }}
        />
      ) : null}
    </div>
  );
}
