import type { Product } from '../../../shared/contract';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/** The catalog's rows (ledger migration 013) and the queries search and scans run. */

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  name_key: string;
  price: number;
  currency: string;
  tax_rate_bp: number;
  active: number;
  created_at: string;
  created_by_name: string;
  updated_at: string;
}

/** The key a name is searched by: case and accents folded the same way for the row and the query. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en-US').trim();
}

export function barcodesOf(db: Db, productId: string): string[] {
  return (stmt(db, 'SELECT barcode FROM product_barcodes WHERE product_id = ? ORDER BY position').all(productId) as { barcode: string }[]).map((r) => r.barcode);
}

export function toProduct(db: Db, row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    price: row.price,
    currency: row.currency,
    taxRateBp: row.tax_rate_bp,
    barcodes: barcodesOf(db, row.id),
    active: row.active === 1,
    updatedAt: row.updated_at,
  };
}

export function productRow(db: Db, id: string): ProductRow | undefined {
  return stmt(db, 'SELECT * FROM products WHERE id = ?').get(id) as ProductRow | undefined;
}

export function productBySku(db: Db, sku: string): ProductRow | undefined {
  return stmt(db, 'SELECT * FROM products WHERE sku = ?').get(sku) as ProductRow | undefined;
}

/** Which product holds a barcode (active or not): a barcode is never on two products. */
export function barcodeOwner(db: Db, barcode: string): string | undefined {
  return (stmt(db, 'SELECT product_id FROM product_barcodes WHERE barcode = ?').get(barcode) as { product_id: string } | undefined)?.product_id;
}

export function productByBarcode(db: Db, barcode: string): ProductRow | undefined {
  return stmt(db, 'SELECT p.* FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode = ?').get(barcode) as ProductRow | undefined;
}

export function insertProduct(db: Db, row: ProductRow): void {
  stmt(
    db,
    `INSERT INTO products (id, sku, name, name_key, price, currency, tax_rate_bp, active, created_at, created_by_name, updated_at)
     VALUES (@id, @sku, @name, @name_key, @price, @currency, @tax_rate_bp, @active, @created_at, @created_by_name, @updated_at)`,
  ).run(row);
}

export function updateProduct(db: Db, row: Pick<ProductRow, 'id' | 'sku' | 'name' | 'name_key' | 'price' | 'currency' | 'tax_rate_bp' | 'active' | 'updated_at'>): void {
  stmt(
    db,
    `UPDATE products SET sku = @sku, name = @name, name_key = @name_key, price = @price, currency = @currency, tax_rate_bp = @tax_rate_bp,
       active = @active, updated_at = @updated_at WHERE id = @id`,
  ).run(row);
}

/** Replaces a product's barcodes; rows that stay are left alone (replication sends only real changes). */
export function setBarcodes(db: Db, productId: string, barcodes: readonly string[]): void {
  const before = barcodesOf(db, productId);
  if (before.length === barcodes.length && before.every((b, i) => b === barcodes[i])) return;
  for (const b of before) if (!barcodes.includes(b)) stmt(db, 'DELETE FROM product_barcodes WHERE barcode = ?').run(b);
  barcodes.forEach((b, position) => {
    stmt(db, `INSERT INTO product_barcodes (barcode, product_id, position) VALUES (?, ?, ?)
      ON CONFLICT (barcode) DO UPDATE SET position = excluded.position WHERE position <> excluded.position`).run(b, productId, position);
  });
}

/** `LIKE` pattern text with its wildcards escaped (ESCAPE '\'). */
function likeText(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Search as you type: an exact barcode first, then SKUs and names starting with the query (index
 * ranges), then names containing it (a scan of the name index in order, stopped at `limit`).
 */
export function searchProducts(db: Db, query: string, opts: { includeInactive: boolean; limit: number }): ProductRow[] {
  const q = query.trim();
  const active = opts.includeInactive ? '' : 'AND active = 1';
  if (!q) return stmt(db, `SELECT * FROM products WHERE 1 ${active} ORDER BY name_key, sku LIMIT ?`).all(opts.limit) as ProductRow[];
  const out = new Map<string, ProductRow>();
  const take = (rows: ProductRow[]) => {
    for (const r of rows) if (out.size < opts.limit && !out.has(r.id)) out.set(r.id, r);
  };
  const byCode = productByBarcode(db, q);
  if (byCode && (opts.includeInactive || byCode.active === 1)) take([byCode]);
  const key = nameKey(q);
  const prefix = `${likeText(q)}%`;
  take(stmt(db, `SELECT * FROM products WHERE sku LIKE ? ESCAPE '\\' ${active} ORDER BY sku LIMIT ?`).all(prefix, opts.limit) as ProductRow[]);
  if (out.size < opts.limit) {
    take(stmt(db, `SELECT p.* FROM product_barcodes b JOIN products p ON p.id = b.product_id WHERE b.barcode >= ? AND b.barcode < ? ${active.replace('active', 'p.active')} ORDER BY b.barcode LIMIT ?`).all(q, `${q}\u{10FFFF}`, opts.limit) as ProductRow[]);
  }
  if (out.size < opts.limit) {
    take(stmt(db, `SELECT * FROM products WHERE name_key >= ? AND name_key < ? ${active} ORDER BY name_key LIMIT ?`).all(key, `${key}\u{10FFFF}`, opts.limit) as ProductRow[]);
  }
  if (out.size < opts.limit) {
    take(stmt(db, `SELECT * FROM products WHERE name_key LIKE ? ESCAPE '\\' ${active} ORDER BY name_key LIMIT ?`).all(`%${likeText(key)}%`, opts.limit) as ProductRow[]);
  }
  return [...out.values()];
}

export function allProducts(db: Db): ProductRow[] {
  return stmt(db, 'SELECT * FROM products ORDER BY sku').all() as ProductRow[];
}
