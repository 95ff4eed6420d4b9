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

export type BulkFileRows = { ok: true; rows: { reference: string; amount?: string }[] } | { ok: false; error: 'noReference' | 'empty' };

export function bulkRowsOf(text: string): BulkFileRows {
  const table = parseCsv(text.replace(/^\uFEFF/, ''));
  if (table.length < 2) return { ok: false, error: 'empty' };
  const header = table[0]!.map((h) => h.trim().toLowerCase());
  const ref = header.indexOf('reference');
  const amount = header.indexOf('amount');
  if (ref < 0) return { ok: false, error: 'noReference' };
  return {
    ok: true,
    rows: table.slice(1).map((r) => {
      const a = amount >= 0 ? (r[amount] ?? '').trim() : '';
      return { reference: (r[ref] ?? '').trim(), ...(a ? { amount: a } : {}) };
    }),
  };
}
