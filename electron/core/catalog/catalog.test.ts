import { describe, expect, it } from 'vitest';
import { setup } from './test-kit';

const TEA = { sku: 'TEA-01', name: 'Green tea', price: 450, taxRateBp: 500, barcodes: ['4006381333931'] };

describe('catalog: add, edit, deactivate (admins, audited)', () => {
  it('an admin adds and edits a product; each change is in the audit log under their name', async () => {
    const { call, audit } = setup();
    const p = await call('catalog.save', TEA);
    expect(p).toMatchObject({ sku: 'TEA-01', price: 450, currency: 'USD', taxRateBp: 500, barcodes: ['4006381333931'], active: true });
    const edited = await call('catalog.save', { ...TEA, id: p.id, price: 500, barcodes: ['4006381333931', '9780201379624'] });
    expect(edited).toMatchObject({ id: p.id, price: 500, barcodes: ['4006381333931', '9780201379624'] });
    await call('catalog.setActive', { id: p.id, active: false });
    await call('catalog.setActive', { id: p.id, active: true });
    expect(audit().map((a) => [a.action, a.target, a.userName])).toEqual([
      ['catalog.add', 'TEA-01', 'Ada Admin'],
      ['catalog.update', 'TEA-01', 'Ada Admin'],
      ['catalog.deactivate', 'TEA-01', 'Ada Admin'],
      ['catalog.reactivate', 'TEA-01', 'Ada Admin'],
    ]);
  });

  it('a clerk may search and scan but not change the catalog (refused by the core, nothing written)', async () => {
    const { call, count } = setup();
    await expect(call('catalog.save', TEA, 'clerk')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(call('catalog.importApply', { csv: 'sku,name,price\nA,B,1' }, 'clerk')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(count('products')).toBe(0);
    await call('catalog.save', TEA);
    expect(await call('catalog.search', { query: 'green' }, 'clerk')).toHaveLength(1);
    expect((await call('catalog.byBarcode', { barcode: '4006381333931' }, 'clerk'))?.sku).toBe('TEA-01');
  });

  it('SKU unique whatever its case; a barcode on one product only; bad input refused by the contract', async () => {
    const { call, count } = setup();
    await call('catalog.save', TEA);
    await expect(call('catalog.save', { ...TEA, sku: 'tea-01', barcodes: [] })).rejects.toMatchObject({ code: 'CONFLICT', fields: { sku: expect.any(String) } });
    await expect(call('catalog.save', { ...TEA, sku: 'TEA-02' })).rejects.toMatchObject({ code: 'CONFLICT', fields: { barcodes: expect.any(String) } });
    await expect(call('catalog.save', { ...TEA, sku: 'TEA-03', price: 4.5, barcodes: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(call('catalog.save', { ...TEA, sku: 'TEA 03', barcodes: [] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(call('catalog.save', { ...TEA, sku: 'TEA-03', barcodes: ['has space'] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(count('products')).toBe(1);
  });

  it('an inactive product is not offered on an order line nor added by a scan, but the catalog screen lists it', async () => {
    const { call } = setup();
    const p = await call('catalog.save', TEA);
    await call('catalog.setActive', { id: p.id, active: false });
    expect(await call('catalog.search', { query: 'tea' }, 'clerk')).toEqual([]);
    expect(await call('catalog.byBarcode', { barcode: '4006381333931' }, 'clerk')).toBeNull();
    expect(await call('catalog.search', { query: 'tea', includeInactive: true })).toHaveLength(1);
  });

  it('search as you type: by barcode, SKU prefix, name prefix and a word inside the name', async () => {
    const { call } = setup();
    await call('catalog.save', TEA);
    await call('catalog.save', { sku: 'MUG-01', name: 'Blue mug', price: 1200, taxRateBp: 0, barcodes: ['0012345678905'] });
    await call('catalog.save', { sku: 'MUG-02', name: 'Mug 100%_cotton cosy', price: 300, taxRateBp: 0, barcodes: [] });
    const skus = async (q: string) => (await call('catalog.search', { query: q }, 'clerk')).map((p) => p.sku);
    expect(await skus('0012345678905')).toEqual(['MUG-01']);
    expect(await skus('mug-')).toEqual(['MUG-01', 'MUG-02']);
    expect(await skus('GREEN')).toEqual(['TEA-01']);
    expect(await skus('tea')).toEqual(['TEA-01']);
    expect(await skus('mug')).toEqual(['MUG-01', 'MUG-02']);
    expect(await skus('100%_')).toEqual(['MUG-02']); // wildcards are text
    expect(await skus('00123')).toEqual(['MUG-01']);
  });
});

describe('an order line keeps the price and tax it was sold at', () => {
  it('changing the product afterwards changes no order already made', async () => {
    const { call } = setup();
    const p = await call('catalog.save', TEA);
    const order = await call('orders.create', {
      channel: 'counter',
      currency: 'USD',
      lines: [{ description: p.name, quantity: 2, unitPrice: p.price, taxRateBp: p.taxRateBp, productId: p.id, sku: p.sku }],
    }, 'clerk');
    await call('catalog.save', { ...TEA, id: p.id, name: 'Green tea (new tin)', price: 990, taxRateBp: 1500 });
    const again = await call('orders.get', { id: order.id }, 'clerk');
    expect(again.lines).toEqual([{ description: 'Green tea', quantity: 2, unitPrice: 450, taxRateBp: 500, productId: p.id, sku: 'TEA-01' }]);
    expect([again.net, again.tax, again.total]).toEqual([900, 45, 945]);
  });
});

const FILE = [
  'sku,name,price,tax_rate,barcodes,active',
  'TEA-01,Green tea,4.50,5,4006381333931,yes',
  'MUG-01,"Blue mug, large",12.00,0,0012345678905|0012345678912,yes',
  'CUP-01,Paper cup,0.2O,0,,yes',
  'TEA-01,Green tea again,4.50,5,,yes',
  'SPN-01,Spoon,1.5,7.5,,no',
].join('\r\n');

describe('CSV import: preview with per-row errors, nothing written before the admin confirms', () => {
  it('the preview names each bad row by line and field and writes nothing', async () => {
    const { call, count, audit } = setup();
    const pv = await call('catalog.importPreview', { csv: FILE });
    expect(pv.counts).toEqual({ add: 3, update: 0, same: 0, refused: 2 });
    expect(pv.rows.filter((r) => r.action === 'refused').map((r) => [r.line, r.problems.map((p) => `${p.field}:${p.code}`)])).toEqual([
      [4, ['price:badPrice']],
      [5, ['sku:skuTwiceInFile']],
    ]);
    expect(count('products')).toBe(0);
    expect(audit()).toEqual([]);
  });

  it('confirming writes the good rows; the same file again changes nothing', async () => {
    const { call, count, audit, deps } = setup();
    expect(await call('catalog.importApply', { csv: FILE })).toEqual({ added: 3, updated: 0, unchanged: 0, refused: 2 });
    expect(count('products')).toBe(3);
    expect(count('product_barcodes')).toBe(3);
    const spoon = (await call('catalog.search', { query: 'SPN-01', includeInactive: true }))[0]!;
    expect(spoon).toMatchObject({ price: 150, taxRateBp: 750, active: false });
    const before = deps.db.prepare('SELECT * FROM products ORDER BY id').all();
    expect((await call('catalog.importPreview', { csv: FILE })).counts).toEqual({ add: 0, update: 0, same: 3, refused: 2 });
    expect(await call('catalog.importApply', { csv: FILE })).toEqual({ added: 0, updated: 0, unchanged: 3, refused: 2 });
    expect(deps.db.prepare('SELECT * FROM products ORDER BY id').all()).toEqual(before);
    expect(audit().map((a) => a.action)).toEqual(['catalog.import', 'catalog.import']);
  });

  it('a barcode already on another product refuses the row; a file without the needed columns is refused whole', async () => {
    const { call, count } = setup();
    await call('catalog.save', TEA);
    const pv = await call('catalog.importPreview', { csv: 'sku,name,price,barcodes\nTEA-02,Other tea,3,4006381333931\n' });
    expect(pv.rows[0]).toMatchObject({ line: 2, action: 'refused', problems: [{ field: 'barcodes', code: 'barcodeTaken' }] });
    const none = await call('catalog.importPreview', { csv: 'code,title\nA,B\n' });
    expect(none.rows[0]).toMatchObject({ action: 'refused', problems: [{ code: 'noHeader' }] });
    await expect(call('catalog.importApply', { csv: 'code,title\nA,B\n' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(count('products')).toBe(1);
  });
});
