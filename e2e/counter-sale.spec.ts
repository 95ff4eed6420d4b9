import { VirtualPrinter } from '../electron/core/printing/virtual-printer';
import { report, scan as axeScan, type Finding } from './axe';
import { apiOk, expect, NAMES, PINS, sandboxOrders, setupStation, shot, switchUser, test } from './fixtures';
import { CARDS, enterNewCard } from './desk';
import { scanCode } from './scanner';

/**
 * Issue 20, "What it must show": one counter sale end to end in Chromium against web mode. Products
 * in the catalog, three of them scanned at scanner speed, paid part cash (with change) and part by
 * a new card through the gateway's hosted page, the receipt checked line by line as the virtual
 * ESC/POS printer decoded it (the drawer kicked once, for the cash), the card part refunded with a
 * supervisor's approval, and the end of day showing cash, card and the refund.
 */

const PRODUCTS = [
  { sku: 'KET-01', name: 'Kettle', price: 3000, taxRateBp: 500, barcodes: ['0012345678936'] },
  { sku: 'MUG-01', name: 'Blue mug', price: 1000, taxRateBp: 500, barcodes: ['0012345678905'] },
  { sku: 'TEA-01', name: 'Green tea', price: 450, taxRateBp: 0, barcodes: ['4006381333931'] },
] as const;

const usd = (minor: number) => `USD ${(minor / 100).toFixed(2)}`;
/** What the eye reads on screen (Intl puts a no-break space after the code). */
const onScreen = (minor: number) => `USD\u00a0${(minor / 100).toFixed(2)}`;
/** A 48-column (80 mm) line: label at the start, value at the end. */
const pad = (l: string, r: string) => l + ' '.repeat(48 - l.length - r.length) + r;

// Kettle 30.00 + mug 10.00 at 5 %, tea 4.50 at 0 %: net 44.50, tax 1.50 + 0.50 = 2.00, total 46.50.
const NET = 4450;
const TAX = 200;
const TOTAL = 4650;
const CASH = 2000;
const TENDERED = 2500;
const CARD = TOTAL - CASH;

interface Tenders {
  orderId: string;
  remaining: number;
  orderStatus: string;
  tenders: { paymentId: string; reference: string; method: string; amount: number; tendered: number | null; change: number | null; refunded: number; standing: string }[];
}

