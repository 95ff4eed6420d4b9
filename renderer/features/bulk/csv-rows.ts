/**
 * Reads the bulk file: RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), a header row with
 * a `reference` column and an optional `amount` column (any order, any case). Small enough to keep
 * here rather than add a CSV library to the bundle for two columns.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      if (row.some((c) => c.trim() !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  row.push(cell);
  if (row.some((c) => c.trim() !== '')) rows.push(row);
  return rows;
}

export interface BulkFileRow {
  reference: string;
  amount?: string;
  card?: string;
  currency?: string;
  description?: string;
}

export type BulkFileRows = { ok: true; rows: BulkFileRow[] } | { ok: false; error: 'noReference' | 'noCustomer' | 'noAmount' | 'empty' };

/**
 * Capture / void / refund: `reference` (+ optional `amount`). A bill run ('charge'): `customer`
 * (id or email), `amount`, and optional `card` (id or last 4), `currency`, `description`.
 */
export function bulkRowsOf(text: string, kind: 'capture' | 'void' | 'refund' | 'charge' = 'capture'): BulkFileRows {
  const table = parseCsv(text.replace(/^\uFEFF/, ''));
  if (table.length < 2) return { ok: false, error: 'empty' };
  const header = table[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const ref = kind === 'charge' ? col('customer') : col('reference');
  if (ref < 0) return { ok: false, error: kind === 'charge' ? 'noCustomer' : 'noReference' };
  if (kind === 'charge' && col('amount') < 0) return { ok: false, error: 'noAmount' };
  const optional = kind === 'charge' ? (['amount', 'card', 'currency', 'description'] as const) : (['amount'] as const);
  return {
    ok: true,
    rows: table.slice(1).map((r) => {
      const row: BulkFileRow = { reference: (r[ref] ?? '').trim() };
      for (const name of optional) {
        const i = col(name);
        const v = i >= 0 ? (r[i] ?? '').trim() : '';
        if (v) row[name] = v;
      }
      return row;
    }),
  };
}
