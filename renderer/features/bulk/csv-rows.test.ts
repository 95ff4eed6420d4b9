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
  });
});
