/**
 * Contract constants the screen needs at run time, with no imports: the renderer's first chunk
 * takes them without the contract's schemas (zod), as it takes limits.ts (docs/performance.md,
 * initial JavaScript). The modules that own them re-export them; their schemas check the shapes.
 */

/** The scanner setting a station starts with (ScannerSettings, catalog.ts). */
export const DEFAULT_SCANNER: { enabled: boolean; maxKeyGapMs: number; minLength: number; suffix: 'Enter' | 'Tab' | 'none' } = {
  enabled: true,
  maxKeyGapMs: 35,
  minLength: 4,
  suffix: 'Enter',
};

/** The columns of a catalog import and export file, in this order. */
export const CATALOG_CSV_COLUMNS = ['sku', 'name', 'price', 'tax_rate', 'barcodes', 'active'] as const;

/** What the admin types to confirm going live (after the PIN). */
export const GO_LIVE_CONFIRMATION = 'GO LIVE';

/** The refusal of payment-link expiry settings whose default is outside the shortest and longest. */
export const LINK_EXPIRY_ORDER = 'The default must be between the shortest and the longest expiry';
