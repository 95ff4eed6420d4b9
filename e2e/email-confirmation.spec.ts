import type { Page } from '@playwright/test';
import { apiOk, expect, sandboxOrders, shot, test, type WebApp } from './fixtures';
import { CARDS, chargeNow, enterNewCard, fillLines, startOrder } from './desk';

const NAME = 'Nadia Haddad';
const EMAIL = 'nadia.haddad@example.com';

/** A first, ordinary charge through the hosted page keeps the card on file. */
async function customerWithCardOnFile(page: Page) {
  await startOrder(page, { customer: { name: NAME, email: EMAIL, phone: '+1 555 0142' }, lines: [{ description: 'Gift wrap', price: '5.00', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await expect(result.getByText('Saved on file')).toBeVisible();
}

/** F2, pick the customer, key the lines, "Customer confirms by email", send. */
async function emailConfirmOrder(page: Page, description: string, price: string) {
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
  await page.locator('#order-first-field').fill(NAME);
  await expect(page.getByRole('option').first()).toContainText(NAME);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chosen-customer')).toContainText(NAME);
  await fillLines(page, [{ description, price, tax: '0' }]);
  await page.getByRole('radio', { name: 'Customer confirms by email' }).check();
  await expect(page.getByRole('radio', { name: /Visa •••• 0001/ })).toBeChecked();
  await expect(page.getByTestId('email-confirm-note')).toContainText(EMAIL);
  await expect(page.locator('#charge-button')).toContainText('Email to confirm');
  await page.keyboard.press('Control+Enter');
  const panel = page.getByTestId('confirmation');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-state', 'processing');
  await expect(panel.getByText(`Email sent to ${EMAIL}`).first()).toBeVisible();
  return panel;
}

/** The sandbox mailbox plays the customer: the newest mail to them, its link, then a button. */
async function customerAnswers(page: Page, web: WebApp, answer: 'agree' | 'refuse') {
  const mail = await page.context().newPage();
  try {
    await mail.goto(`${web.sandboxUrl}/mailbox`);
    const email = mail.locator(`[data-testid="email"][data-email="${EMAIL}"]`).first();
    await expect(email).toBeVisible();
    await email.getByTestId('email-link').click();
    await expect(mail.getByTestId('disclaimer-page')).toBeVisible();
    await mail.getByTestId(answer).click();
    await expect(mail.getByTestId('confirmation-result')).toBeVisible();
  } finally {
    await mail.close();
  }
}

test('the customer confirms by email: charged once, only after agreeing', async ({ desk: page, web }) => {
  await customerWithCardOnFile(page);

  const panel = await emailConfirmOrder(page, 'Hand pruners and loppers', '42.50');
  const reference = (await panel.getByTestId('result-reference').textContent())!.trim();
  await expect(panel.getByTestId('step-opened')).toHaveAttribute('data-step-state', 'current');
  await shot(page, 'email-confirmation-waiting');
  // Nothing reaches the bank while the customer has not agreed.
  expect(await sandboxOrders(web, `${reference}-P1`)).toHaveLength(0);

  await customerAnswers(page, web, 'agree');
  const result = page.getByTestId('charge-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await expect(result.getByText(/^Approved/)).toBeVisible();
  await expect(result.getByTestId('confirmed-by')).toHaveText(EMAIL);
  await expect(result.getByTestId('result-reference')).toHaveText(reference);
  await shot(page, 'email-confirmation-confirmed');

  const charges = (await sandboxOrders(web)).filter((o) => o.merchantReference.startsWith(`${reference}-`));
  expect(charges).toHaveLength(1);
  expect(charges[0]).toMatchObject({ command: 'PURCHASE', amount: 4250, capturedAmount: 4250 });
  // Asking again (the screen stopped polling; the contract still answers) never charges again.
  const list = await apiOk<{ rows: { orderReference: string; status: string }[] }>(page, 'payments.list', { query: reference });
  expect(list.rows.filter((r) => r.orderReference === reference)).toHaveLength(1);
});

test('the customer refuses: nothing is charged and the screen says so', async ({ desk: page, web }) => {
  await customerWithCardOnFile(page);
  const panel = await emailConfirmOrder(page, 'Garden kneeler', '18.00');
  const reference = (await panel.getByTestId('result-reference').textContent())!.trim();
  await customerAnswers(page, web, 'refuse');
  await expect(panel).toHaveAttribute('data-state', 'refused', { timeout: 30_000 });
  await expect(panel.getByText(/Refused by the customer/)).toBeVisible();
  await expect(panel.getByText(/Nothing was charged; the order is still awaiting payment/)).toBeVisible();
  await expect(panel.getByTestId('step-agreed')).toHaveAttribute('data-step-state', 'failed');
  await shot(page, 'email-confirmation-refused');
  expect((await sandboxOrders(web)).filter((o) => o.merchantReference.startsWith(`${reference}-`))).toHaveLength(0);
  const list = await apiOk<{ rows: { orderReference: string }[] }>(page, 'payments.list', { query: reference });
  expect(list.rows.filter((r) => r.orderReference === reference)).toHaveLength(0);

  // Another way to pay: back to the form, the same order.
  await page.getByRole('button', { name: 'Choose another way to pay' }).click();
  await expect(page.locator('#charge-button')).toBeVisible();
});
