import type { Page } from '@playwright/test';
import { apiOk, expect, test } from './fixtures';

/** A cash sale to a new customer, through the core; the payment's order reference. */
async function saleTo(page: Page, name: string, amount: number): Promise<string> {
  const order = await apiOk<{ id: string; reference: string }>(page, 'orders.create', {
    channel: 'counter', currency: 'USD', newCustomer: { name }, lines: [{ description: 'Tea', quantity: 1, unitPrice: amount, taxRateBp: 0 }],
  });
  await apiOk(page, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: amount } });
  return order.reference;
}

test('Transactions: ↓ Enter straight after typing a search opens a payment the search found, never a row shown before it', async ({ desk: page }) => {
  const mario = await saleTo(page, 'Mario Lopes', 1_200);
  const marian = await saleTo(page, 'Marian Lopez-Smith', 3_400);

  await page.keyboard.press('F4');
  const rows = page.locator('#tx-list [role="row"][data-reference]');
  await expect(rows.first()).toHaveAttribute('data-reference', new RegExp(`^${marian}`));

  // A fast clerk: the name at 30 ms a key, then ↓ and Enter at once, before the search's answer.
  await page.locator('#tx-query').focus();
  await page.keyboard.type('Mario', { delay: 30 });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');

  const detail = page.getByRole('heading', { name: /^Order / });
  await expect(detail).toBeVisible();
  await expect(detail).toContainText(mario);
  await expect(page.getByRole('main')).toContainText('Mario Lopes');
  await expect(page.getByRole('main')).not.toContainText('Marian Lopez-Smith');
});
