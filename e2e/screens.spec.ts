import { apiOk, expect, NAMES, PINS, sandboxControl, setupStation, shot, switchUser, test } from './fixtures';
import { fillLines } from './desk';

test('sign-in, lock and unlock keep the unfinished order', async ({ page, web }) => {
  await setupStation(page, web);
  await page.getByRole('button', { name: 'Switch user' }).first().click();
  await expect(page.getByRole('group', { name: 'Choose your name' })).toBeVisible();
  await shot(page, 'login-users');
  await page.getByRole('button', { name: new RegExp(NAMES.clerk) }).click();
  await expect(page.locator('#pin-input')).toBeFocused();
  await page.keyboard.type('999999');
  await page.keyboard.press('Enter');
  await expect(page.getByText('That PIN is not right. Try again.')).toBeVisible();
  await shot(page, 'login-pin');
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  await expect(page.locator('.user-name')).toHaveText(NAMES.clerk);

  // Start an order, lock with Alt+L, unlock: the order is still there.
  await page.keyboard.press('F2');
  await fillLines(page, [{ description: 'Half-typed line', price: '9.99', tax: '5' }]);
  await page.keyboard.press('Alt+L');
  await expect(page.getByRole('dialog', { name: 'Locked' })).toBeVisible();
  await shot(page, 'locked');
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Locked' })).toHaveCount(0);
  await expect(page.getByLabel('Line 1 description')).toHaveValue('Half-typed line');
  await expect(page.getByTestId('total')).toHaveText('USD\u00a010.49');

  // Switch user from the lock screen: the supervisor signs in and the same order is on screen.
  await page.keyboard.press('Alt+L');
  await page.getByRole('dialog', { name: 'Locked' }).getByRole('button', { name: 'Switch user' }).click();
  await page.getByRole('button', { name: new RegExp(NAMES.supervisor) }).click();
  await page.keyboard.type(PINS.supervisor);
  await page.keyboard.press('Enter');
  await expect(page.locator('.user-name')).toHaveText(NAMES.supervisor);
  await page.keyboard.press('F2');
  await expect(page.getByLabel('Line 1 description')).toHaveValue('Half-typed line');
  await expect(page.getByTestId('total')).toHaveText('USD\u00a010.49');
});

test('a counter sale in cash: change due, recorded in the ledger', async ({ desk: page }) => {
  await page.keyboard.press('F2');
  await page.getByRole('radio', { name: 'Counter' }).check();
  await fillLines(page, [
    { description: 'Notebook A5', quantity: '3', price: '4.20', tax: '0' },
    { description: 'Fountain pen', price: '18.75', tax: '0' },
  ]);
  await page.getByRole('radio', { name: 'Cash' }).check();
  await page.getByLabel('Amount tendered (USD)').fill('40');
  await expect(page.getByTestId('change-due')).toHaveText('USD\u00a08.65');
  await shot(page, 'new-order-cash');
  await page.keyboard.press('Control+Enter');
  const result = page.getByTestId('charge-result');
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await expect(result.getByText('Paid in cash \u00b7 USD\u00a031.35')).toBeVisible();
  await expect(page.getByTestId('result-change')).toHaveText('USD\u00a08.65');
  const reference = (await page.getByTestId('result-reference').textContent())!.trim();
  const list = await apiOk<{ rows: { id: string; orderReference: string; method: string; amount: number; captured: number; status: string }[] }>(page, 'payments.list', { query: reference });
  const row = list.rows.find((r) => r.orderReference === reference)!;
  expect(row).toMatchObject({ method: 'cash', amount: 3135, captured: 3135 });
  const detail = await apiOk<{ cash: { tendered: number; change: number } | null }>(page, 'payments.get', { paymentId: row.id });
  expect(detail.cash).toEqual({ tendered: 4000, change: 865 });
});

test('transactions, queue and settings screens', async ({ page, web }) => {
  await setupStation(page, web);
  // A few payments so the list has rows: cash is enough and quick.
  for (const [i, price] of ['12.00', '7.50', '103.25'].entries()) {
    const order = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'counter', currency: 'USD', lines: [{ description: `Item ${i + 1}`, quantity: 1, unitPrice: Math.round(Number(price) * 100), taxRateBp: 0 }] });
    await apiOk(page, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: 20_000 } });
  }
  await page.keyboard.press('F4');
  await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();
  await expect(page.locator('.tx-space .tx-row')).toHaveCount(3);
  await shot(page, 'transactions');
  await page.locator('#tx-list').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
  await shot(page, 'transaction-cash');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();

  await page.getByRole('radio', { name: 'Unknown outcome' }).check();
  await expect(page.getByText('No payments match.')).toBeVisible();
  await shot(page, 'transactions-empty-filter');

  // Offline: the top bar says so.
  await sandboxControl(web, 'reachable', { reachable: false });
  await page.keyboard.press('Alt+Q');
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  await shot(page, 'queue');
  await sandboxControl(web, 'reachable', { reachable: true });

  await page.keyboard.press('Alt+S');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('cell', { name: NAMES.supervisor, exact: true })).toBeVisible();
  await page.getByLabel('Merchant name (on receipts)').fill('Harbour Street Stationers');
  await page.getByLabel(/^Accept them, queued/).check();
  await page.getByLabel('Largest charge (USD)').fill('50');
  await page.getByLabel('Most charges waiting').fill('5');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  const s = await apiOk<{ merchantName: string; offlineCharges: { enabled: boolean; perCharge: number; maxCount: number } }>(page, 'settings.get');
  expect(s.merchantName).toBe('Harbour Street Stationers');
  expect(s.offlineCharges).toMatchObject({ enabled: true, perCharge: 5000, maxCount: 5 });
  await shot(page, 'settings');

  await page.keyboard.press('F3');
  await expect(page.locator('#customer-search')).toBeFocused();
  await shot(page, 'customers-empty');

  // The SANDBOX banner is always there on the sandbox gateway.
  await expect(page.getByRole('region', { name: 'Sandbox gateway' })).toContainText('SANDBOX');
  await switchUser(page, NAMES.supervisor, PINS.supervisor);
  await expect(page.getByRole('button', { name: /Settings/ })).toHaveCount(0);
});
