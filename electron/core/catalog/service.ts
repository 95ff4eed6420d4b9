import type { z } from 'zod';
import { ContractError, coreText, type ImportPreviewSchema, type ImportResultSchema, type ParsedInputOf, type Product } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';
import { newId, tx } from '../ledger/sql';
import { readCatalogCsv, type ImportProblem, type ParsedRow } from './import-file';
import {
  allProducts, barcodeOwner, barcodesOf, insertProduct, nameKey, productBySku, productByBarcode, productRow, searchProducts, setBarcodes, toProduct, updateProduct, type ProductRow,
} from './products-repo';

export interface Actor {
  id: string;
  name: string;
}

type Preview = z.output<typeof ImportPreviewSchema>;
type ImportResult = z.output<typeof ImportResultSchema>;
type Fields = { sku: string; name: string; price: number; taxRateBp: number; barcodes: string[]; active: boolean };

/** What a row of a file would do to the product it names (by SKU). */
interface Judged {
  row: ParsedRow;
  action: 'add' | 'update' | 'same' | 'refused';
  problems: ImportProblem[];
  existing: ProductRow | undefined;
}

/** The product catalog: admins add, change, deactivate, import; clerks search and scan. */
export class CatalogService {
  constructor(private readonly deps: CoreDeps) {}

  private get currency(): string {
    return this.deps.settings.get().currency;
  }

  search(input: ParsedInputOf<'catalog.search'>): Product[] {
    return searchProducts(this.deps.db, input.query, { includeInactive: input.includeInactive, limit: input.limit }).map((r) => toProduct(this.deps.db, r));
  }

  /** What a scan adds: only an active product. */
  byBarcode(barcode: string): Product | null {
    const row = productByBarcode(this.deps.db, barcode.trim());
    return row && row.active === 1 ? toProduct(this.deps.db, row) : null;
  }

  all(): Product[] {
    return allProducts(this.deps.db).map((r) => toProduct(this.deps.db, r));
  }

  save(input: ParsedInputOf<'catalog.save'>, actor: Actor): Product {
    const { db } = this.deps;
    const at = this.deps.clock.now().toISOString();
    const product = tx(db, () => {
      const existing = input.id ? productRow(db, input.id) : undefined;
      if (input.id && !existing) throw new ContractError('NOT_FOUND', 'No such product.');
      const sameSku = productBySku(db, input.sku);
      if (sameSku && sameSku.id !== existing?.id) throw new ContractError('CONFLICT', coreText('refuse.skuUsed', { sku: input.sku ?? '', name: sameSku.name }), { sku: 'This SKU is already used by another product' });
      for (const b of input.barcodes) {
        const owner = barcodeOwner(db, b);
        if (owner && owner !== existing?.id) {
          throw new ContractError('CONFLICT', coreText('refuse.barcodeUsed', { barcode: b, name: productRow(db, owner)?.name ?? 'another product' }), { barcodes: `Barcode ${b} is already on another product` });
        }
      }
      const id = existing?.id ?? newId('prd');
      this.write(existing, id, { ...input, active: existing ? existing.active === 1 : true }, at, actor);
      return toProduct(db, productRow(db, id)!);
    });
    auditAs(this.deps, actor, { action: input.id ? 'catalog.update' : 'catalog.add', outcome: 'success', target: product.sku, detail: `${product.name}; ${product.price} ${product.currency}; tax ${product.taxRateBp} bp; barcodes ${product.barcodes.join(' ') || '-'}` });
    return product;
  }

  setActive(id: string, active: boolean, actor: Actor): Product {
    const { db } = this.deps;
    const row = productRow(db, id);
    if (!row) throw new ContractError('NOT_FOUND', 'No such product.');
    if ((row.active === 1) === active) return toProduct(db, row);
    updateProduct(db, { ...row, active: active ? 1 : 0, updated_at: this.deps.clock.now().toISOString() });
    auditAs(this.deps, actor, { action: active ? 'catalog.reactivate' : 'catalog.deactivate', outcome: 'success', target: row.sku, detail: row.name });
    return toProduct(db, productRow(db, id)!);
  }

