import { orderTotals, type LineInput } from '../../shared/domain/order-totals';
import { i18next } from '../i18n';

/**
 * One rule for what a line shows, on the order screen, the transaction screen and the receipt:
 * its net (quantity × unit price, before tax). Prices are tax-exclusive (shared/domain/order-totals),
 * so tax is shown once, in the totals, and the lines add up to the Net total.
 */
export function lineAmountHeading(lng?: string): string {
  return i18next.t('printing:lines.netBeforeTax', lng ? { lng } : undefined);
}

/** The English heading, for screens not yet reading the catalogues. Prefer lineAmountHeading(). */
export const LINE_AMOUNT_HEADING = 'Net (before tax)';

/** Each line's net, by the shared rounding rule. */
export function lineNets(currency: string, lines: readonly LineInput[]): number[] {
  return orderTotals(currency, lines).lines.map((l) => l.net.amount);
}
