import { apiOk, expect, NAMES, PINS, setupStation, shot, switchUser, test } from './fixtures';
import { report, scan as axeScan, type Finding } from './axe';
import { scanCode, typeAsPerson } from './scanner';

/**
 * Issue 20, items 1 and 2: the product catalog and the barcode scanner, by keyboard and accessible
 * names. A keyboard-wedge scanner is a code's keys and Enter stamped 4 ms apart (e2e/scanner.ts: the
 * device's times, whenever the loaded page gets to them); the exact thresholds are unit-tested
 * (renderer/features/catalog/scan-detector.test.ts).
 */

const CSV = [
  'sku,name,price,tax_rate,barcodes,active',
  'MUG-01,Blue mug,12.00,5,0012345678905,yes',
  'SPN-01,Tea spoon,1.50,5,0012345678912,yes',
  'CUP-01,Paper cup,0.2O,0,0012345678929,yes',
  'KET-01,Kettle,39.90,5,0012345678936|0012345678943,yes',
].join('\n');

test('admin adds products and imports a CSV with a bad row; a clerk scans three products onto an order', async ({ page, web }) => {
  test.setTimeout(240_000);
  const findings: Finding[] = [];
  await setupStation(page, web); // signed in as the admin

  await test.step('the admin sets this station\'s scanner (per station)', async () => {
    await page.keyboard.press('Alt+S');
    const panel = page.getByRole('region', { name: 'Barcode scanner' });
    await expect(panel).toBeVisible();
    await panel.getByLabel('Longest pause between two scanned characters (ms)').fill('40');
    await panel.getByLabel('The scanner ends each code with').selectOption('Enter');
    await panel.getByRole('button', { name: 'Save scanner settings' }).click();
    await expect(panel.getByText('Scanner settings saved.')).toBeVisible();
    expect((await apiOk<{ scanner: unknown }>(page, 'settings.get')).scanner).toEqual({ enabled: true, maxKeyGapMs: 40, minLength: 4, suffix: 'Enter' });
  });

  await test.step('the catalog, from the keyboard: add a product', async () => {
    await page.keyboard.press('Alt+K');
    await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Products/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByText('No products yet.')).toBeVisible();
    await page.getByRole('button', { name: 'Add product' }).click();
    const form = page.getByRole('dialog', { name: 'Add product' });
    await expect(form.getByLabel('SKU')).toBeFocused();
    await page.keyboard.type('TEA-01');
    await form.getByLabel('Name').fill('Green tea');
    await form.getByLabel('Price (USD, before tax)').fill('4.50');
    await form.getByLabel('Tax rate %').fill('5');
    await form.getByLabel('Barcodes').fill('4006381333931');
    await shot(page, 'catalog-product-form');
    await page.keyboard.press('Control+Enter');
    await expect(form).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Green tea is saved.' })).toBeVisible();
    // The same SKU twice is refused in words, nothing saved.
    await page.getByRole('button', { name: 'Add product' }).click();
    await form.getByLabel('SKU').fill('tea-01');
    await form.getByLabel('Name').fill('Other tea');
    await form.getByLabel('Price (USD, before tax)').fill('1');
    await page.keyboard.press('Control+Enter');
    await expect(form.getByText('Another product already has this SKU.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(form).toBeHidden();
  });

  await test.step('import a CSV: the preview names the bad row; nothing is written until confirmed; the same file again changes nothing', async () => {
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const chooser = page.getByLabel('Choose a CSV file to import');
    await chooser.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const preview = page.getByTestId('import-preview');
    await expect(preview.getByRole('status')).toHaveText('\u2068products.csv\u2069: 3 to add, 0 to change, 0 unchanged, 1 refused.');
    await expect(preview.getByText('Line 4, price: "0.2O" is not a price in the shop currency')).toBeVisible();
    expect((await apiOk<unknown[]>(page, 'catalog.export')).length).toBe(1);
    await shot(page, 'catalog-import-preview');
    await preview.getByRole('button', { name: 'Import 3 products' }).click();
    await expect(page.getByText('3 added, 0 changed, 0 unchanged, 1 refused.')).toBeVisible();
    await chooser.setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await expect(preview.getByRole('status')).toHaveText('\u2068products.csv\u2069: 0 to add, 0 to change, 3 unchanged, 1 refused.');
    await expect(preview.getByRole('button', { name: 'Import 0 products' })).toBeDisabled();
    await page.getByRole('button', { name: 'Close import' }).click();
  });

  await test.step('search by name, SKU or barcode; the list', async () => {
    const search = page.getByLabel('Search by name, SKU or barcode');
    const rows = page.getByRole('table', { name: /products?/ }).getByRole('row');
    await expect(rows).toHaveCount(5); // header + 4
    await shot(page, 'catalog');
    await axeScan(page, 'catalog', findings);
    await search.fill('kettle');
    await expect(rows).toHaveCount(2);
    await search.fill('0012345678943');
    await expect(rows.nth(1)).toContainText('KET-01');
    await search.fill('spn');
    await expect(rows.nth(1)).toContainText('Tea spoon');
    await search.fill('');
  });

  await switchUser(page, NAMES.clerk, PINS.clerk);

  await test.step('a clerk scans three products: one twice; the scanned keys are not left in the focused field', async () => {
    await page.keyboard.press('F2');
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    const find = page.getByRole('combobox', { name: /^Find by name/ });
    await expect(find).toBeFocused();
    await scanCode(page, '0012345678905');
    await expect(page.getByTestId('scan-status')).toHaveText('Scanned: Blue mug, quantity 1 on line 1.');
    await expect(find).toHaveValue('');
    await expect(page.getByLabel('Line 1 description')).toHaveValue('Blue mug');
    await expect(page.getByLabel(/^Line 1 unit price/)).toHaveValue('12.00');
    await expect(page.getByLabel('Line 1 tax rate in percent')).toHaveValue('5');

    // Focus in a line's own field: the scan goes to the order, not into the field.
    await page.getByLabel('Line 1 description').focus();
    await scanCode(page, '0012345678936');
    await expect(page.getByLabel('Line 2 description')).toHaveValue('Kettle');
    await expect(page.getByLabel('Line 1 description')).toHaveValue('Blue mug');
    await scanCode(page, '4006381333931');
    await expect(page.getByLabel('Line 3 description')).toHaveValue('Green tea');
    await scanCode(page, '0012345678905');
    await expect(page.getByTestId('scan-status')).toHaveText('Scanned: Blue mug, quantity 2 on line 1.');
    await expect(page.getByLabel('Line 1 quantity')).toHaveValue('2');
    await expect(page.getByLabel('Line 4 description')).toHaveCount(0);
    // 2 × 12.00 + 39.90 + 4.50 = 68.40 net; tax 5 % on each line: 1.20 + 2.00 (1.995) + 0.23 (0.225) = 3.43.
    await expect(page.getByRole('button', { name: /Charge USD\s?71\.83/ })).toBeVisible();
    await shot(page, 'scan');
  });

  await test.step('typing the same digits at a fast person\'s speed is typing, not a scan, even handed over late in one batch', async () => {
    const note = page.getByLabel('Note');
    await note.focus();
    await typeAsPerson(page, '0012345678912', 90, true);
    await expect(note).toHaveValue('0012345678912');
    await expect(page.getByLabel('Line 4 description')).toHaveCount(0);
    await note.fill('');
    // A fast typist's rolled-over keys (10-30 ms apart) are held back while they might be a scan,
    // then put in where they were typed, in order: nothing lost, nothing scanned.
    await typeAsPerson(page, 'Kettle 2 pcs, fragile', [20, 110, 12, 90, 25, 70, 30, 140, 18, 80, 28, 95, 15, 120], true);
    await expect(note).toHaveValue('Kettle 2 pcs, fragile');
    await expect(page.getByLabel('Line 4 description')).toHaveCount(0);
    await note.fill('');
  });

  await test.step('an unknown barcode is said plainly; a clerk is told to ask an admin', async () => {
    await scanCode(page, '9999999999994');
    await expect(page.getByRole('status').filter({ hasText: 'No product has the barcode 9999999999994.' })).toBeVisible();
    await expect(page.getByText('Ask an admin to add it to the products')).toBeVisible();
    await shot(page, 'scan-unknown');
  });

  await test.step('an order line searches the catalog as you type: arrows and Enter choose', async () => {
    await page.getByRole('button', { name: 'Add line' }).click();
    const line4 = page.getByRole('combobox', { name: 'Line 4 description' });
    await expect(line4).toBeFocused();
    await page.keyboard.type('sp');
    const list = page.getByRole('listbox', { name: 'Products matching line 4' });
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option').first()).toContainText('SPN-01');
    await page.keyboard.press('ArrowDown');
    await expect(list.getByRole('option', { selected: true })).toContainText('Tea spoon');
    // The answer to a letter typed after the arrow keeps the highlight on the same product.
    await page.keyboard.type('o');
    await expect(line4).toHaveValue('spo');
    await page.waitForTimeout(300); // the answer to "spo" lands in a few ms; it must not clear the highlight
    await expect(list.getByRole('option', { selected: true })).toContainText('Tea spoon', { timeout: 1 });
    await shot(page, 'catalog-line-search');
    await page.keyboard.press('Enter');
    await expect(line4).toHaveValue('Tea spoon');
    await expect(page.getByLabel(/^Line 4 unit price/)).toHaveValue('1.50');
    await expect(page.getByLabel('Line 4 quantity')).toBeFocused();
  });

  await test.step('the order keeps what it was sold at: a price changed later changes no order', async () => {
    await page.getByRole('radio', { name: 'Cash' }).check();
    await page.getByLabel(/Amount tendered/).fill('100');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('charge-result')).toHaveAttribute('data-outcome', 'approved', { timeout: 60_000 });
    const list = await apiOk<{ rows: { orderId: string }[] }>(page, 'payments.list', {});
    const orderId = list.rows[0]!.orderId;
    await switchUser(page, NAMES.admin, PINS.admin);
    const mug = (await apiOk<{ id: string; sku: string; name: string; taxRateBp: number; barcodes: string[] }[]>(page, 'catalog.search', { query: 'MUG-01' }))[0]!;
    await apiOk(page, 'catalog.save', { id: mug.id, sku: mug.sku, name: mug.name, price: 1500, taxRateBp: mug.taxRateBp, barcodes: mug.barcodes });
    const order = await apiOk<{ lines: { sku?: string; unitPrice: number; quantity: number }[] }>(page, 'orders.get', { id: orderId });
    expect(order.lines.find((l) => l.sku === 'MUG-01')).toMatchObject({ unitPrice: 1200, quantity: 2 });
  });

  expect(report(findings), 'axe violations').toBe('');
});

test('an unknown barcode scanned by an admin offers to add the product, with the barcode filled in', async ({ page, web }) => {
  await setupStation(page, web);
  await apiOk(page, 'settings.update', { scanner: { enabled: true, maxKeyGapMs: 35, minLength: 4, suffix: 'Enter' } });
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
  await scanCode(page, '5012345678900');
  await expect(page.getByText('No product has the barcode 5012345678900.')).toBeVisible();
  await page.getByRole('button', { name: 'Add product with this barcode' }).click();
  const form = page.getByRole('dialog', { name: 'Add product' });
  await expect(form.getByLabel('Barcodes')).toHaveValue('5012345678900');
});
