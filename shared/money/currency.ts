// ISO 4217 minor-unit exponents: the one table every amount on both sides is read through.
// Codes not listed here have 2 decimals. Source: ISO 4217 (and the APS WooCommerce plugin's table,
// docs/aps-gateway.md §7, which agrees on every code it lists).
const EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  // three decimals
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // four decimals
  CLF: 4, UYW: 4,
  // no decimals
  BIF: 0, BYR: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
};

/** Every ISO 4217 code the JavaScript engine knows, plus the ones in the table above. */
const KNOWN: ReadonlySet<string> = new Set([
  ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : []),
  ...Object.keys(EXPONENT_EXCEPTIONS),
  'USD', 'EUR', 'GBP', 'AED', 'SAR', 'QAR', 'EGP',
]);

export type CurrencyCode = string & { readonly __currency?: never };

export function isCurrencyCode(code: string): code is CurrencyCode {
  return /^[A-Z]{3}$/.test(code) && KNOWN.has(code);
}

/** Number of minor-unit digits of a currency (2 for USD, 3 for KWD, 0 for JPY). */
export function currencyExponent(code: string): number {
  if (!isCurrencyCode(code)) throw new RangeError(`Unknown currency code "${code}"`);
  return EXPONENT_EXCEPTIONS[code] ?? 2;
}

/** The gateway's limit: amount is at most 10 digits in minor units (docs/aps-gateway.md §2.1). */
export const MAX_MINOR_UNITS = 9_999_999_999;
