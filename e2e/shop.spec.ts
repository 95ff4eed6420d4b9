import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { pgBinariesPresent, startLocalCluster, type LocalCluster } from '../electron/core/shop/local-cluster';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';
import { api, apiOk, expect, NAMES, PINS, sandboxOrders, setupStation, shot, startWeb, switchUser, test } from './fixtures';

/**
 * Two web-mode desks on one real PostgreSQL (docs/stations.md) and one gateway (desk 2 talks to
 * desk 1's embedded sandbox over HTTP, `--shared-sandbox`): each joins the shop from Settings →
 * Shop server; a card saved with a phone order at desk 1 is found by its last 4 at desk 2, from
 * desk 2's own ledger, charged there, and desk 1's order is refunded at desk 2 with a
 * supervisor's approval; both desks and the gateway then show the refund.
 */
test.skip(!pgBinariesPresent() && process.env.CI !== 'true', 'PostgreSQL binaries not found (Debian postgresql package)');

interface Detail {
  payment: { reference: string; captured: number; refunded: number };
  operations: { type: string; amount: number | null; state: string; approvedBy: string | null }[];
}

/** The payment of an order, as this desk's ledger has it. */
async function paymentOf(page: Page, orderReference: string): Promise<Detail> {
  const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: orderReference });
  const row = list.rows.find((r) => r.orderReference === orderReference);
  if (!row) throw new Error(`no payment of order ${orderReference} at this desk`);
  return apiOk<Detail>(page, 'payments.get', { paymentId: row.id });
}

async function joinShop(page: Page, cluster: LocalCluster, database: string) {
  await page.keyboard.press('Alt+S');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Shop server' });
  await expect(panel.getByText('Not in a shop')).toBeVisible();
  await panel.getByLabel('Server (host name or IP)').fill('127.0.0.1');
  await panel.getByLabel('Port').fill(String(cluster.port));
  await panel.getByLabel('Database').fill(database);
  await panel.getByLabel('User').fill(cluster.user);
  await panel.getByLabel('Encryption (TLS)').selectOption('disable');
  await panel.getByLabel('User').press('Enter');
  await expect(panel.getByText('Connected', { exact: true })).toBeVisible({ timeout: 30_000 });
  return panel;
}

