import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TAX_EXAMPLES } from '../../lib/format';
import type { Product } from '../../../shared/contract';
import { money, parseAmount, parseTaxRate, toInputString } from '../../../shared/money';
import { call } from '../../lib/api';
import { amountProblem, describeError, fieldErrors } from '../../lib/error-text';
import { asApiError } from '../../lib/api';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { priceText, taxText } from './catalog-csv';

/** Add or change one product: SKU, name, price in the shop currency, tax rate, barcodes. */
export function ProductForm({ product, currency, barcode, onDone, onCancel }: { product: Product | null; currency: string; barcode?: string | null; onDone: (p: Product) => void; onCancel: () => void }) {
  const { t } = useTranslation('catalog');
  const [sku, setSku] = useState(product?.sku ?? '');
  const [name, setName] = useState(product?.name ?? '');
  const [price, setPrice] = useState(product ? priceText(product) : '');
  const [tax, setTax] = useState(product ? taxText(product.taxRateBp) : '0');
  const [barcodes, setBarcodes] = useState(product?.barcodes.join(' ') ?? barcode ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const e: Record<string, string> = {};
    if (!sku.trim()) e.sku = t('form.required');
    if (!name.trim()) e.name = t('form.required');
    let minor = 0;
    try {
      minor = parseAmount(price, currency).amount;
    } catch (err) {
      e.price = price.trim() ? amountProblem(err, currency) : t('form.required');
    }
    let bp = 0;
    try {
      bp = tax.trim() ? parseTaxRate(tax) : 0;
    } catch {
      e.taxRate = t('form.badTax', TAX_EXAMPLES);
    }
    setErrors(e);
    setFailure(null);
    if (Object.keys(e).length) return;
    setBusy(true);
    try {
      const saved = await call('catalog.save', { ...(product ? { id: product.id } : {}), sku: sku.trim(), name: name.trim(), price: minor, taxRateBp: bp, barcodes: barcodes.split(/[\s|,]+/).filter(Boolean) });
      onDone(saved);
    } catch (err) {
      const api = asApiError(err);
      if (api.code === 'CONFLICT' && api.fields.sku) setErrors({ sku: t('form.skuTaken') });
      else if (api.code === 'CONFLICT' && api.fields.barcodes) setErrors({ barcodes: t('form.barcodeTaken', { detail: api.message }) });
      else if (Object.keys(fieldErrors(err)).length) setErrors(fieldErrors(err));
      else setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog labelledBy="product-form-title" className="dialog product-dialog" onCancel={onCancel} onSubmitShortcut={() => void save()}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 id="product-form-title" className="dialog-title">
          {product ? t('form.editTitle', { sku: product.sku }) : t('form.addTitle')}
        </h2>
        <div className="product-fields">
          <Field label={t('form.sku')} error={errors.sku}>
            <input className="input" dir="ltr" value={sku} maxLength={64} onChange={(e) => setSku(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
          </Field>
          <Field label={t('form.name')} error={errors.name}>
            <input className="input" dir="auto" value={name} maxLength={150} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          </Field>
          <Field label={t('form.price', { currency })} error={errors.price}>
            <input className="input num" inputMode="decimal" value={price} placeholder={toInputString(money(0, currency))} onChange={(e) => setPrice(e.target.value)} autoComplete="off" />
          </Field>
          <Field label={t('form.taxRate')} error={errors.taxRate}>
            <input className="input num" inputMode="decimal" value={tax} onChange={(e) => setTax(e.target.value)} autoComplete="off" />
          </Field>
          <Field label={t('form.barcodes')} hint={t('form.barcodesHint')} error={errors.barcodes}>
            <input className="input" dir="ltr" value={barcodes} onChange={(e) => setBarcodes(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
        </div>
        {failure ? <Alert tone="danger">{failure}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={onCancel}>{t('form.cancel')}</Button>
          <Button type="submit" variant="primary" busy={busy} shortcut="Ctrl+Enter">
            {t('form.save')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
