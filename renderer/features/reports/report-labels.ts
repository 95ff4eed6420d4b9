import i18next, { type TFunction } from 'i18next';
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

/**
 * A breakdown row's name: a channel, or cash and an unknown brand, in the screen's language; a
 * card brand (Visa, mada) or a person's name as the core gives it.
 */
export function rowLabel(t: TFunction, section: string, key: string, label: string): string {
  const id = `reports:rowLabel.${section}.${key}`;
  return (section === 'channel' || section === 'brand') && i18next.exists(id) ? t(id) : label;
}

/** The core's English labels of translated rows, for figures that name a row by its label only. */
const KEY_OF_LABEL: Record<string, Record<string, string>> = {
  channel: { Phone: 'phone', Mail: 'mail', Counter: 'counter' },
  brand: { Cash: 'CASH', 'Card (brand unknown)': 'UNKNOWN' },
};

/** A figure's name; a breakdown's ("Visa taken") translates the figure, and the row as rowLabel does. */
export function figureLabel(t: TFunction, figure: string, section = ''): string {
  const key = FIGURE_KEY[figure];
  if (key) return t(`reports:figure.${key}`);
  const m = /^(.*) (taken|refunded|net)$/.exec(figure);
  if (!m) return figure;
  const label = m[1]!;
  return t(`reports:figure.of.${m[2]}`, { label: rowLabel(t, section, KEY_OF_LABEL[section]?.[label] ?? label, label) });
}

/** "+KWD 1.250" / "−KWD 1.250": a difference, its sign where the locale puts it. */
export function signed(amount: number, currency: string): string {
  return fmtMoney(amount, currency, 'always');
}
