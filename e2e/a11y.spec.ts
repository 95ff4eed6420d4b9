import type { Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, setupStation, shot, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';
import { report, scan as scanInto, type Finding } from './axe';

/**
 * Issue 13, item 15: axe-core (docs/decisions/accessibility-scan.md) on every main screen, the
 * gateway's card page inside its frame and the sandbox mailbox included. WCAG 2.1 A/AA and axe's
 * best practices (landmarks: everything inside one, one main); no serious or critical violation,
 * and none of the landmark rules either (axe rates those moderate, the issue found them).
 * The same scan in right to left: e2e/rtl.spec.ts.
 */
const findings: Finding[] = [];
const scan = (page: Page, screen: string) => scanInto(page, screen, findings);

test('axe finds no serious, critical or landmark violation on any main screen', async ({ page, web }) => {
  test.setTimeout(300_000);

  await page.goto(web.url);
  await expect(page.getByRole('heading', { name: 'Set up this station' })).toBeVisible();
  await scan(page, 'setup');
  await setupStation(page, web);

  await page.getByRole('button', { name: 'Switch user' }).first().click();
  await expect(page.getByRole('group', { name: 'Choose your name' })).toBeVisible();
  await scan(page, 'sign-in');
  await page.getByRole('button', { name: new RegExp(NAMES.clerk) }).click();
  await expect(page.locator('#pin-input')).toBeFocused();
  await page.keyboard.type('999999');
  await page.keyboard.press('Enter');
  await expect(page.getByText('That PIN is not right. Try again.')).toBeVisible();
  await scan(page, 'sign-in, wrong PIN');
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  await expect(page.locator('.user-name')).toHaveText(NAMES.clerk);

  const customer = { name: 'Lena Ortiz', phone: '+1 555 0199', email: 'lena.ortiz@example.com' };
  await test.step('new order with the gateway card page in its frame, then the result', async () => {
    await startOrder(page, { customer, lines: [{ description: 'Desk lamp', price: '42.50', tax: '0' }] });
    await page.getByRole('radio', { name: 'New card' }).check();
    await expect(page.frameLocator('iframe[data-testid="hosted-frame"]').getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
    await scan(page, 'new order, card page');
    // What the fixes give a screen-reader user: the band is a named landmark, one main, the
    // connection button's name starts with what it shows.
    await expect(page.getByRole('region', { name: 'Sandbox gateway' })).toContainText('SANDBOX');
    await expect(page.getByRole('main')).toHaveCount(1);
    await expect(page.frameLocator('iframe[data-testid="hosted-frame"]').getByRole('main')).toHaveCount(0);
    await expect(page.frameLocator('iframe[data-testid="hosted-frame"]').getByRole('form', { name: 'Card details' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Online\s*nothing queued\s*\. Open the queue\.$/ })).toBeVisible();
    await enterNewCard(page, CARDS.visa, customer.name);
    await scan(page, 'new order, card ready');
    const result = await chargeNow(page);
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    await scan(page, 'charge approved');
  });

  await test.step('customers and a customer', async () => {
    await page.keyboard.press('F3');
    await expect(page.locator('#customer-search')).toBeFocused();
    await scan(page, 'customers');
    await page.keyboard.type('Lena');
    await expect(page.getByRole('option').first()).toContainText(customer.name);
    await scan(page, 'customers, results');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: customer.name })).toBeVisible();
    await scan(page, 'customer detail');
  });

  await test.step('transactions and a transaction', async () => {
    await page.keyboard.press('F4');
    await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();
    await expect(page.locator('.tx-space .tx-row')).toHaveCount(1);
    await scan(page, 'transactions');
    await page.locator('#tx-list').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
    await scan(page, 'transaction detail');
  });

  await test.step('queue, recurring, end of day', async () => {
    await page.keyboard.press('Alt+Q');
    await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
    await scan(page, 'queue');
    const c = await apiOk<{ hits: { customer: { id: string; name: string } }[] }>(page, 'customers.search', { query: 'Lena' });
    const detail = await apiOk<{ cards: { id: string }[] }>(page, 'customers.get', { id: c.hits[0]!.customer.id });
    await apiOk(page, 'recurring.create', { customerId: c.hits[0]!.customer.id, cardId: detail.cards[0]!.id, amount: 1500, currency: 'USD', frequency: 'monthly', startAt: null, endAt: null, count: 12, description: 'Lamp bulbs subscription' });
    // A mail in the sandbox mailbox, for its scan below.
    const order = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'phone', currency: 'USD', customerId: c.hits[0]!.customer.id, lines: [{ description: 'Spare shade', quantity: 1, unitPrice: 1890, taxRateBp: 0 }] });
    await apiOk(page, 'confirmations.start', { orderId: order.id, cardId: detail.cards[0]!.id, mode: 'purchase' });
    await page.keyboard.press('Alt+R');
    await expect(page.getByRole('heading', { name: 'Recurring' }).first()).toBeVisible();
    await expect(page.getByText('Lamp bulbs subscription').first()).toBeVisible();
    await scan(page, 'recurring');
    await page.keyboard.press('Alt+E');
    await expect(page.getByRole('heading', { name: 'End of day' })).toBeVisible();
    await scan(page, 'end of day');
  });

  await test.step('lock screen', async () => {
    await page.keyboard.press('Alt+L');
    await expect(page.getByRole('dialog', { name: 'Locked' })).toBeVisible();
    await scan(page, 'lock');
    await page.keyboard.type(PINS.clerk);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Locked' })).toHaveCount(0);
  });

  await test.step('audit (supervisor), settings (admin)', async () => {
    await switchUser(page, NAMES.supervisor, PINS.supervisor);
    await page.keyboard.press('Alt+G');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await scan(page, 'audit');
    await switchUser(page, NAMES.admin, PINS.admin);
    await page.keyboard.press('Alt+S');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await expect(page.getByRole('cell', { name: NAMES.supervisor, exact: true })).toBeVisible();
    await scan(page, 'settings');
    await page.getByRole('button', { name: 'Change PIN' }).click();
    await expect(page.getByRole('dialog', { name: 'Change my PIN' })).toBeVisible();
    await scan(page, 'change my PIN');
    await page.keyboard.press('Escape');
  });

  await test.step('the sandbox mailbox', async () => {
    const mail = await page.context().newPage();
    await mail.goto(`${web.sandboxUrl}/mailbox`);
    await expect(mail.getByTestId('email')).toHaveCount(1);
    await scan(mail, 'sandbox mailbox');
    await shot(mail, 'sandbox-mailbox');
    await mail.getByTestId('email-link').click();
    await expect(mail.getByTestId('disclaimer-page')).toBeVisible();
    await scan(mail, 'sandbox, confirm your payment');
    await mail.getByTestId('agree').click();
    await expect(mail.getByTestId('confirmation-result')).toBeVisible();
    await scan(mail, 'sandbox, confirmed');
    await mail.close();
  });

  expect(report(findings), 'axe violations').toBe('');
});
