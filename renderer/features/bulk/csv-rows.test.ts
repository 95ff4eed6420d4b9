import { describe, expect, it } from 'vitest';
import { bulkRowsOf, parseCsv } from './csv-rows';

describe('bulk file', () => {
  it('reads quoted cells, doubled quotes, CRLF and a BOM; skips blank lines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n1,2')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '2']]);
    expect(bulkRowsOf('\uFEFFAmount,Reference\n12.50,D1-A-P1\n,D1-B-P1\n')).toEqual({ ok: true, rows: [{ reference: 'D1-A-P1', amount: '12.50' }, { reference: 'D1-B-P1' }] });
  });

  it('says what is wrong with a file it cannot use', () => {
    expect(bulkRowsOf('ref,amount\nA,1')).toEqual({ ok: false, error: 'noReference' });
    expect(bulkRowsOf('reference,amount\n')).toEqual({ ok: false, error: 'empty' });
    expect(bulkRowsOf('reference,amount\nA,1', 'charge')).toEqual({ ok: false, error: 'noCustomer' });
    expect(bulkRowsOf('customer,card\nA,4242', 'charge')).toEqual({ ok: false, error: 'noAmount' });
  });

  it('reads a bill run: customer, amount, and optional card, currency, description', () => {
    expect(bulkRowsOf('Customer,Amount,Card,Description\nada@example.com,12.50,4242,"Box, December"\ncus_1,9.99,,\n', 'charge')).toEqual({
      ok: true,
      rows: [{ reference: 'ada@example.com', amount: '12.50', card: '4242', description: 'Box, December' }, { reference: 'cus_1', amount: '9.99' }],
    });
  });
});
