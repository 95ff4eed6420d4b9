import { money, taxOn, type Money } from '../money';

export interface LineInput {
  description: string;
  /** Whole units. */
  quantity: number;
  /** Minor units of the order's currency. */
  unitPrice: number;
  /** Basis points: 500 = 5 %. */
  taxRateBp: number;
  /** The catalog product it was filled from (price and tax are copied: what it was sold at). */
  productId?: string;
  sku?: string;
}

export interface LineTotals {
  net: Money;
  tax: Money;
  gross: Money;
}

export interface OrderTotals {
  net: Money;
  tax: Money;
  total: Money;
  lines: LineTotals[];
}

/**
 * The one rounding rule for orders, used by the screen (live totals) and by the core (what is
 * charged): net = quantity x unit price; tax per line on its net, rounded half away from zero to the
 * minor unit; totals are sums of the lines. Prices are tax-exclusive.
 */
export function orderTotals(currency: string, lines: readonly LineInput[]): OrderTotals {
  let net = 0;
  let tax = 0;
  const out: LineTotals[] = [];
  for (const line of lines) {
    const lineNet = money(line.quantity * line.unitPrice, currency);
    const lineTax = taxOn(lineNet, line.taxRateBp);
    out.push({ net: lineNet, tax: lineTax, gross: money(lineNet.amount + lineTax.amount, currency) });
    net += lineNet.amount;
    tax += lineTax.amount;
  }
  return { net: money(net, currency), tax: money(tax, currency), total: money(net + tax, currency), lines: out };
}
