import type { Migration } from './migration';

// Owned by the catalog feature (electron/core/catalog, README "Product catalog"). A product's price
// is integer minor units of `currency` (the shop's currency when it was saved) and its tax rate is
// basis points, the same as an order line's (shared/domain/order-totals.ts). An order line copies
// price and tax when it is sold, so changing a product never changes an order already made.
// SKUs are unique whatever their case; a barcode belongs to one product at most (its own table, so
// the ledger itself refuses a barcode on two products). Products are never deleted: deactivated.
export const CATALOG: Migration = {
  name: 'catalog',
  up: `
    CREATE TABLE products (
      id TEXT PRIMARY KEY,
      sku TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 150),
      -- Lower-cased name for search as you type (an index range, then a bounded scan).
      name_key TEXT NOT NULL,
      price INTEGER NOT NULL CHECK (price >= 0),
      currency TEXT NOT NULL,
      tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 100000),
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX products_name ON products(name_key);

    CREATE TABLE product_barcodes (
      barcode TEXT PRIMARY KEY,
      product_id TEXT NOT NULL REFERENCES products(id),
      position INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX product_barcodes_product ON product_barcodes(product_id, position);
  `,
};