test('a counter sale: three scanned products paid part cash, part card; the receipt on the printer line by line; the card part refunded; the end of day', async ({ page, web }) => {
  test.setTimeout(300_000);
  const findings: Finding[] = [];
  const printer = new VirtualPrinter();
  const port = await printer.start();
  try {
    await test.step('the admin\'s set-up: the catalog, this desk\'s scanner and printer (80 mm, drawer)', async () => {
      await setupStation(page, web);
      for (const p of PRODUCTS) await apiOk(page, 'catalog.save', p);
      // The station's scanner as shipped: 35 ms at most between a scan's keys, Enter after the code.
      expect((await apiOk<{ scanner: unknown }>(page, 'settings.get')).scanner).toEqual({ enabled: true, maxKeyGapMs: 35, minLength: 4, suffix: 'Enter' });
      await apiOk(page, 'printing.configure', { enabled: true, host: '127.0.0.1', port, width: '80mm', drawer: true, autoPrint: true });
      await page.reload();
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await page.keyboard.press('Alt+K');
      const rows = page.getByRole('table', { name: /products/ }).getByRole('row');
      await expect(rows).toHaveCount(4);
      await expect(rows.filter({ hasText: 'KET-01' })).toContainText('Kettle');
      await shot(page, 'counter-catalog');
      await axeScan(page, 'counter sale, catalog', findings);
      await switchUser(page, NAMES.clerk, PINS.clerk);
    });

    await test.step('the clerk scans three products onto a counter order', async () => {
      await page.keyboard.press('F2');
      await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
      await page.getByRole('radio', { name: 'Counter' }).check();
      for (const [i, p] of PRODUCTS.entries()) {
        await scanCode(page, p.barcodes[0]);
        await expect(page.getByTestId('scan-status')).toHaveText(`Scanned: ${p.name}, quantity 1 on line ${i + 1}.`);
        await expect(page.getByLabel(`Line ${i + 1} description`)).toHaveValue(p.name);
      }
      await expect(page.getByLabel('Line 4 description')).toHaveCount(0);
      await expect(page.getByTestId('total')).toHaveText(onScreen(TOTAL));
      await shot(page, 'counter-scan');
      await axeScan(page, 'counter sale, scanned', findings);
    });

    const aside = page.getByRole('complementary', { name: 'Payment' });
    await test.step(`part cash: ${usd(CASH)}, the customer hands over ${usd(TENDERED)}`, async () => {
      await page.getByRole('button', { name: 'Pay in parts' }).press('Enter');
      const amount = page.getByRole('textbox', { name: 'Amount of this tender (USD)' });
      await expect(amount).toBeFocused();
      await amount.fill((CASH / 100).toFixed(2));
      await page.getByRole('radio', { name: 'Cash' }).check();
      await page.getByRole('textbox', { name: 'Amount tendered (USD)' }).fill((TENDERED / 100).toFixed(2));
      await expect(page.getByTestId('change-due')).toHaveText(onScreen(TENDERED - CASH));
      await page.keyboard.press('Control+Enter');
      await expect(aside.getByText(`Tender taken \u00b7 ${onScreen(CASH)}`)).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('tenders-remaining')).toHaveText(onScreen(CARD));
      // Nothing printed and the drawer still shut: the receipt and the drawer belong to the paid order.
      expect(printer.jobs.length).toBe(0);
      expect(printer.drawerKicks).toBe(0);
    });

    let orderId = '';
    let reference = '';
    await test.step('part card: a new card on the hosted page takes what remains; the order is paid', async () => {
      await enterNewCard(page, CARDS.visa, 'Pat Payer');
      await expect(page.getByRole('button', { name: new RegExp(`USD\\s${(CARD / 100).toFixed(2).replace('.', '\\.')}`) })).toBeVisible();
      await shot(page, 'counter-split-payment');
      await axeScan(page, 'counter sale, split payment', findings);
      await page.keyboard.press('Control+Enter');
      const result = page.getByTestId('charge-result');
      await expect(result).toHaveAttribute('data-outcome', 'approved', { timeout: 60_000 });
      await expect(result.getByTestId('tenders').getByTestId('tender-row')).toHaveCount(2);
      await expect(result.getByTestId('print-status')).toHaveText('Receipt printed and the drawer opened.', { timeout: 20_000 });
      const payments = await apiOk<{ rows: { orderId: string }[] }>(page, 'payments.list', {});
      orderId = payments.rows[0]!.orderId;
      const t = await apiOk<Tenders>(page, 'orders.tenders', { orderId });
      expect(t).toMatchObject({ remaining: 0, orderStatus: 'paid' });
      expect(t.tenders.map((x) => [x.method, x.amount, x.standing])).toEqual([['cash', CASH, 'stands'], ['card', CARD, 'stands']]);
      reference = (await result.getByTestId('result-reference').textContent())!.trim();
    });

    await test.step('the printed receipt, line by line; the drawer kicked exactly once', async () => {
      await printer.waitForJobs(1);
      const t = await apiOk<Tenders>(page, 'orders.tenders', { orderId });
      const card = t.tenders[1]!;
      const { payment: p } = await apiOk<{ payment: { authorizationCode: string | null; fortId: string | null; last4: string | null } }>(page, 'payments.get', { paymentId: card.paymentId });
      const [gw] = await sandboxOrders(web, card.reference);
      // The gateway's own record: what was captured, and the card as the gateway masks it.
      expect(gw).toMatchObject({ capturedAmount: CARD });
      expect(p.authorizationCode).toMatch(/^\w{4,}$/);
      expect(p.fortId).toBeTruthy();
      const lines = printer.receipts.flat();
      const body = lines.slice(lines.findIndex((l) => l.startsWith('Order ')));
      expect(body).toEqual([
        pad('Order', reference),
        '-'.repeat(48),
        pad('1 x Kettle', usd(3000)),
        pad('1 x Blue mug', usd(1000)),
        pad('1 x Green tea', usd(450)),
        '-'.repeat(48),
        pad('Net', usd(NET)),
        pad('Tax', usd(TAX)),
        pad('Total', usd(TOTAL)),
        '-'.repeat(48),
        'Paid by',
        pad('Cash', usd(CASH)),
        pad('  Tendered', usd(TENDERED)),
        pad('  Change', usd(TENDERED - CASH)),
        pad('Card VISA ****0001', usd(CARD)),
        pad('  Auth code', p.authorizationCode!),
        pad('  Reference', card.reference),
        pad('  Gateway ref', p.fortId!),
        '-'.repeat(48),
        expect.stringMatching(/^\s*Thank you$/),
      ]);
      // Never more of the card than its last 4 on paper.
      const paper = lines.join('\n');
      expect(paper).not.toContain(CARDS.visa.number);
      expect(paper).not.toContain(CARDS.visa.number.slice(0, 6));
      expect(paper.match(/\d{5,}/g)?.filter((d) => CARDS.visa.number.includes(d)) ?? []).toEqual([]);
      expect(printer.drawerKicks).toBe(1);
      expect(printer.jobs.reduce((n, j) => n + j.decoder.cuts, 0)).toBeGreaterThanOrEqual(1);
    });

    await test.step('the receipt preview of the paper, from the transaction', async () => {
      await page.keyboard.press('Alt+O');
      await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
      await page.getByRole('button', { name: 'Paper receipt' }).click();
      const preview = page.getByTestId('paper-preview');
      await expect(preview).toContainText('Card VISA ****0001');
      await expect(preview).toContainText(pad('  Change', usd(TENDERED - CASH)));
      await preview.scrollIntoViewIfNeeded();
      await shot(page, 'counter-receipt-preview');
      await axeScan(page, 'counter sale, receipt preview', findings);
    });

    await test.step('the card part refunded, with a supervisor\'s approval; the cash untouched; no drawer kick', async () => {
      const panel = page.getByRole('region', { name: 'Tenders of this order' });
      await panel.getByRole('button', { name: 'Refund the order…' }).click();
      const form = page.getByRole('form', { name: 'Refund the order' });
      await form.getByLabel('Back to').selectOption({ label: `Visa \u2022\u2022\u2022\u2022 0001 \u00b7 up to ${onScreen(CARD)}` });
      await form.getByRole('textbox', { name: 'Amount (USD)' }).fill((CARD / 100).toFixed(2));
      await form.getByRole('textbox', { name: 'Reason' }).fill('Kettle returned');
      await form.getByLabel('Supervisor', { exact: true }).selectOption({ label: `${NAMES.supervisor} (supervisor)` });
      await form.getByLabel('Supervisor PIN').fill(PINS.supervisor);
      await form.getByLabel('Supervisor PIN').press('Enter');
      await expect(panel.getByText('Refund done')).toBeVisible({ timeout: 60_000 });
      await expect(panel.getByTestId('order-refund-parts')).toHaveText(`Visa \u2022\u2022\u2022\u2022 0001: ${onScreen(CARD)} refunded`);
      const t = await apiOk<Tenders>(page, 'orders.tenders', { orderId });
      expect(t.tenders.map((x) => x.refunded)).toEqual([0, CARD]);
      const [gw] = await sandboxOrders(web, t.tenders[1]!.reference);
      expect(gw).toMatchObject({ capturedAmount: CARD, refundedAmount: CARD });
      expect(printer.drawerKicks).toBe(1);
    });

    await test.step('the end of day: cash and card taken, the refund, the drawer', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /End of day/ }).click();
      await expect(page.getByRole('heading', { name: 'End of day', level: 1 })).toBeVisible();
      await expect(page.getByTestId('eod-USD-taken')).toHaveText(onScreen(TOTAL));
      await expect(page.getByTestId('eod-USD-refunded')).toHaveText(`\u2212${onScreen(CARD)}`);
      await expect(page.getByTestId('eod-net-USD')).toHaveText(onScreen(CASH));
      await expect(page.getByTestId('eod-drawer-USD')).toHaveText(onScreen(CASH));
      await expect(page.getByTestId('eod-USD-cashSales')).toContainText(onScreen(CASH));
      await expect(page.getByTestId('eod-USD-sales')).toContainText(onScreen(CARD));
      await expect(page.getByTestId('eod-USD-refunds')).toContainText(onScreen(CARD));
      await expect(page.getByTestId('eod-USD-cashRefunds')).toContainText(onScreen(0));
      await expect(page.getByTestId('eod-brand-net-VISA-USD')).toHaveText(onScreen(0));
      const split = page.getByRole('region', { name: /Orders paid by several tenders \(1\)/ });
      const rows = split.getByTestId('eod-split-row');
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(0)).toContainText('Cash');
      await expect(rows.nth(1)).toContainText('Visa \u2022\u2022\u2022\u2022 0001');
      await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
      await shot(page, 'counter-end-of-day');
    });
    expect(report(findings), 'axe violations').toBe('');
  } finally {
    await printer.stop();
  }
});
