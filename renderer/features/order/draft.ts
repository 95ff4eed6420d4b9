import type { InputOf } from '../../../shared/contract';
import { TAX_EXAMPLES } from '../../lib/format';
import i18next from 'i18next';
import { amountProblem } from '../../lib/error-text';
import { orderTotals, type LineInput, type LineTotals, type OrderTotals } from '../../../shared/domain/order-totals';
import { parseAmount, parseTaxRate } from '../../../shared/money';
import { asciiDigits } from '../../../shared/domain/digits';

export interface DraftLine {
  key: string;
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  /**
   * Filled from the catalog: the product and its name then (price and tax were copied into the
   * fields above). The line is that product's while its description is still that name.
   */
  productId?: string;
  sku?: string;
  productName?: string;
}

/** The catalog product this line is, if any: chosen or scanned, description not typed over since. */
export function lineProduct(l: DraftLine): { productId: string; sku: string } | null {
  return l.productId && l.description.trim() === l.productName ? { productId: l.productId, sku: l.sku ?? '' } : null;
}

let seq = 0;
export function newLine(taxRate = '0', init: Partial<Omit<DraftLine, 'key'>> = {}): DraftLine {
  seq += 1;
  return { key: `l${seq}`, description: '', quantity: '1', unitPrice: '', taxRate, ...init };
}

export function isBlank(l: DraftLine): boolean {
  return !l.description.trim() && !l.unitPrice.trim();
}

export interface ParsedLines {
  lines: LineInput[];
  /** "lines.<index>.<field>" → message, index of the draft line. */
  errors: Record<string, string>;
  totals: OrderTotals;
  /** Per draft row: its totals, or null when blank or not valid yet. */
  rowTotals: (LineTotals | null)[];
}

let last: { drafts: readonly DraftLine[]; currency: string; language: string; parsed: ParsedLines } | null = null;

/**
 * Reads the typed lines with the shared money and tax parsers; blank rows are ignored. The lines,
 * the totals box and the tender fields each ask for the same lines in one render (a scan: four
 * parses of every line); the store replaces the array on any change, so the last answer is kept.
 * Read-only for callers.
 */
export function parseLines(drafts: readonly DraftLine[], currency: string): ParsedLines {
  const language = i18next.language;
  if (last && last.drafts === drafts && last.currency === currency && last.language === language) return last.parsed;
  const parsed = parseLinesNow(drafts, currency);
  last = { drafts, currency, language, parsed };
  return parsed;
}

/** A quantity as typed: whole digits only, Latin or Arabic-Indic; null for anything else. */
export function parseQuantity(text: string): number | null {
  const t = asciiDigits(text.trim());
  return /^\d+$/.test(t) ? Number(t) : null;
}

function parseLinesNow(drafts: readonly DraftLine[], currency: string): ParsedLines {
  const lines: LineInput[] = [];
  const errors: Record<string, string> = {};
  const rowOf: number[] = [];
  drafts.forEach((d, i) => {
    if (isBlank(d)) return;
    let ok = true;
    const description = d.description.trim();
    if (!description) {
      errors[`lines.${i}.description`] = i18next.t('order:lines.describe');
      ok = false;
    }
    const quantity = parseQuantity(d.quantity) ?? 0;
    if (quantity < 1 || quantity > 1_000_000) {
      errors[`lines.${i}.quantity`] = i18next.t('order:lines.wholeNumber', { min: 1 });
      ok = false;
    }
    let unitPrice = 0;
    try {
      unitPrice = parseAmount(d.unitPrice, currency).amount;
    } catch (e) {
      errors[`lines.${i}.unitPrice`] = d.unitPrice.trim() ? amountProblem(e, currency) : i18next.t('order:lines.enterPrice');
      ok = false;
    }
    let taxRateBp = 0;
    try {
      taxRateBp = d.taxRate.trim() ? parseTaxRate(d.taxRate) : 0;
    } catch {
      errors[`lines.${i}.taxRate`] = i18next.t('order:lines.taxFormat', TAX_EXAMPLES);
      ok = false;
    }
    if (ok) {
      lines.push({ description, quantity, unitPrice, taxRateBp, ...lineProduct(d) });
      rowOf.push(i);
    }
  });
  let totals: OrderTotals;
  try {
    totals = orderTotals(currency, lines);
  } catch {
    totals = orderTotals(currency, []);
    errors.total = i18next.t('order:lines.tooLarge');
  }
  const rowTotals: (LineTotals | null)[] = drafts.map(() => null);
  rowOf.forEach((row, k) => {
    rowTotals[row] = totals.lines[k] ?? null;
  });
  return { lines, errors, totals, rowTotals };
}

export type CustomerInputT = NonNullable<InputOf<'orders.create'>['newCustomer']>;
