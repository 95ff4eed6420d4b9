import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fillLines } from './desk';

/** A cash sale from the order screen; returns its order reference. */
async function cashSale(page: Page, description: string): Promise<string> {
  await page.keyboard.press('F2');
  await fillLines(page, [{ description, price: '5.00', tax: '0' }]);
  await page.getByRole('radio', { name: 'Cash' }).check();
  await page.getByLabel('Amount tendered (USD)').fill('5');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('charge-result')).toHaveAttribute('data-outcome', 'approved');
  return (await page.getByTestId('result-reference').textContent())!.trim();
}

/** After F4: every order reference the list's first row showed, in order, from the key on. */
async function firstRowsAfterF4(page: Page, until: string): Promise<string[]> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __firstRows: string[] }).__firstRows = seen;
    const look = () => {
      const row = document.querySelector<HTMLElement>('#tx-list [role="row"][data-reference]');
      const ref = row?.checkVisibility() ? row.dataset.reference! : null;
      if (ref && seen[seen.length - 1] !== ref) seen.push(ref);
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.keyboard.press('F4');
  await expect(page.locator('#tx-list [role="row"]').first()).toHaveAttribute('data-reference', until);
  return page.evaluate(() => (window as unknown as { __firstRows: string[] }).__firstRows);
}

test('F4 shows the list drawn ahead at once, and never a row from before a payment just taken', async ({ desk: page }) => {
  const first = await cashSale(page, 'First sale');

  // A fresh page: the order screen, with Transactions drawn ahead (hidden) holding the first sale.
  await page.reload();
  await expect(page.locator('#order-first-field')).toBeFocused();
  const hiddenTop = page.locator('#tx-list [role="row"][data-reference]').first();
  await expect(hiddenTop).toHaveAttribute('data-reference', first);
  await expect(hiddenTop).toBeHidden();

  // Nothing changed since it was drawn: F4 shows those rows, the first sale on top.
  expect(await firstRowsAfterF4(page, first)).toEqual([first]);

  // Back to the order screen, a second sale, F4: the drawn rows are older than the sale, so the
  // list waits for the fresh page; the first sale is never shown on top in the meantime.
  await page.keyboard.press('F2');
  await expect(page.locator('#tx-list')).toBeHidden();
  const second = await cashSale(page, 'Second sale');
  expect(second).not.toBe(first);
  expect(await firstRowsAfterF4(page, second)).toEqual([second]);
  await expect(page.locator('#tx-list [role="row"][data-reference]').nth(1)).toHaveAttribute('data-reference', first);
});