test('two desks, one shop: a card saved and an order charged at desk 1; at desk 2 the card is charged again and desk 1\'s order refunded with approval; both desks show the refund', async ({ browser }) => {
  const cluster = await startLocalCluster({ dataDir: mkdtempSync(join(tmpdir(), 'pos-e2e-pg-')), throwaway: true });
  const desk1 = await startWeb();
  const desk2 = await startWeb({ sharedSandbox: desk1.sandboxUrl });
  const ctx1 = await browser.newContext();
  const ctx2 = await browser.newContext();
  try {
    const database = 'shop';
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();

    const p1 = await ctx1.newPage();
    const p2 = await ctx2.newPage();
    await setupStation(p1, desk1);
    await apiOk(p1, 'settings.update', { stationName: 'Desk 1' });
    // Desk 2 is new: only its own admin. Desk 1's people arrive with the shop.
    await p2.goto(desk2.url);
    await p2.getByLabel('Your name').fill('Dana Admin');
    await p2.getByLabel('PIN (6 or more digits)').fill('86420975');
    await p2.getByLabel('Repeat the PIN').fill('86420975');
    await p2.getByRole('button', { name: /Create administrator/ }).click();
    await expect(p2.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await apiOk(p2, 'settings.update', { stationName: 'Desk 2' });

    await test.step('an admin joins each desk to the shop from Settings', async () => {
      const panel1 = await joinShop(p1, cluster, database);
      await joinShop(p2, cluster, database);
      const stations = panel1.getByRole('table', { name: 'Stations of the shop' });
      await expect(stations.getByRole('row')).toHaveCount(3, { timeout: 15_000 });
      await expect(stations.getByRole('cell', { name: 'Desk 1 (this desk)' })).toBeVisible();
      await expect(stations.getByRole('cell', { name: 'Desk 2', exact: true })).toBeVisible();
      await panel1.scrollIntoViewIfNeeded();
      await shot(p1, 'shop-server-settings');
      // Verify the server: the shop's own CA can be pasted (not sent here: nothing is connected again).
      await panel1.getByLabel('Encryption (TLS)').selectOption('verify-full');
      await expect(panel1.getByLabel('CA certificate of the shop (PEM)')).toBeVisible();
      await panel1.getByLabel('CA certificate of the shop (PEM)').scrollIntoViewIfNeeded();
      await shot(p1, 'shop-server-ca-field');
      await panel1.getByLabel('Encryption (TLS)').selectOption('disable');
    });

    await test.step('a shop-wide setting saved at desk 1 is in effect at desk 2, whose settings screen says which are the shop\'s', async () => {
      await apiOk(p1, 'settings.update', { timeZone: 'Asia/Tokyo', merchantName: 'Achterberg Pens' });
      await expect.poll(async () => (await apiOk<{ timeZone: string | null; stationName: string }>(p2, 'settings.get', {})).timeZone, { timeout: 15_000 }).toBe('Asia/Tokyo');
      const form = p2.getByRole('form', { name: 'Station and merchant' });
      await expect(form.getByRole('heading', { name: 'For the whole shop' })).toBeVisible();
      await expect(form.getByText(/Shop-wide: a change saved here applies at every desk/)).toBeVisible();
      await expect(form.getByLabel(/Shop time zone/)).toHaveValue('Asia/Tokyo', { timeout: 10_000 });
      await expect(form.getByLabel('Merchant name (on receipts)')).toHaveValue('Achterberg Pens');
      await expect(form.getByLabel('Station name')).toHaveValue('Desk 2');
      await form.getByRole('heading', { name: 'For the whole shop' }).scrollIntoViewIfNeeded();
      await shot(p2, 'shop-settings-shop-wide');
    });

    const name = 'Imogen Achterberg';
    let desk1Reference = '';
    await test.step('desk 1 takes a phone order with a new card saved', async () => {
      await switchUser(p1, NAMES.clerk, PINS.clerk);
      await startOrder(p1, { customer: { name, phone: '+1 555 0199' }, lines: [{ description: 'Fountain pen', price: '42.00' }] });
      await enterNewCard(p1, CARDS.visa, 'I Achterberg');
      await expect(p1.getByRole('checkbox', { name: /Save card for next time/ })).toBeChecked();
      const result = await chargeNow(p1);
      await expect(result).toHaveAttribute('data-outcome', 'approved');
      await expect(result.getByText('Saved on file')).toBeVisible();
      desk1Reference = (await p1.getByTestId('result-reference').textContent())!.trim();
      expect(desk1Reference).not.toBe('');
      await shot(p1, 'shop-desk1-charged');
      // Desk 1 leaves the transaction open: what desk 2 does to it must show here without a reload.
      await p1.keyboard.press('Alt+O');
      await expect(p1.getByRole('heading', { name: `Order ${desk1Reference}` })).toBeVisible();
      await expect(p1.getByTestId('amt-refunded')).toHaveText('USD\u00a00.00');
    });

    await test.step('at desk 2, desk 1\u2019s supervisor signs in and finds the customer by the card\u2019s last 4, from desk 2\u2019s own ledger', async () => {
      await switchUser(p2, NAMES.supervisor, PINS.supervisor);
      await expect(async () => {
        await p2.keyboard.press('F3');
        await expect(p2.locator('#customer-search')).toBeFocused();
        await p2.locator('#customer-search').fill('0001');
        await expect(p2.getByRole('option').first()).toContainText(name, { timeout: 2_000 });
      }).toPass({ timeout: 20_000 });
      await expect(p2.getByRole('option').first()).toContainText('matched on card last 4');
      await shot(p2, 'shop-desk2-found-by-last4');
      await p2.keyboard.press('Enter');
      await expect(p2.getByRole('heading', { name })).toBeVisible();
      await expect(p2.getByRole('complementary').getByText('Visa \u2022\u2022\u2022\u2022 0001')).toBeVisible();
    });

    let desk2Reference = '';
    await test.step('desk 2 charges the card saved at desk 1 (its token, on the one gateway)', async () => {
      await p2.keyboard.press('Control+Enter');
      await expect(p2.getByTestId('chosen-customer')).toContainText(name);
      await expect(p2.getByRole('radio', { name: /Visa •••• 0001/ })).toBeChecked();
      await expect(p2.getByTestId('total')).toHaveText('USD\u00a042.00');
      const result = await chargeNow(p2);
      await expect(result).toHaveAttribute('data-outcome', 'approved');
      desk2Reference = (await p2.getByTestId('result-reference').textContent())!.trim();
      expect(desk2Reference).not.toBe(desk1Reference);
      // The desk's own name, as set in Settings after start-up, prefixes its orders.
      expect(desk2Reference).toMatch(/^Desk2-/);
      expect(desk1Reference).toMatch(/^Desk1-/);
      const [gw] = await sandboxOrders(desk1, (await paymentOf(p2, desk2Reference)).payment.reference);
      expect(gw).toMatchObject({ capturedAmount: 4200, maskedCard: expect.stringContaining('0001') });
      await shot(p2, 'shop-desk2-charged-card-on-file');
    });

    await test.step('at desk 2, desk 1\'s clerk refunds desk 1\'s order, 15.00, approved with the supervisor\'s PIN', async () => {
      // The signed-in person never approves their own refund: the clerk asks, the supervisor approves.
      await switchUser(p2, NAMES.clerk, PINS.clerk);
      await p2.keyboard.press('F4');
      await p2.locator('#tx-query').fill(desk1Reference);
      const row = p2.locator(`[role="row"][data-reference="${desk1Reference}"]`);
      await expect(row).toBeVisible({ timeout: 20_000 });
      await row.click();
      await expect(p2.getByRole('heading', { name: `Order ${desk1Reference}` })).toBeVisible();
      await p2.keyboard.press('r');
      const field = p2.getByLabel('Amount (USD)');
      await expect(field).toBeFocused();
      await field.fill('15.00');
      await p2.getByLabel('Reason').fill('One nib bent');
      await expect(p2.getByRole('group', { name: 'Supervisor approval' })).toBeVisible();
      await p2.getByLabel('Supervisor', { exact: true }).selectOption({ label: `${NAMES.supervisor} (supervisor)` });
      await p2.getByLabel('Supervisor PIN').fill(PINS.supervisor);
      await p2.keyboard.press('Enter');
      await expect(p2.getByText('Refunded USD\u00a015.00; USD\u00a027.00 can still be refunded')).toBeVisible();
      await expect(p2.getByTestId('amt-refunded')).toHaveText('USD\u00a015.00');
      await shot(p2, 'shop-desk2-refunded-desk1-order');
      const [gw] = await sandboxOrders(desk1, (await paymentOf(p2, desk1Reference)).payment.reference);
      expect(gw).toMatchObject({ capturedAmount: 4200, refundedAmount: 1500 });
    });

    await test.step('desk 1\'s open transaction shows the refund made at desk 2, without a reload', async () => {
      await expect(p1.getByRole('heading', { name: `Order ${desk1Reference}` })).toBeVisible();
      await expect(p1.getByTestId('amt-refunded')).toHaveText('USD\u00a015.00', { timeout: 10_000 });
      await expect(p1.locator('.timeline tr[data-op-type="refund"][data-op-state="succeeded"]')).toHaveCount(1);
      await shot(p1, 'shop-desk1-sees-refund');
      // Each ledger holds one refund of 15.00, approved, and no more.
      for (const p of [p1, p2]) {
        const d = await paymentOf(p, desk1Reference);
        expect(d.payment).toMatchObject({ captured: 4200, refunded: 1500 });
        expect(d.operations.filter((o) => o.type === 'refund').map((o) => [o.amount, o.state, Boolean(o.approvedBy)])).toEqual([[1500, 'succeeded', true]]);
      }
    });

    await test.step('at desk 2 the supervisor verifies the audit log: against the shop server too, both desks\' chains whole', async () => {
      await switchUser(p2, NAMES.supervisor, PINS.supervisor);
      await p2.keyboard.press('Alt+G');
      await expect(p2.getByRole('heading', { name: 'Audit log' })).toBeVisible();
      await p2.keyboard.press('Alt+V');
      await expect(p2.getByText('Checked against the shop server too: this desk\'s newest entries match the copy kept there, and the logs of 2 desks there are whole.')).toBeVisible({ timeout: 15_000 });
      await expect(p2.getByTestId('audit-state')).toHaveText('\u2713Intact');
      await expect(p2.getByRole('row').filter({ hasText: 'Audit log verified' }).first()).toContainText('Desk 2');
      await shot(p2, 'shop-audit-verified');
    });

    await test.step('at desk 2, End of day: this station counts desk 2\'s work; the whole shop counts both desks, by station', async () => {
      await p2.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /End of day/ }).click();
      await expect(p2.getByRole('heading', { name: 'End of day' })).toBeVisible();
      // Desk 2: its charge of 42.00 and its refund of 15.00 of desk 1's order.
      await expect(p2.getByTestId('eod-net-USD')).toContainText('USD\u00a027.00', { timeout: 15_000 });
      await expect(p2.getByTestId('eod-station')).toHaveCount(0);
      await p2.getByRole('radio', { name: 'Whole shop' }).check();
      await expect(p2.getByTestId('eod-whole-shop')).toBeVisible();
      // Desk 1's 42.00 too: 42 + 42 − 15.
      await expect(p2.getByTestId('eod-net-USD')).toContainText('USD\u00a069.00');
      const byStation = p2.getByTestId('eod-station');
      await expect(byStation.getByRole('row', { name: /Desk 1/ })).toContainText('USD\u00a042.00');
      await expect(byStation.getByRole('row', { name: /Desk 2/ })).toContainText('USD\u00a027.00');
      await expect(p2.getByTestId('eod-stations').getByRole('row')).toHaveCount(3);
      // Closing stays per station: not from the whole shop's view.
      await expect(p2.getByRole('button', { name: 'Close the day' })).toBeDisabled();
      await shot(p2, 'shop-whole-shop-end-of-day');
      await p2.getByRole('radio', { name: 'This station' }).check();
      await expect(p2.getByTestId('eod-net-USD')).toContainText('USD\u00a027.00');
      await expect(p2.getByRole('button', { name: 'Close the day' })).toBeEnabled();
    });

    let third = '';
    await test.step('desk 1\'s Transactions list shows desk 2\'s new charge without a reload, the row it is on kept', async () => {
      await p1.keyboard.press('Escape');
      const list = p1.locator('#tx-list');
      await expect(list).toBeFocused();
      await expect(list).toHaveAttribute('data-loaded', '2');
      await p1.keyboard.press('ArrowDown');
      const kept = await list.getAttribute('aria-activedescendant');
      expect(kept).toMatch(/^tx-/);
      // Desk 2 charges the card on file again.
      await p2.keyboard.press('F3');
      await p2.locator('#customer-search').fill('0001');
      await expect(p2.getByRole('option').first()).toContainText(name);
      await p2.keyboard.press('Enter');
      await expect(p2.getByRole('heading', { name })).toBeVisible();
      await p2.keyboard.press('Control+Enter');
      await expect(p2.getByRole('radio', { name: /Visa •••• 0001/ })).toBeChecked();
      const result = await chargeNow(p2);
      await expect(result).toHaveAttribute('data-outcome', 'approved');
      third = (await p2.getByTestId('result-reference').textContent())!.trim();
      await expect(p1.locator(`[role="row"][data-reference="${third}"]`)).toBeVisible({ timeout: 10_000 });
      await expect(list).toHaveAttribute('data-loaded', '3');
      await expect(list).toHaveAttribute('aria-activedescendant', kept!);
      await shot(p1, 'shop-desk1-list-live');
    });

    await test.step('an admin takes desk 2 out of the shop (confirmed); its records stay; desk 1 can no longer act on desk 2\'s payments', async () => {
      await switchUser(p2, NAMES.admin, PINS.admin);
      await p2.keyboard.press('Alt+S');
      const panel = p2.getByRole('region', { name: 'Shop server' });
      await panel.getByRole('button', { name: 'Leave the shop…' }).click();
      const dialog = p2.getByRole('dialog', { name: 'Leave the shop?' });
      await expect(dialog).toBeVisible();
      await dialog.getByRole('button', { name: 'Leave the shop' }).click();
      await expect(panel.getByText('Not in a shop')).toBeVisible({ timeout: 30_000 });
      await expect(panel.getByText(/This desk left the shop on/)).toBeVisible();
      await panel.scrollIntoViewIfNeeded();
      await shot(p2, 'shop-desk2-left');
      // Desk 2 keeps everything it recorded, desk 1's order included.
      expect((await paymentOf(p2, desk1Reference)).payment.refunded).toBe(1500);
      const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(p1, 'payments.list', { query: third });
      const desk2Payment = list.rows.find((r) => r.orderReference === third)!;
      const refused = await api(p1, 'payments.void', { paymentId: desk2Payment.id });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringMatching(/has left the shop/) } });
    });
  } finally {
    await ctx1.close();
    await ctx2.close();
    await desk1.stop();
    await desk2.stop();
    await cluster.destroy();
  }
});