  preview(csv: string): Preview {
    const { judged, fileProblem } = this.judge(csv);
    const rows = judged.map((j) => ({ line: j.row.line, sku: j.row.sku, name: j.row.name, action: j.action, problems: j.problems }));
    if (fileProblem) rows.unshift({ line: 1, sku: '', name: '', action: 'refused', problems: [fileProblem] });
    const counts = { add: 0, update: 0, same: 0, refused: 0 };
    for (const r of rows) counts[r.action]++;
    return { rows, counts, currency: this.currency };
  }

  /** Judged again inside the transaction that writes, so what is written is what the rules allow now. */
  apply(csv: string, actor: Actor): ImportResult {
    const { db } = this.deps;
    const at = this.deps.clock.now().toISOString();
    const result = tx(db, () => {
      const { judged, fileProblem } = this.judge(csv);
      if (fileProblem) throw new ContractError('VALIDATION', `The file cannot be read: ${fileProblem.detail}`);
      const out = { added: 0, updated: 0, unchanged: 0, refused: 0 };
      for (const j of judged) {
        if (j.action === 'refused') out.refused++;
        else if (j.action === 'same') out.unchanged++;
        else {
          this.write(j.existing, j.existing?.id ?? newId('prd'), j.row.value!, at, actor);
          if (j.action === 'add') out.added++;
          else out.updated++;
        }
      }
      return out;
    });
    auditAs(this.deps, actor, { action: 'catalog.import', outcome: 'success', target: null, detail: `added ${result.added}, updated ${result.updated}, unchanged ${result.unchanged}, refused ${result.refused}` });
    return result;
  }

  private write(existing: ProductRow | undefined, id: string, f: Fields, at: string, actor: Actor): void {
    const { db } = this.deps;
    const row = { id, sku: f.sku, name: f.name, name_key: nameKey(f.name), price: f.price, currency: this.currency, tax_rate_bp: f.taxRateBp, active: f.active ? 1 : 0, updated_at: at };
    if (existing) updateProduct(db, row);
    else insertProduct(db, { ...row, created_at: at, created_by_name: actor.name });
    setBarcodes(db, id, f.barcodes);
  }

  /**
   * Every row against the ledger and the rows above it in the file: a SKU or barcode twice in the
   * file, or a barcode already on another product, refuses the row (naming its line and field).
   */
  private judge(csv: string): { judged: Judged[]; fileProblem: ImportProblem | null } {
    const { db } = this.deps;
    const currency = this.currency;
    const { rows, fileProblem } = readCatalogCsv(csv, currency);
    const skuLine = new Map<string, number>();
    const barcodeSku = new Map<string, string>();
    const judged: Judged[] = [];
    for (const row of rows) {
      const problems = [...row.problems];
      const skuKey = row.sku.toLowerCase();
      const earlier = skuLine.get(skuKey);
      if (row.sku && earlier !== undefined) problems.push({ field: 'sku', code: 'skuTwiceInFile', detail: String(earlier) });
      else if (row.sku) skuLine.set(skuKey, row.line);
      const existing = row.sku ? productBySku(db, row.sku) : undefined;
      for (const b of row.value?.barcodes ?? []) {
        const inFile = barcodeSku.get(b);
        if (inFile !== undefined && inFile !== skuKey) problems.push({ field: 'barcodes', code: 'barcodeTwiceInFile', detail: b });
        barcodeSku.set(b, skuKey);
        const owner = barcodeOwner(db, b);
        if (owner && owner !== existing?.id) problems.push({ field: 'barcodes', code: 'barcodeTaken', detail: `${b} (${productRow(db, owner)?.sku ?? ''})` });
      }
      let action: Judged['action'] = 'refused';
      if (!problems.length && row.value) {
        const v = row.value;
        if (!existing) action = 'add';
        else {
          const same =
            existing.sku === v.sku && existing.name === v.name && existing.price === v.price && existing.currency === currency && existing.tax_rate_bp === v.taxRateBp &&
            (existing.active === 1) === v.active && barcodesOf(db, existing.id).join(' ') === v.barcodes.join(' ');
          action = same ? 'same' : 'update';
        }
      }
      judged.push({ row, action, problems, existing });
    }
    return { judged, fileProblem };
  }
}
