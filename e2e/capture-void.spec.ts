import type { Page } from '@playwright/test';
import { apiOk, expect, sandboxOrders, shot, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, openResultTransaction, startOrder } from './desk';

interface Detail {
  payment: { id: string; reference: string; authorized: number; captured: number; refunded: number; status: string };
  operations: { type: string; amount: number | null; state: string }[];
}

async function authorize(page: Page, name: string, price: string) {
  await startOrder(page, { customer: { name }, lines: [{ description: 'Made-to-order bookcase', price, tax: '0' }] });
  await enterNewCard(page, CARDS.mastercard);
  await page.getByRole('radio', { name: /Authorize only/ }).check();
  await expect(page.locator('#charge-button')).toContainText('Authorize');
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await expect(result.getByText(/^Authorized/)).toBeVisible();
  await openResultTransaction(page);
}

async function detailOf(page: Page): Promise<Detail> {
  const reference = (await page.getByRole('heading', { name: /^Order / }).textContent())!.replace('Order ', '').trim();
  const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: reference });
  const row = list.rows.find((r) => r.orderReference === reference)!;
  return apiOk<Detail>(page, 'payments.get', { paymentId: row.id });
}

test('an authorization captured in two parts', async ({ desk: page, web }) => {
  await authorize(page, 'Theo Brandt', '120.00');
  await expect(page.getByTestId('amt-authorized')).toHaveText('USD\u00a0120.00');
  await expect(page.getByTestId('amt-captured')).toHaveText('USD\u00a00.00');
  await expect(page.getByTestId('rest-note')).toContainText('USD\u00a0120.00 authorized, nothing captured yet');
  await shot(page, 'transaction-authorized');

  await test.step('first part: 45.50 of 120.00', async () => {
    await page.keyboard.press('c');
    const amount = page.getByLabel('Amount (USD)');
    await expect(amount).toBeFocused();
    await expect(amount).toHaveValue('120.00');
    await amount.fill('45.50');
    await shot(page, 'capture-form');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Captured USD\u00a045.50; USD\u00a074.50 still authorized')).toBeVisible();
    await expect(page.getByTestId('amt-captured')).toHaveText('USD\u00a045.50');
    await expect(page.locator('.badge[data-status="partially_captured"]')).toBeVisible();
  });

  await test.step('second part: the rest, which the form offers by default', async () => {
    await page.keyboard.press('c');
    await expect(page.getByLabel('Amount (USD)')).toHaveValue('74.50');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Captured USD\u00a074.50; nothing left to capture')).toBeVisible();
    await expect(page.getByTestId('amt-captured')).toHaveText('USD\u00a0120.00');
    await expect(page.locator('.badge[data-status="captured"]')).toBeVisible();
    // No further capture or void is offered, and the screen says why.
    await expect(page.getByRole('button', { name: /^Capture/ })).toHaveCount(0);
    await expect(page.getByText(/Capture\s*not available: Everything authorized has been captured/)).toBeVisible();
    await expect(page.getByText(/Void\s*not available/)).toBeVisible();
    await shot(page, 'transaction-captured');
  });

  await test.step('the ledger and the gateway agree', async () => {
    const d = await detailOf(page);
    expect(d.payment).toMatchObject({ authorized: 12000, captured: 12000, refunded: 0, status: 'captured' });
    expect(d.operations.filter((o) => o.type === 'capture' && o.state === 'succeeded').map((o) => o.amount)).toEqual([4550, 7450]);
    const [gw] = await sandboxOrders(web, d.payment.reference);
    expect(gw).toMatchObject({ command: 'AUTHORIZATION', authorizedAmount: 12000, capturedAmount: 12000 });
  });
});

test('a void of an authorization', async ({ desk: page, web }) => {
  await authorize(page, 'Ines Caldera', '64.00');
  await page.keyboard.press('v');
  await expect(page.getByRole('heading', { name: 'Void the authorization' })).toBeVisible();
  await page.getByLabel('Reason (optional)').fill('Customer cancelled');
  await shot(page, 'void-form');
  await page.keyboard.press('Enter');
  await expect(page.getByText("Authorization voided: USD\u00a064.00 released to the customer's card")).toBeVisible();
  await expect(page.locator('.badge[data-status="voided"]')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Capture/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Void/ })).toHaveCount(0);
  await expect(page.getByText(/not available: The authorization was voided/).first()).toBeVisible();

  const d = await detailOf(page);
  expect(d.payment).toMatchObject({ authorized: 6400, captured: 0, status: 'voided' });
  expect(d.operations.some((o) => o.type === 'void' && o.state === 'succeeded')).toBe(true);
  const [gw] = await sandboxOrders(web, d.payment.reference);
  expect(gw!.status).toMatch(/void/i);
  expect(gw!.capturedAmount).toBe(0);
});
