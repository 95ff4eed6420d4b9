import type { Page } from '@playwright/test';
import { VirtualPrinter } from '../electron/core/printing/virtual-printer';
import { report, scan as scanInto, type Finding } from './axe';
import { apiOk, expect, NAMES, PINS, shot, switchUser, test } from './fixtures';
import { counterCashSale } from './desk';

/**
 * Issue #20, receipt printer and cash drawer, in Chromium against web mode: the virtual ESC/POS
 * printer runs here, in the test's own process, on a real TCP port; web mode's core prints to it
 * over TCP exactly as it would to a printer on the shop's network.
 */

const findings: Finding[] = [];
const scan = (page: Page, screen: string) => scanInto(page, screen, findings);

const NOTEBOOKS_AND_PEN = [
  { description: 'Notebook A5', quantity: '3', price: '4.20', tax: '0' },
  { description: 'Fountain pen', price: '18.75', tax: '0' },
];

test('receipt printer: set up with a test print, a cash sale prints and opens the drawer once, printer off → sale stands, Reprint once it is back', async ({ desk: page }) => {
  test.setTimeout(240_000);
  const printer = new VirtualPrinter();
  const port = await printer.start();
  try {
    await test.step('an admin sets up this desk\'s printer in Settings and prints a test page', async () => {
      await switchUser(page, NAMES.admin, PINS.admin);
      await page.keyboard.press('Alt+S');
      const panel = page.getByRole('region', { name: 'Receipt printer at this desk' });
      await expect(panel).toBeVisible();
      await panel.getByRole('checkbox', { name: 'This desk has a receipt printer' }).check();
      // A wrong port is refused on the spot, in words.
      await panel.getByLabel('Printer address (host name or IP)').fill('127.0.0.1');
      await panel.getByLabel('Port').fill('99999');
      await panel.getByRole('button', { name: 'Save printer' }).click();
      await expect(panel.getByText('Enter a port number from 1 to 65535.')).toBeVisible();
      await panel.getByLabel('Port').fill(String(port));
      await panel.getByLabel('Paper width').selectOption('58mm');
      await panel.getByRole('checkbox', { name: 'A cash drawer is plugged into the printer' }).check();
      await expect(panel.getByRole('checkbox', { name: 'Print the receipt after each sale' })).toBeChecked();
      await panel.getByRole('button', { name: 'Save printer' }).click();
      await expect(panel.getByTestId('printer-saved')).toHaveText('Printer settings saved.');
      await panel.getByRole('button', { name: 'Test print' }).click();
      await expect(panel.getByText('The test page printed.')).toBeVisible();
      await printer.waitForJobs(1);
      expect(printer.receipts[0]).toEqual(expect.arrayContaining(['TEST PRINT', 'Paper 58mm: 32 characters a line']));
      expect(printer.drawerKicks).toBe(0);
      await panel.scrollIntoViewIfNeeded();
      await shot(page, 'printer-settings');
      await scan(page, 'settings, receipt printer');
      printer.clear();
      await switchUser(page, NAMES.clerk, PINS.clerk);
    });

    let firstReference = '';
    let secondReference = '';
    await test.step('a counter cash sale prints by itself, line by line, and opens the drawer once', async () => {
      const { result, reference } = await counterCashSale(page, NOTEBOOKS_AND_PEN, '40');
      firstReference = reference;
      await expect(result.getByTestId('print-status')).toHaveText('Receipt printed and the drawer opened.', { timeout: 20_000 });
      await printer.waitForJobs(1);
      const lines = printer.receipts.flat();
      const pad = (l: string, r: string) => l + ' '.repeat(32 - l.length - r.length) + r;
      expect(lines).toEqual(expect.arrayContaining([
        'Sandbox Trading Co.', 'RECEIPT', pad('Order', reference),
        pad('3 x Notebook A5', 'USD 12.60'), pad('1 x Fountain pen', 'USD 18.75'),
        pad('Total', 'USD 31.35'), 'Paid by', pad('Cash', 'USD 31.35'), pad('  Tendered', 'USD 40.00'), pad('  Change', 'USD 8.65'), 'Thank you',
      ]));
      expect(printer.drawerKicks).toBe(1);
      await shot(page, 'printer-sale');
    });

    await test.step('the printer is switched off: the sale goes through, the problem is plain, Reprint works once it is back', async () => {
      await printer.stop();
      const { result, reference } = await counterCashSale(page, NOTEBOOKS_AND_PEN, '31.35');
      secondReference = reference;
      const status = result.getByTestId('print-status');
      await expect(status).toHaveAttribute('data-problem', 'refused', { timeout: 20_000 });
      await expect(status).toContainText('The receipt did not print');
      await expect(status).toContainText('The printer refused the connection: it is switched off, or the address is wrong.');
      await expect(status).toContainText('The sale is recorded. Only the paper receipt is missing.');
      await expect(result.getByText('Paid in cash \u00b7 USD\u00a031.35')).toBeVisible();
      const list = await apiOk<{ rows: { orderReference: string; captured: number; status: string }[] }>(page, 'payments.list', { query: reference });
      expect(list.rows.find((r) => r.orderReference === reference)).toMatchObject({ captured: 3135, status: 'captured' });
      await shot(page, 'printer-problem');
      await scan(page, 'charge result, printer problem');

      printer.clear();
      await printer.start(port);
      await status.getByRole('button', { name: 'Reprint' }).click();
      await expect(result.getByTestId('print-status')).toHaveText('Receipt printed.', { timeout: 20_000 });
      await printer.waitForJobs(1);
      expect(printer.receipts.flat().join('\n')).toContain(reference);
      // A reprint never opens the drawer (the drawer belonged to the sale, whose print failed).
      expect(printer.drawerKicks).toBe(0);
    });

    await test.step('any receipt can be reprinted later from its transaction, with the paper preview', async () => {
      // Alt+O: the transaction of the sale on screen (the one whose first print failed).
      await page.keyboard.press('Alt+O');
      await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
      await page.getByRole('button', { name: 'Paper receipt' }).click();
      const preview = page.getByTestId('paper-preview');
      await expect(preview).toContainText('RECEIPT');
      await expect(preview).toContainText(secondReference);
      await shot(page, 'receipt-preview');
      await scan(page, 'transaction, paper receipt preview');
      printer.clear();
      await page.getByRole('button', { name: 'Print on the receipt printer' }).click();
      await expect(page.getByTestId('print-status')).toHaveText('Receipt printed.');
      await printer.waitForJobs(1);
      expect(printer.receipts.flat().join('\n')).toContain(secondReference);
      expect(printer.drawerKicks).toBe(0);
    });
    expect(firstReference).not.toBe(secondReference);
    expect(findings, report(findings)).toEqual([]);
  } finally {
    await printer.stop();
  }
});
