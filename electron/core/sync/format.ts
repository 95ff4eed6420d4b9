import { currencyExponent } from '../../../shared/money/currency';

/** "USD 12.50" from minor units, for messages stored in the ledger (no locale, no floats). */
export function fmtMinor(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return `${currency} ${amount}`;
  const s = String(Math.abs(amount)).padStart(exp + 1, '0');
  return `${amount < 0 ? '-' : ''}${currency} ${s.slice(0, -exp)}.${s.slice(-exp)}`;
}
