import { parse } from 'csv-parse/sync';
import { Barcode, CATALOG_CSV_COLUMNS, ProductName, Sku, type ImportProblemCodeT } from '../../../shared/contract';
import { MoneyError, parseAmount, parseTaxRate } from '../../../shared/money';

/**
 * Reads a catalog CSV file (RFC 4180, parsed by csv-parse: docs/decisions/catalog-and-scanner.md)
 * into rows judged one by one, each field with the same rules as the product form. The file's
 * columns are CATALOG_CSV_COLUMNS, found by name in the header (any order, any case);
 * `barcodes` is a list separated by spaces or `|`; `active` is yes/no (empty = yes).
 */

export interface ImportProblem {
  field: string;
  code: ImportProblemCodeT;
  detail: string;
}

export interface ParsedRow {
  line: number;
  sku: string;
  name: string;
  /** Set when every field read well. */
  value: { sku: string; name: string; price: number; taxRateBp: number; barcodes: string[]; active: boolean } | null;
  problems: ImportProblem[];
}

/** Undo the export's spreadsheet defusing (renderer/lib/csv.ts puts ' before = + - @). */
function cell(s: string | undefined): string {
  const v = (s ?? '').trim();
  return /^'[=+\-@]/.test(v) ? v.slice(1) : v;
}

const YES = new Set(['', 'yes', 'y', 'true', '1', 'active', 'نعم']);
const NO = new Set(['no', 'n', 'false', '0', 'inactive', 'لا']);

export function readCatalogCsv(text: string, currency: string): { rows: ParsedRow[]; fileProblem: ImportProblem | null } {
  let table: string[][];
  let lines: number[];
  try {
    // `info`: each record with the file line it ends on (a bad row is named by its line).
    const records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    table = records.map((r) => r.record);
    lines = records.map((r) => r.info.lines);
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return { rows: [], fileProblem: { field: 'file', code: 'badRow', detail: `${line ? `line ${line}: ` : ''}${(e as Error).message}`.slice(0, 200) } };
  }
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(CATALOG_CSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof CATALOG_CSV_COLUMNS)[number], number>;
  const missing = (['sku', 'name', 'price'] as const).filter((c) => at[c] < 0);
  if (missing.length) return { rows: [], fileProblem: { field: missing.join(', '), code: 'noHeader', detail: `The first line must name the columns: ${CATALOG_CSV_COLUMNS.join(',')}` } };

  const rows: ParsedRow[] = [];
  for (let i = 1; i < table.length; i++) {
    const r = table[i]!;
    const get = (c: (typeof CATALOG_CSV_COLUMNS)[number]) => (at[c] >= 0 ? cell(r[at[c]]) : '');
    const problems: ImportProblem[] = [];
    const sku = Sku.safeParse(get('sku'));
    if (!sku.success) problems.push({ field: 'sku', code: get('sku') ? (get('sku').length > 64 ? 'tooLong' : 'badSku') : 'required', detail: get('sku') });
    const name = ProductName.safeParse(get('name'));
    if (!name.success) problems.push({ field: 'name', code: get('name') ? 'tooLong' : 'required', detail: '' });
    let price = 0;
    try {
      if (!get('price')) problems.push({ field: 'price', code: 'required', detail: '' });
      else price = parseAmount(get('price'), currency).amount;
    } catch (e) {
      if (!(e instanceof MoneyError)) throw e;
      problems.push({ field: 'price', code: 'badPrice', detail: get('price') });
    }
    let taxRateBp = 0;
    try {
      taxRateBp = get('tax_rate') ? parseTaxRate(get('tax_rate')) : 0;
    } catch {
      problems.push({ field: 'tax_rate', code: 'badTax', detail: get('tax_rate') });
    }
    const barcodes = get('barcodes').split(/[\s|]+/).filter(Boolean);
    for (const b of barcodes) if (!Barcode.safeParse(b).success) problems.push({ field: 'barcodes', code: 'badBarcode', detail: b.slice(0, 70) });
    const activeText = get('active').toLowerCase();
    const active = YES.has(activeText) ? true : NO.has(activeText) ? false : null;
    if (active === null) problems.push({ field: 'active', code: 'badActive', detail: get('active') });
    rows.push({
      line: lines[i] ?? i + 1,
      sku: get('sku'),
      name: get('name'),
      value: problems.length ? null : { sku: sku.data!, name: name.data!, price, taxRateBp, barcodes: [...new Set(barcodes)], active: active! },
      problems,
    });
  }
  return { rows, fileProblem: null };
}
