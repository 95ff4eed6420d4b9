import type { TFunction } from 'i18next';
import type { CurrencyTotals } from '../../../shared/contract/reports';
import { fmtMoney } from '../../lib/format';

/** The operation rows of a currency panel, in their order: the field and its catalogue key. */
export const OP_ROWS: [keyof CurrencyTotals, string][] = [
  ['sales', 'sales'],
  ['authorizations', 'authorizations'],
  ['captures', 'captures'],
  ['voids', 'voids'],
  ['refunds', 'refunds'],
  ['cashSales', 'cashSales'],
  ['cashRefunds', 'cashRefunds'],
];

/** A report figure's section and key (the core's machine names) as the screen reads them. */
const SECTION_KEY: Record<string, string> = { operations: 'operations', brand: 'brand', user: 'user', channel: 'channel', drawer: 'drawer' };
const FIGURE_KEY: Record<string, string> = {
  sales: 'sales',
  authorizations: 'authorizations',
  captures: 'captures',
  voids: 'voids',
  refunds: 'refunds',
  cash_sales: 'cashSales',
  cash_refunds: 'cashRefunds',
  taken: 'taken',
  refunded: 'refunded',
  net: 'net',
  'cash in': 'cashIn',
  'cash out': 'cashOut',
  expected: 'expected',
};

export function sectionLabel(t: TFunction, section: string): string {
  const key = SECTION_KEY[section];
  return key ? t(`reports:section.${key}`) : section;
}

/** A figure's name; a breakdown's ("Visa taken") keeps its label and translates the figure. */
export function figureLabel(t: TFunction, figure: string): string {
  const key = FIGURE_KEY[figure];
  if (key) return t(`reports:figure.${key}`);
  const m = /^(.*) (taken|refunded|net)$/.exec(figure);
  return m ? t(`reports:figure.of.${m[2]}`, { label: m[1] }) : figure;
}

/** "+KWD 1.250" / "−KWD 1.250": a difference, its sign where the locale puts it. */
export function signed(amount: number, currency: string): string {
  return fmtMoney(amount, currency, 'always');
}
