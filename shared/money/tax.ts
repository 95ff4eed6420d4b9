import { money, toLatinDigits, type Money } from './money';

/**
 * Tax rates are integer basis points (1 bp = 0.01 %): 5 % = 500, 15 % = 1500, 7.75 % = 775.
 * Rounding rule (documented in docs/money.md): tax is computed per line on the line's net amount
 * and rounded half away from zero to the currency's minor unit; the order's tax is the sum of the
 * lines' taxes. Integer arithmetic only.
 */
export function taxOn(net: Money, rateBasisPoints: number): Money {
  if (!Number.isSafeInteger(rateBasisPoints) || rateBasisPoints < 0 || rateBasisPoints > 100_000) {
    throw new RangeError(`Tax rate must be 0..100000 basis points, got ${rateBasisPoints}`);
  }
  const product = BigInt(net.amount) * BigInt(rateBasisPoints);
  const sign = product < 0n ? -1n : 1n;
  const abs = product < 0n ? -product : product;
  const rounded = (abs + 5_000n) / 10_000n;
  return money(Number(sign * rounded), net.currency);
}

/** Parses "5", "7.75", "15,5", "٥٫٥ ٪" (percent) into basis points; at most two decimals. */
export function parseTaxRate(input: string): number {
  const text = toLatinDigits(input).replace(/[%\u066a]/, '').replace(',', '.').trim();
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new RangeError(`"${input}" is not a tax rate`);
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bp > 100_000) throw new RangeError(`Tax rate above 1000 %`);
  return bp;
}

export function formatTaxRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = bp % 100;
  return frac === 0 ? `${whole} %` : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')} %`;
}
