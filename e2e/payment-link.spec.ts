import { expect, NAMES, PINS, sandboxControl, sandboxOrders, shot, test } from './fixtures';
import { startOrder } from './desk';

const EMAIL = 'omar.khalil@example.com';

test('pay by link: the clerk sends a link, the customer pays with 3-D Secure, the order turns paid live, a supervisor refunds part', async ({ desk: page, web }) => {
  await startOrder(page, { customer: { name: 'Omar Khalil', email: EMAIL, phone: '+971 50 000 0042' }, lines: [{ description: 'Desk lamp', price: '64.00', tax: '0' }] });
  await page.getByRole('button', { name: 'Send a payment link' }).click();
  const form = page.getByTestId('link-send');
  await expect(form.getByLabel("Customer's email")).toHaveValue(EMAIL);
  await expect(page.locator('#charge-button')).toContainText('Send link for USD');
  await shot(page, 'link-send-form');
  await page.keyboard.press('Control+Enter');

  const panel = page.getByTestId('link-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-state', 'sent');
  await expect(panel.getByTestId('link-amount')).toHaveText('USD\u00a064.00');
  const reference = (await panel.locator('dd bdi').nth(1).textContent())!.trim();
  expect(reference).toMatch(/-L1$/);
  await shot(page, 'link-sent');

  // The customer, on their own device: the sandbox mailbox, the link, the card, 3-D Secure.
  const customer = await page.context().newPage();
  await customer.goto(`${web.sandboxUrl}/link-mailbox`);
  const mail = customer.getByTestId('link-message').filter({ hasText: EMAIL }).first();
  await expect(mail).toBeVisible();
  await mail.getByTestId('link-url').click();
  await expect(customer.getByRole('heading', { name: 'Pay USD 64.00' })).toBeVisible();
  await expect(panel).toHaveAttribute('data-state', 'opened', { timeout: 15_000 });
  await expect(panel.getByTestId('link-opened')).toHaveText('1 time');
  await shot(page, 'link-opened');
  await customer.getByLabel('Card number').fill('4557012345678902');
  await customer.getByLabel('Expiry (MM/YY)').fill('05/30');
  await customer.getByLabel('Security code').fill('123');
  await shot(customer, 'link-payer-page');
  await customer.getByRole('button', { name: /^Pay / }).click();
  await expect(customer.getByRole('heading', { name: 'Your bank: verify this payment' })).toBeVisible();
  await customer.getByLabel('One-time code sent to your phone').fill('1234');
  await shot(customer, 'link-3ds-challenge');
  await customer.getByRole('button', { name: 'Verify' }).click();
  await expect(customer.getByTestId('link-paid')).toBeVisible();
  await shot(customer, 'link-payer-paid');
  await customer.close();

  // The order screen turns paid by itself: no reload.
  await expect(panel).toHaveAttribute('data-state', 'paid', { timeout: 15_000 });
  await expect(panel.getByText('Paid by link · USD\u00a064.00')).toBeVisible();
  await shot(page, 'link-paid');
  const bank = await sandboxOrders(web, reference);
  expect(bank).toHaveLength(1);
  expect(bank[0]).toMatchObject({ command: 'PURCHASE', amount: 6400, capturedAmount: 6400 });

  // A normal payment: refund part of it from Transactions with a supervisor's PIN.
  await panel.getByRole('button', { name: 'Open the payment' }).click();
  await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
  await page.keyboard.press('r');
  await page.getByLabel('Amount (USD)').fill('14.00');
  await page.getByLabel('Reason').fill('Scratched base');
  await page.getByLabel('Supervisor', { exact: true }).selectOption({ label: `${NAMES.supervisor} (supervisor)` });
  await page.getByLabel('Supervisor PIN').fill(PINS.supervisor);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Refunded USD\u00a014.00; USD\u00a050.00 can still be refunded')).toBeVisible();
  await shot(page, 'link-refunded');
  expect((await sandboxOrders(web, reference))[0]).toMatchObject({ capturedAmount: 6400, refundedAmount: 1400 });
});

test('pay by link while the gateway is offline: refused with a clear message, other methods offered', async ({ desk: page, web }) => {
  await startOrder(page, { customer: { name: 'Huda Saleh', email: 'huda@example.com' }, lines: [{ description: 'Notebook', price: '9.00', tax: '0' }] });
  await sandboxControl(web, 'reachable', { reachable: false });
  // The clerk sees the station go offline (the probe notices within seconds).
  await expect(page.locator('.sync-offline')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Send a payment link' }).click();
  await expect(page.getByText('Offline: a link needs the gateway')).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText(/gateway is offline: a payment link cannot be sent/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('link-panel')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'New card' })).toBeEnabled();
  await shot(page, 'link-offline');
});
