import { z } from 'zod';
import { Currency, Id, IsoTime, MinorUnits } from './schemas';

/** The product catalog (README "Product catalog"); the rules of one product's fields live here once. */

/** What a scanner types or a label carries: printable ASCII, no spaces (EAN/UPC, Code 128, QR text). */
export const Barcode = z.string().trim().regex(/^[\x21-\x7e]{1,64}$/, 'A barcode is 1 to 64 letters, digits or symbols, without spaces');
export const Sku = z.string().trim().min(1, 'Required').max(64).regex(/^[^\s,;|]+$/, 'No spaces, commas, semicolons or bars');
export const ProductName = z.string().trim().min(1, 'Required').max(150);
export const TaxRateBp = z.number().int().min(0).max(100_000);

export const ProductSchema = z.object({
  id: Id,
  sku: z.string(),
  name: z.string(),
  /** Minor units of `currency`. */
  price: MinorUnits,
  currency: Currency,
  /** Basis points, as an order line's (500 = 5 %). */
  taxRateBp: TaxRateBp,
  barcodes: z.array(z.string()),
  active: z.boolean(),
  updatedAt: IsoTime,
});
export type Product = z.infer<typeof ProductSchema>;

/** Add (no id) or change (id) a product; price in minor units of the shop's currency. */
export const ProductInput = z
  .object({
    id: Id.optional(),
    sku: Sku,
    name: ProductName,
    price: MinorUnits,
    taxRateBp: TaxRateBp,
    barcodes: z.array(Barcode).max(20).refine((b) => new Set(b).size === b.length, 'A barcode is listed twice'),
  })
  .strict();

export const ProductSearchInput = z
  .object({
    query: z.string().max(150),
    /** The catalog screen lists inactive products too; an order line never offers them. */
    includeInactive: z.boolean().default(false),
    limit: z.number().int().min(1).max(200).default(10),
  })
  .strict();

/** The import file: CSV text with a header (sku,name,price,tax_rate,barcodes,active); at most 250 kB (the contract's input limit). */
export const CatalogImportInput = z.object({ csv: z.string().min(1).max(250_000) }).strict();

/** Why a row of an import is refused: a field and a code the screen says in its language. */
export const ImportProblemCode = z.enum([
  'required',
  'tooLong',
  'badSku',
  'badPrice',
  'badTax',
  'badBarcode',
  'badActive',
  'skuTwiceInFile',
  'barcodeTwiceInFile',
  'barcodeTaken',
  'badRow',
  'noHeader',
]);
export type ImportProblemCodeT = z.infer<typeof ImportProblemCode>;

export const ImportRowSchema = z.object({
  /** The line of the file (the header is line 1). */
  line: z.number().int().min(1),
  sku: z.string(),
  name: z.string(),
  action: z.enum(['add', 'update', 'same', 'refused']),
  problems: z.array(z.object({ field: z.string(), code: ImportProblemCode, detail: z.string() })),
});

export const ImportPreviewSchema = z.object({
  rows: z.array(ImportRowSchema),
  counts: z.object({ add: z.number().int(), update: z.number().int(), same: z.number().int(), refused: z.number().int() }),
  currency: Currency,
});

export const ImportResultSchema = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  refused: z.number().int(),
});

export { CATALOG_CSV_COLUMNS } from './constants';

/**
 * A keyboard-wedge scanner at this station (station settings, not shop-wide): a run of at least
 * `minLength` characters, each within `maxKeyGapMs` of the one before, ended by `suffix`
 * ('none': by a pause), is a scan; anything slower is typing.
 */
export const ScannerSettings = z.object({
  enabled: z.boolean(),
  maxKeyGapMs: z.number().int().min(5).max(200),
  minLength: z.number().int().min(3).max(64),
  suffix: z.enum(['Enter', 'Tab', 'none']),
});
export type ScannerSettingsT = z.infer<typeof ScannerSettings>;
export { DEFAULT_SCANNER } from './constants';
