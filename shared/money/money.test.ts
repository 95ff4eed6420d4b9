import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, money, parseAmount, toDecimalString, MoneyError, add, subtract, taxOn, parseTaxRate } from './index';

describe('currency exponents', () => {
  it('follows ISO 4217', () => {
    for (const c of ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']) expect(currencyExponent(c)).toBe(3);
    for (const c of ['JPY', 'KRW', 'CLP', 'VND', 'ISK']) expect(currencyExponent(c)).toBe(0);
    for (const c of ['USD', 'EUR', 'AED', 'SAR', 'GBP']) expect(currencyExponent(c)).toBe(2);
    expect(currencyExponent('CLF')).toBe(4);
  });
  it('refuses unknown codes', () => {
    expect(() => currencyExponent('XYZ')).toThrow(/Unknown currency/);
    expect(() => currencyExponent('usd')).toThrow();
  });
});

describe('parseAmount', () => {
  const cases: [string, string, number][] = [
    ['12.5', 'USD', 1250],
    ['12,50', 'USD', 1250],
    ['12', 'USD', 1200],
    ['0.01', 'USD', 1],
    ['.5', 'USD', 50],
    ['1.250', 'KWD', 1250],
    ['1,250', 'KWD', 1250],
    ['1.250', 'USD', 125000],
    ['1,234.56', 'USD', 123456],
    ['1.234,56', 'EUR', 123456],
    ['1 234,56', 'EUR', 123456],
    ['1,234,567', 'USD', 123456700],
    ['1250', 'JPY', 1250],
    ['1,250', 'JPY', 1250],
    ['12.345', 'BHD', 12345],
    ['0', 'USD', 0],
    ['007.10', 'USD', 710],
  ];
  it.each(cases)('%s %s -> %i', (input, cur, minor) => {
    expect(parseAmount(input, cur)).toEqual({ amount: minor, currency: cur });
  });
  const bad: [string, string, MoneyError['code']][] = [
    ['12.5', 'JPY', 'TOO_MANY_DECIMALS'],
    ['1.2345', 'KWD', 'TOO_MANY_DECIMALS'],
    ['abc', 'USD', 'INVALID_AMOUNT'],
    ['', 'USD', 'INVALID_AMOUNT'],
    ['-5', 'USD', 'NEGATIVE_AMOUNT'],
    ['1e3', 'USD', 'INVALID_AMOUNT'],
    ['1,2,3', 'USD', 'INVALID_AMOUNT'],
    ['1.234.56,7', 'EUR', 'INVALID_AMOUNT'],
    ['1,234.56.7', 'USD', 'INVALID_AMOUNT'],
    ['100000000000', 'USD', 'AMOUNT_TOO_LARGE'],
  ];
  it.each(bad)('refuses %s %s with %s', (input, cur, code) => {
    try {
      parseAmount(input, cur);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MoneyError);
      expect((e as MoneyError).code).toBe(code);
    }
  });
  it('three digits after one mark in a 2-decimal currency are thousands', () => {
    // three digits after a single mark in a 2-decimal currency read as thousands: 12345.00
    // so "12.345" is 12,345.00 USD; the case above expects grouping to need a 1-3 digit head.
    expect(parseAmount('12.345', 'USD').amount).toBe(1234500);
  });
});

describe('amounts typed with Arabic-Indic digits', () => {
  it('reads both digit sets and the Arabic marks', () => {
    expect(parseAmount('١٫٢٥٠', 'KWD').amount).toBe(1250);
    expect(parseAmount('۱۲٫۵۰', 'USD').amount).toBe(1250);
    expect(parseAmount('١٬٢٣٤٫٥٦', 'USD').amount).toBe(123456);
    expect(parseAmount('\u200f١٢،٥', 'EUR').amount).toBe(1250);
    expect(parseAmount('1٢3', 'JPY').amount).toBe(123);
    expect(() => parseAmount('١٫٢٣٤٥', 'KWD')).toThrow(/at most 3 decimals/);
  });
  it('formats KWD with three decimals in Arabic, in either digit set', () => {
    expect(formatMoney(money(1250, 'KWD'), 'ar-u-nu-latn')).toContain('1.250');
    expect(formatMoney(money(1250, 'KWD'), 'ar-u-nu-arab')).toContain('١٫٢٥٠');
    expect(formatMoney(money(1250, 'KWD'), 'ar-u-nu-arab')).toContain('KWD');
  });
});

describe('format', () => {
  it('keeps every decimal and the currency', () => {
    expect(formatMoney(money(1250, 'KWD'))).toBe('KWD\u00a01.250');
    expect(formatMoney(money(1250, 'USD'))).toBe('USD\u00a012.50');
    expect(formatMoney(money(1250, 'JPY'))).toBe('JPY\u00a01,250');
    expect(formatMoney(money(123456789012, 'USD'))).toBe('USD\u00a01,234,567,890.12');
    expect(toDecimalString(money(5, 'BHD'))).toBe('0.005');
    expect(toDecimalString(money(-5, 'USD'))).toBe('-0.05');
  });
  it('never mixes currencies', () => {
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(/Cannot combine/);
    expect(subtract(money(10, 'USD'), money(3, 'USD')).amount).toBe(7);
    expect(() => money(1.5, 'USD')).toThrow(/integer/);
  });
});

describe('tax', () => {
  it('rounds half away from zero per line in integers', () => {
    expect(taxOn(money(1000, 'USD'), 500).amount).toBe(50);
    expect(taxOn(money(999, 'USD'), 775).amount).toBe(77); // 77.4225
    expect(taxOn(money(10, 'USD'), 500).amount).toBe(1); // 0.5 -> 1
    expect(taxOn(money(1, 'KWD'), 5000).amount).toBe(1); // 0.5 -> 1
    expect(parseTaxRate('7.75')).toBe(775);
    expect(parseTaxRate('15%')).toBe(1500);
    expect(() => parseTaxRate('abc')).toThrow();
  });

  it('reads a tax rate typed with Arabic-Indic digits, decimal mark and percent sign', () => {
    expect(parseTaxRate('٥')).toBe(500);
    expect(parseTaxRate('٧٫٧٥')).toBe(775);
    expect(parseTaxRate('١٥ ٪')).toBe(1500);
    expect(parseTaxRate('۵')).toBe(500); // Extended Arabic-Indic
    expect(() => parseTaxRate('٥٫٧٥٥')).toThrow();
  });
});
