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

test('payment detail: a refused letter says why, and the words typed after it open no other form', async ({ desk: page }) => {
  const reference = await saleTo(page, 'Rania Haddad', 2_000);
  await page.keyboard.press('F4');
  await page.locator('#tx-query').focus();
  await page.keyboard.type(reference, { delay: 10 });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^Order / })).toContainText(reference);
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // no field has the caret

  // A cash sale cannot be voided: V is refused, the reason is announced.
  await page.keyboard.press('v');
  await expect(page.getByRole('alert').filter({ hasText: 'not available' })).toContainText('Void');
  // The clerk thought a form opened and types its reason: "refund" starts with R, and the refund
  // form is allowed here, but typed words open nothing, letter by letter or after the pause.
  await page.keyboard.type('returned, never collected', { delay: 40 });
  await expect(page.getByRole('form')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form')).toHaveCount(0);

  // A letter pressed on its own, after a pause, is a shortcut again.
  await page.waitForTimeout(1_600);
  await page.keyboard.press('r');
  await expect(page.getByRole('form', { name: /Refund/ })).toBeVisible();
});

test('new order: Enter pressed before the customer matches come takes the first match when it comes', async ({ desk: page }) => {
  await saleTo(page, 'Mario Lopes', 1_200);
  await saleTo(page, 'Maria Lopez', 1_300);
  await page.keyboard.press('F2');
  await expect(page.locator('#order-first-field')).toBeFocused();
  await page.keyboard.type('Mari', { delay: 30 });
  await expect(page.getByRole('option', { name: /Mari[ao] Lope/ })).toHaveCount(2);
  // The clerk moves to Mario, then types on ("Maria") and presses Enter at once, before the
  // matches of "Maria" can have come.
  await page.keyboard.press('ArrowDown');
  await page.locator('#order-first-field').evaluate((el) => {
    const input = el as HTMLInputElement;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', code: 'KeyA', bubbles: true }));
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, `${input.value}a`);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
  });
  await expect(page.getByTestId('chosen-customer')).toContainText('Maria Lopez');
});
