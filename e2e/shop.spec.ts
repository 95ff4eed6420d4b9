import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { pgBinariesPresent, startLocalCluster, type LocalCluster } from '../electron/core/shop/local-cluster';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';
import { apiOk, expect, NAMES, PINS, setupStation, shot, startWeb, switchUser, test } from './fixtures';

/**
 * Two web-mode desks on one real PostgreSQL (docs/stations.md): each joins the shop from
 * Settings → Shop server; a card saved with a phone order at desk 1 is found by its last 4 at
 * desk 2, from desk 2's own ledger.
 *
 * Not yet here (docs/stations.md, "Not done yet"): charging that card and refunding desk 1's order
 * at desk 2. Each web-mode station starts its own embedded sandbox gateway, so desk 2's gateway
 * would not know desk 1's token or order; that needs the two stations on one gateway.
 */
test.skip(!pgBinariesPresent() && process.env.CI !== 'true', 'PostgreSQL binaries not found (Debian postgresql package)');

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

test('two desks, one shop: join from Settings; desk 1\'s supervisor signs in at desk 2 and finds a card saved at desk 1 by its last 4', async ({ browser }) => {
  const cluster = await startLocalCluster({ dataDir: mkdtempSync(join(tmpdir(), 'pos-e2e-pg-')), throwaway: true });
  const desk1 = await startWeb();
  const desk2 = await startWeb();
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
    });

    const name = 'Imogen Achterberg';
    await test.step('desk 1 takes a phone order with a new card saved', async () => {
      await switchUser(p1, NAMES.clerk, PINS.clerk);
      await startOrder(p1, { customer: { name, phone: '+1 555 0199' }, lines: [{ description: 'Fountain pen', price: '42.00' }] });
      await enterNewCard(p1, CARDS.visa, 'I Achterberg');
      await expect(p1.getByRole('checkbox', { name: /Save card for next time/ })).toBeChecked();
      const result = await chargeNow(p1);
      await expect(result).toHaveAttribute('data-outcome', 'approved');
      await expect(result.getByText('Saved on file')).toBeVisible();
      await shot(p1, 'shop-desk1-charged');
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
  } finally {
    await ctx1.close();
    await ctx2.close();
    await desk1.stop();
    await desk2.stop();
    await cluster.destroy();
  }
});
