import { describe, expect, it } from 'vitest';
import { orderTotals } from '../../shared/domain/order-totals';
import { LINE_AMOUNT_HEADING, lineNets } from './line-amounts';

describe('line amounts: one rule on screen, receipt and report (issue #13 item 9)', () => {
  const lines = [
    { description: 'Secateurs', quantity: 1, unitPrice: 2_500, taxRateBp: 825 },
    { description: 'Twine', quantity: 3, unitPrice: 199, taxRateBp: 0 },
  ];

  it('a line shows its net: 25.00 at 8.25 % tax is 25.00, not 27.06', () => {
    expect(lineNets('USD', lines)).toEqual([2_500, 597]);
    expect(LINE_AMOUNT_HEADING).toMatch(/before tax/);
  });

  it('the lines add up to the order\'s Net; tax is shown once, in the totals', () => {
    const t = orderTotals('USD', lines);
    expect(lineNets('USD', lines).reduce((a, b) => a + b, 0)).toBe(t.net.amount);
    expect(t.tax.amount).toBe(206);
    expect(t.total.amount).toBe(2_500 + 597 + 206);
  });
});
