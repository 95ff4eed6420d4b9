import type { Product } from '../../../shared/contract';
import { CATALOG_CSV_COLUMNS } from '../../../shared/contract/constants';
import { formatTaxRate, money, toInputString } from '../../../shared/money';
import { csvCell } from '../../lib/csv';

/** The export file, in the import's own columns, so a file exported and imported back changes nothing. */
export function catalogCsv(products: readonly Product[]): string {
  const lines = [CATALOG_CSV_COLUMNS.join(',')];
  for (const p of products) {
    lines.push(
      [p.sku, p.name, toInputString(money(p.price, p.currency)), formatTaxRate(p.taxRateBp).replace(' %', ''), p.barcodes.join('|'), p.active ? 'yes' : 'no'].map(csvCell).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The price field's text for a product (the order line's and the product form's). */
export function priceText(p: Pick<Product, 'price' | 'currency'>): string {
  return toInputString(money(p.price, p.currency));
}

export function taxText(bp: number): string {
  return formatTaxRate(bp).replace(' %', '');
}
