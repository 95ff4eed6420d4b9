import { describe, expect, it } from 'vitest';
import { setup } from '../electron/core/catalog/test-kit';
import { catalogCsv } from '../renderer/features/catalog/catalog-csv';

// The export is written by the screen (renderer/lib/csv.ts, the project's one CSV escaper) and read
// back by the core (csv-parse): the two sides meet only here.
describe('catalog CSV: export then import', () => {
  it('an exported file imports back as unchanged, awkward names and formulas included', async () => {
    const { call } = setup();
    await call('catalog.save', { sku: 'TEA-01', name: 'Green tea', price: 450, taxRateBp: 750, barcodes: ['4006381333931', '9780201379624'] });
    await call('catalog.save', { sku: 'NEG-1', name: '-5 % promo, "quoted"', price: 0, taxRateBp: 0, barcodes: [] });
    await call('catalog.save', { sku: 'EQ-1', name: '=HYPERLINK("x")', price: 1, taxRateBp: 1550, barcodes: ['+123'] });
    const off = await call('catalog.save', { sku: 'AR-1', name: 'شاي أخضر', price: 99999, taxRateBp: 0, barcodes: [] });
    await call('catalog.setActive', { id: off.id, active: false });
    const csv = catalogCsv(await call('catalog.export', {}));
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`); // defused for spreadsheets
    expect((await call('catalog.importPreview', { csv: `\uFEFF${csv}` })).counts).toEqual({ add: 0, update: 0, same: 4, refused: 0 });
  });
});
