import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, shot, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

// The end-of-day report against web mode: a few card and cash sales and refunds made through the
// app, then the report screen's figures checked against the ledger (summed here from the payments
// the core lists), print, CSV, and the supervisor's close with a later difference.
//
// The screen is reached through the side navigation entry "End of day" (renderer/app, wired by the
// shell's owner: <EndOfDayScreen/> from renderer/features/reports/EndOfDayScreen).

interface PaymentRow {
  id: string;
  orderReference: string;
  method: 'card' | 'cash';
  currency: string;
  captured: number;
  refunded: number;
  status: string;
}

const usd = (minor: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'code' }).format(minor / 100);

async function cashSale(page: Page, unitPrice: number, tendered = unitPrice) {
  const order = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'counter', currency: 'USD', lines: [{ description: 'Counter item', quantity: 1, unitPrice, taxRateBp: 0 }] });
  return apiOk<{ payment: { id: string } }>(page, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered } });
}

async function approval(page: Page) {
  const users = await apiOk<{ id: string; name: string }[]>(page, 'session.users');
  return { supervisorId: users.find((u) => u.name === NAMES.supervisor)!.id, pin: PINS.supervisor };
}

/** Independent of the report: what the payments hold, summed here. */
async function ledger(page: Page) {
  const { rows } = await apiOk<{ rows: PaymentRow[] }>(page, 'payments.list', { limit: 500 });
  const usdRows = rows.filter((r) => r.currency === 'USD');
  const sum = (xs: PaymentRow[], f: (r: PaymentRow) => number) => xs.reduce((s, r) => s + f(r), 0);
  const cash = usdRows.filter((r) => r.method === 'cash');
  return {
    net: sum(usdRows, (r) => r.captured - r.refunded),
    taken: sum(usdRows, (r) => r.captured),
    refunded: sum(usdRows, (r) => r.refunded),
    drawer: sum(cash, (r) => r.captured - r.refunded),
    visaNet: sum(usdRows.filter((r) => r.method === 'card'), (r) => r.captured - r.refunded),
  };
}

async function openReport(page: Page) {
  const entry = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /End of day/ });
  if ((await entry.count()) === 0) {
    throw new Error('No "End of day" entry in the side navigation: wire <EndOfDayScreen/> (renderer/features/reports/EndOfDayScreen) into renderer/app.');
  }
  await entry.click();
  await expect(page.getByRole('heading', { name: 'End of day', level: 1 })).toBeVisible();
  await expect(page.getByTestId('eod-open')).toBeVisible();
}

test('end-of-day report: totals match the ledger; print, CSV, close and a later difference', async ({ desk: page }) => {
  await test.step('a day of sales and refunds', async () => {
    await startOrder(page, { customer: { name: 'Noor Haddad' }, lines: [{ description: 'Reading lamp', price: '80.00', tax: '0' }], channel: 'Phone' });
    await enterNewCard(page, CARDS.visa);
    await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
    const { rows } = await apiOk<{ rows: PaymentRow[] }>(page, 'payments.list', {});
    const card = rows.find((r) => r.method === 'card')!;
    await apiOk(page, 'payments.refund', { paymentId: card.id, amount: 2_000, reason: 'Scratched base', approval: await approval(page) });
    const cash = await cashSale(page, 3_135, 4_000);
    await cashSale(page, 1_200);
    await apiOk(page, 'payments.refund', { paymentId: cash.payment.id, amount: 500, reason: 'Discount', approval: await approval(page) });
  });

  const expected = await ledger(page);
  expect(expected).toMatchObject({ net: 8_000 - 2_000 + 3_135 + 1_200 - 500, drawer: 3_135 + 1_200 - 500 });

  await test.step('the report screen shows what the ledger holds', async () => {
    await openReport(page);
    await expect(page.locator('#eod-date')).toHaveValue(new Date().toISOString().slice(0, 10));
    await expect(page.getByTestId('eod-net-USD')).toHaveText(usd(expected.net));
    await expect(page.getByTestId('eod-USD-taken')).toHaveText(usd(expected.taken));
    await expect(page.getByTestId('eod-USD-refunded')).toHaveText(`\u2212${usd(expected.refunded)}`);
    await expect(page.getByTestId('eod-drawer-USD')).toHaveText(usd(expected.drawer));
    await expect(page.getByTestId('eod-brand-net-VISA-USD')).toHaveText(usd(expected.visaNet));
    await expect(page.getByTestId('eod-USD-sales')).toContainText('1');
    await expect(page.getByTestId('eod-USD-cashSales')).toContainText(usd(3_135 + 1_200));
    await expect(page.getByTestId('eod-user-net-' + (await userId(page, NAMES.clerk)) + '-USD')).toHaveText(usd(expected.net));
    // Clerks read and print; only supervisors close the day.
    await expect(page.getByRole('button', { name: 'Close the day' })).toHaveCount(0);
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'end-of-day');
  });

  await test.step('print shows only the report', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#root')).toBeHidden();
    await expect(page.locator('body > .eod-print')).toBeVisible();
    await expect(page.locator('body > .eod-print')).toContainText(`End of day ${new Date().toISOString().slice(0, 10)}`);
    await page.emulateMedia({ media: 'screen' });
    await expect(page.locator('body > .eod-print')).toBeHidden();
  });

  await test.step('CSV export: one row per figure, decimal amounts', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^end-of-day-.+-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await file.path()), 'utf8').replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,key,currency,count,amount');
    expect(lines).toContain(`operations,net,USD,5,${(expected.net / 100).toFixed(2)}`);
    expect(lines).toContain(`drawer,expected,USD,3,${(expected.drawer / 100).toFixed(2)}`);
  });

  await test.step('a supervisor closes the day; a later sale shows as a difference', async () => {
    await switchUser(page, NAMES.supervisor, PINS.supervisor);
    await openReport(page);
    await page.getByRole('button', { name: 'Close the day' }).click();
    const dialog = page.getByRole('dialog', { name: /^Close \d{4}-\d{2}-\d{2}\?$/ });
    await expect(dialog).toBeVisible();
    // Closing is for good: the dialog opens on Cancel, and Enter there only closes the dialog.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Close the day' }).click();
    await expect(page.getByTestId('eod-closed')).toBeVisible();
    await expect(page.getByTestId('eod-compare')).toContainText('match the snapshot');
    await expect(page.getByRole('button', { name: 'Close the day' })).toBeDisabled();

    await cashSale(page, 999);
    await page.getByRole('button', { name: 'Previous day' }).click();
    await page.getByRole('button', { name: 'Today' }).click();
    await expect(page.getByTestId('eod-differences')).toBeVisible();
    const row = page.getByTestId('eod-differences').getByRole('row', { name: /Cash sales/ });
    await expect(row).toContainText(usd(3_135 + 1_200));
    await expect(row).toContainText(usd(3_135 + 1_200 + 999));
    await expect(row).toContainText(`+${usd(999)}`);
    await expect(page.getByTestId('eod-net-USD')).toHaveText(usd(expected.net + 999));
    const closed = await apiOk<{ date: string; intact: boolean; totals: { currency: string; net: number }[] }[]>(page, 'reports.closedDays');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ intact: true, totals: [{ currency: 'USD', net: expected.net }] });
    await page.locator('#main').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'end-of-day-closed');
  });
});

async function userId(page: Page, name: string): Promise<string> {
  const users = await apiOk<{ id: string; name: string }[]>(page, 'session.users');
  return users.find((u) => u.name === name)!.id;
}
