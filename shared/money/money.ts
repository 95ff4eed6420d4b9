import { currencyExponent, isCurrencyCode, MAX_MINOR_UNITS, type CurrencyCode } from './currency';
import { asciiDigits } from '../domain/digits';

/** An amount in integer minor units with its currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}

export class MoneyError extends Error {
  constructor(
    readonly code: 'INVALID_AMOUNT' | 'TOO_MANY_DECIMALS' | 'AMOUNT_TOO_LARGE' | 'NEGATIVE_AMOUNT' | 'CURRENCY_MISMATCH' | 'UNKNOWN_CURRENCY',
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function money(amount: number, currency: string): Money {
  if (!isCurrencyCode(currency)) throw new MoneyError('UNKNOWN_CURRENCY', `Unknown currency code "${currency}"`);
  if (!Number.isSafeInteger(amount)) throw new MoneyError('INVALID_AMOUNT', `Amount must be an integer number of minor units, got ${amount}`);
  return { amount, currency };
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError('CURRENCY_MISMATCH', `Cannot combine ${a.currency} with ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function sum(currency: string, items: readonly Money[]): Money {
  return items.reduce((acc, m) => add(acc, m), zero(currency));
}

const GROUPING = /[\s\u00a0\u202f'’_\u066c]/g;
/** Direction marks a copied Arabic amount may carry (LRM, RLM, ALM, isolates). */
const BIDI_MARKS = /[\u200e\u200f\u061c\u2066-\u2069]/g;

/**
 * Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII, the Arabic decimal mark (٫)
 * as "." and the Arabic comma (،) as ",": a desk may type with either digit set.
 */
export function toLatinDigits(input: string): string {
  return asciiDigits(input.replace(BIDI_MARKS, ''))
    .replace(/\u066b/g, '.')
    .replace(/\u060c/g, ',');
}

/**
 * Reads an amount as a person types it: "12.5", "12,50", "1 234,56", "1,234.56", "1.250" (KWD: one
 * dinar two hundred fifty fils; USD: one thousand two hundred fifty). A single separator followed by
 * at most the currency's number of decimals is the decimal mark; a separator followed by exactly three
 * digits in a currency with fewer decimals is a thousands separator. Arabic-Indic digits and the
 * Arabic decimal and thousands marks are read too ("١٫٢٥٠"). Exact: no floating point.
 */
export function parseAmount(input: string, currency: string): Money {
  const exponent = currencyExponent(currency);
  const text = toLatinDigits(input).replace(GROUPING, '').trim();
  if (text.startsWith('-')) throw new MoneyError('NEGATIVE_AMOUNT', 'Amount cannot be negative');
  if (!/^[0-9.,]+$/.test(text) || !/[0-9]/.test(text)) {
    throw new MoneyError('INVALID_AMOUNT', `"${input}" is not an amount`);
  }
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let whole = text;
  let fraction = '';
  if (lastDot >= 0 || lastComma >= 0) {
    const decimalAt = Math.max(lastDot, lastComma);
    const decimalMark = text[decimalAt] as '.' | ',';
    const groupMark = decimalMark === '.' ? ',' : '.';
    const marksOfSameKind = text.split(decimalMark).length - 1;
    const mixed = lastDot >= 0 && lastComma >= 0;
    const after = text.slice(decimalAt + 1);
    const isGroupingOnly =
      !mixed && (marksOfSameKind > 1 || (after.length === 3 && exponent < 3));
    if (isGroupingOnly) {
      whole = readGrouped(text, decimalMark, input);
    } else {
      if (mixed && text.slice(0, decimalAt).includes(decimalMark)) {
        throw new MoneyError('INVALID_AMOUNT', `"${input}" is not an amount`);
      }
      whole = readGrouped(text.slice(0, decimalAt) || '0', groupMark, input);
      fraction = after;
      if (fraction.length === 0) fraction = '';
      if (!/^[0-9]*$/.test(fraction)) throw new MoneyError('INVALID_AMOUNT', `"${input}" is not an amount`);
      if (fraction.length > exponent) {
        throw new MoneyError(
          'TOO_MANY_DECIMALS',
          exponent === 0 ? `${currency} has no decimals` : `${currency} has at most ${exponent} decimals`,
        );
      }
    }
  }
  const digits = (whole.replace(/^0+(?=\d)/, '') + fraction.padEnd(exponent, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_MINOR_UNITS).length || Number(digits) > MAX_MINOR_UNITS) {
    throw new MoneyError('AMOUNT_TOO_LARGE', `Amount is larger than the gateway accepts`);
  }
  return money(Number(digits), currency);
}

function readGrouped(text: string, mark: string, input: string): string {
  const parts = text.split(mark);
  if (parts.length === 1) {
    if (!/^[0-9]+$/.test(text)) throw new MoneyError('INVALID_AMOUNT', `"${input}" is not an amount`);
    return text;
  }
  const [head, ...groups] = parts;
  if (!head || !/^[0-9]{1,3}$/.test(head) || groups.some((g) => !/^[0-9]{3}$/.test(g))) {
    throw new MoneyError('INVALID_AMOUNT', `"${input}" is not an amount`);
  }
  return parts.join('');
}

/** Exact decimal text of an amount, "1234.500" for 1234500 KWD; no grouping, "." as the mark. */
export function toDecimalString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const negative = m.amount < 0;
  const digits = String(Math.abs(m.amount)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * "KWD 1.250", "$12.50": formatted with Intl from the exact decimal string (Intl reads strings
 * exactly), always with the currency and its full number of decimals.
 */
export function formatMoney(m: Money, locale = 'en-US', display: 'symbol' | 'code' = 'code', signDisplay: 'auto' | 'exceptZero' = 'auto'): string {
  const exponent = currencyExponent(m.currency);
  const key = `${locale}|${m.currency}|${display}|${signDisplay}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      currencyDisplay: display,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
      signDisplay,
    });
    formatters.set(key, f);
  }
  // Intl.NumberFormat.format accepts a decimal string and formats it exactly (ES2023 NumberFormat v3).
  return f.format(toDecimalString(m) as unknown as number);
}

/** Text for an amount input: "12.50" for 1250 USD, without currency or grouping. */
export function toInputString(m: Money): string {
  return toDecimalString(m);
}
