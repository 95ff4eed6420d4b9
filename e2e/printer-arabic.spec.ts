import { VirtualPrinter, blackDots } from '../electron/core/printing/virtual-printer';
import { apiOk, expect, NAMES, personSpeaks, PINS, shot, switchUser, test } from './fixtures';
import { counterCashSale } from './desk';

/**
 * Issue #17: an Arabic station's receipt on the thermal printer, in Chromium against web mode (the
 * same core as Electron's main process): drawn as an image and sent as `GS v 0` raster to the
 * virtual ESC/POS printer over real TCP, the drawer opened once, and the Paper receipt preview
 * showing the very image. The receipt follows the station's language, whatever the person reads.
 */

test('an Arabic station prints its receipt as a raster image, 576 dots wide, then the cut; the drawer opens once', async ({ desk: page }) => {
  test.setTimeout(180_000);
  const printer = new VirtualPrinter();
  const port = await printer.start();
  try {
    await switchUser(page, NAMES.admin, PINS.admin);
    // The admin reads English; the station (and so its receipts) speaks Arabic.
    await personSpeaks(page, 'en');
    await apiOk(page, 'printing.configure', { enabled: true, connection: 'network', device: '', host: '127.0.0.1', port, width: '80mm', drawer: true, autoPrint: true });
    await apiOk(page, 'settings.update', { locale: 'ar-KW' });

    const { result } = await counterCashSale(page, [
      { description: 'دفتر ملاحظات', quantity: '3', price: '4.20', tax: '0' },
      { description: 'Fountain pen', price: '18.75', tax: '0' },
    ], '40');
    await expect(result.getByTestId('print-status')).toHaveText('Receipt printed and the drawer opened.', { timeout: 30_000 });
    await printer.waitForJobs(1);
    expect(printer.receipts).toEqual([]);
    expect(printer.images).toHaveLength(1);
    const image = printer.images[0]!;
    expect(image.width).toBe(576);
    expect(image.rows).toBeGreaterThan(600);
    expect(blackDots(image.bits)).toBeGreaterThan(5_000);
    expect(printer.drawerKicks).toBe(1);
    const imageJob = printer.jobs.find((j) => j.decoder.images.length)!;
    expect(imageJob.decoder.cuts).toBe(1);

    await page.keyboard.press('Alt+O');
    await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
    await page.getByRole('button', { name: 'Paper receipt' }).click();
    const preview = page.getByTestId('paper-preview-image');
    await expect(preview).toBeVisible();
    // The preview is the image the printer got, dot for dot in size.
    expect(await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([576, image.rows]);
    await expect(page.getByText('Printed in English')).toHaveCount(0);
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'receipt-preview-arabic');

    // The test print follows the station's language too: Arabic, drawn as an image, no drawer.
    const jobs = printer.jobs.filter((j) => j.bytes.length > 0).length;
    await page.keyboard.press('Alt+S');
    const panel = page.getByRole('region', { name: 'Receipt printer at this desk' });
    await panel.getByRole('button', { name: 'Test print' }).click();
    await expect(panel.getByText('The test page printed.')).toBeVisible();
    await printer.waitForJobs(jobs + 1);
    const testJob = printer.jobs.at(-1)!.decoder;
    expect(testJob.lines).toEqual([]);
    expect(testJob.images).toHaveLength(1);
    expect(testJob.images[0]!.width).toBe(576);
    expect(blackDots(testJob.images[0]!.bits)).toBeGreaterThan(1_000);
    expect(testJob.cuts).toBe(1);
    expect(printer.drawerKicks).toBe(1);
  } finally {
    await printer.stop();
  }
});
