import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../shared/money';
import { useTestLanguage } from '../i18n/test-i18n';
import { amountProblem } from './error-text';

const problemOf = (text: string, currency: string) => {
  try {
    parseAmount(text, currency);
  } catch (e) {
    return amountProblem(e, currency);
  }
  throw new Error(`${text} parsed`);
};

describe('why typed text is not an amount', () => {
  it('too many decimals says how many the currency has (the message is written in plural forms), in both languages', async () => {
    await useTestLanguage('en', 'latn');
    expect(problemOf('1.2345', 'KWD')).toBe('KWD has at most 3 decimals');
    expect(problemOf('1.2345', 'USD')).toBe('USD has at most 2 decimals');
    expect(problemOf('abc', 'USD')).toBe(problemOf('1..2', 'USD'));
    await useTestLanguage('ar', 'arab');
    expect(problemOf('1.2345', 'KWD')).toContain('KWD');
    expect(problemOf('1.2345', 'KWD')).not.toBe(problemOf('abc', 'KWD'));
  });
});
