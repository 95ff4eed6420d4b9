import { NAMES, PINS, expect, shot, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

/**
 * The desk as a busy clerk on the phone uses it (issue 13): F3 always lands in the search box, F2
 * always gives a fresh order, a new person never inherits a screen they may not use, and the card
 * page leaves the Charge button in view at 1366×768. All by keyboard and accessible names.
 */

const ALICE = 'Alice Stale-Caller';
const BOB = 'Bob Next-Caller';

test('F3 always lands in the search box and Enter never opens the previous caller; F2 is always a fresh order', async ({ desk: page }) => {
  await test.step('two customers with a card each (42.50 and 10.00)', async () => {
    await startOrder(page, { customer: { name: ALICE, phone: '+1 555 0142' }, lines: [{ description: 'Garden hose', price: '42.50' }] });
    await enterNewCard(page, CARDS.visa, ALICE);
    await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
    await page.keyboard.press('F2');
    await startOrder(page, { customer: { name: BOB, phone: '+1 555 0199' }, lines: [{ description: 'Seed packet', price: '10.00' }] });
    await enterNewCard(page, CARDS.mastercard, BOB);
    await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
  });

  await test.step("the first caller's page: Charge again names the payment it repeats", async () => {
    await page.keyboard.press('F3');
    await expect(page.locator('#customer-search')).toBeFocused();
    await page.keyboard.type('0001');
    await expect(page.getByRole('option').first()).toContainText(ALICE);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: ALICE })).toBeVisible();
    const again = page.getByRole('button', { name: /^Charge again USD\s42\.50/ });
    await expect(again).toBeFocused();
    await expect(page.getByTestId('repeat-of')).toContainText(/Repeats order .*Visa •••• 0001, charged\./);
    await shot(page, 'customer-detail-repeat');
  });

  await test.step('F3 on that page: the search, the cursor in the box, the last query selected', async () => {
    await page.keyboard.press('F3');
    const box = page.getByRole('combobox', { name: /Search by name, phone/ });
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('0001');
    expect(await box.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, 4]);
    await shot(page, 'customers-search-after-f3');
    // The next caller's last 4 replace the old query; Enter opens the next caller, never Alice.
    await page.keyboard.type('2346');
    await expect(box).toHaveValue('2346');
    // Enter typed before the answer to "2346" is in waits for that answer and opens its first
    // result; it never opens a result still shown from the earlier query.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: ALICE })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: BOB })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Charge again USD\s10\.00/ })).toBeFocused();
  });

  await test.step('after Charge again (a charge-ready order), F3 and / still land in the search', async () => {
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('chosen-customer')).toContainText(BOB);
    await expect(page.locator('#charge-button')).toBeFocused();
    // The clerk types the moment F3 is down, not after seeing the box: every key lands in it and
    // none is selected over by F3's own focusing a frame later.
    await page.keyboard.press('F3');
    await page.keyboard.type('Nobody-Such');
    const box = page.getByRole('combobox', { name: /Search by name, phone/ });
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('Nobody-Such');
    // No result for this query: Enter does nothing at all.
    await expect(page.getByText('No customer matches “Nobody-Such”.')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(box).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
    // "/" from outside a field does the same.
    await page.keyboard.press('F4');
    await expect(page.locator('#tx-query')).toBeFocused();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    await expect(box).toBeFocused();
    await expect(box).toHaveValue('Nobody-Such');
    // Back on the kept draft, F2 focuses "Change customer": Enter there cannot charge anyone.
    await page.keyboard.press('F2');
    await expect(page.getByTestId('chosen-customer')).toContainText(BOB);
    await expect(page.getByRole('button', { name: 'Change customer' })).toBeFocused();
  });

  await test.step('F2 from another screen after a finished order: a fresh order at once', async () => {
    // Charge the kept draft (Bob, 10.00 on his card on file), then leave the result for Transactions.
    const result = await chargeNow(page);
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    const reference = (await page.getByTestId('result-reference').textContent())?.trim() ?? '';
    expect(reference).not.toBe('');
    await page.keyboard.press('F4');
    await expect(page.locator('#tx-query')).toBeFocused();
    await page.keyboard.press('F2');
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(page.getByTestId('charge-result')).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: /Find by name, phone/ })).toBeFocused();
    // The finished order is kept in Transactions.
    await page.keyboard.press('F4');
    await expect(page.locator(`[data-reference="${reference}"]`)).toBeVisible();
    await page.keyboard.press('F2');
    await expect(page.getByRole('combobox', { name: /Find by name, phone/ })).toBeFocused();
  });
});

test('switch user: the next person lands on a screen they may use, the unfinished order kept', async ({ desk: page }) => {
  await test.step('the admin leaves an unfinished order and switches user on Settings', async () => {
    await switchUser(page, NAMES.admin, PINS.admin);
    await page.keyboard.press('F2');
    await page.getByLabel('Line 1 description').fill('Half-keyed order');
    await page.keyboard.press('Alt+S');
    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  });

  await test.step('the clerk signs in: New order with the draft, no Settings, no refusal', async () => {
    await switchUser(page, NAMES.clerk, PINS.clerk);
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(page.getByLabel('Line 1 description')).toHaveValue('Half-keyed order');
    await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toHaveCount(0);
    await expect(page.getByText(/Your role is not allowed/)).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ })).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /New order/ })).toHaveAttribute('aria-current', 'page');
    await shot(page, 'switch-user-lands-on-order');
  });

  await test.step('a supervisor switching from the Audit log to a clerk: the clerk is not on the Audit log', async () => {
    await switchUser(page, NAMES.supervisor, PINS.supervisor);
    await page.keyboard.press('Alt+G');
    await expect(page.getByRole('heading', { name: /Audit log/ })).toBeVisible();
    await switchUser(page, NAMES.clerk, PINS.clerk);
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(page.getByRole('heading', { name: /Audit log/ })).toHaveCount(0);
  });
});

test('the gateway card page at 1366×768: card form, save answer, payment choice and Charge all in view', async ({ desk: page }) => {
  await startOrder(page, { customer: { name: 'Fold Tester', phone: '+1 555 0768' }, lines: [{ description: 'Watering can', price: '18.00' }] });
  await page.getByRole('radio', { name: 'New card' }).check();
  const frame = page.frameLocator('iframe[data-testid="hosted-frame"]');
  await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });

  // One save-card question, on our side of the screen; the gateway's page does not ask again.
  await expect(page.getByRole('checkbox', { name: /Save card for next time/ })).toBeChecked();
  await expect(frame.getByText('Remember this card')).toHaveCount(0);
  await expect(frame.getByRole('checkbox')).toHaveCount(0);

  for (const target of [
    frame.getByRole('button', { name: 'Continue' }),
    page.getByRole('radio', { name: 'Charge now' }),
    page.getByRole('radio', { name: /Authorize only/ }),
    page.getByRole('button', { name: /^Charge USD\s18\.00/ }),
    page.getByRole('checkbox', { name: /Save card for next time/ }),
  ]) {
    await expect(target).toBeInViewport({ ratio: 1 });
  }
  await shot(page, 'new-order-card-page-fits');

  // Typing the card and finishing the call needs no scrolling either.
  await frame.getByTestId('card_number').fill(CARDS.visa.number);
  await frame.getByTestId('expiry_date').fill('12/30');
  await frame.getByTestId('card_security_code').fill(CARDS.visa.cvv);
  await frame.getByTestId('submit-card').click();
  await expect(page.getByText('Visa •••• 0001 ready')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: /^Charge USD\s18\.00/ })).toBeInViewport({ ratio: 1 });
  await page.getByRole('radio', { name: /Authorize only/ }).check();
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  await expect(result.getByText(/Authorized · USD\s18\.00/)).toBeVisible();
  await expect(result.getByText('Saved on file')).toBeVisible();

  // A walk-in sale (no customer, nothing to save the card to) fits as well.
  await startOrder(page, { lines: [{ description: 'Twine', price: '4.00' }] });
  await page.getByRole('radio', { name: 'New card' }).check();
  await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('checkbox', { name: /Save card for next time/ })).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Charge USD\s4\.00/ })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('radio', { name: /Authorize only/ })).toBeInViewport({ ratio: 1 });
  await expect(frame.getByRole('button', { name: 'Continue' })).toBeInViewport({ ratio: 1 });
  await shot(page, 'new-order-card-page-walk-in');

  // The answer "do not save" goes to the gateway with the card page, and nothing is kept on file.
  await startOrder(page, { customer: { name: 'No Save Wanted', phone: '+1 555 0700' }, lines: [{ description: 'Gloves', price: '6.00' }] });
  await page.getByRole('radio', { name: 'New card' }).check();
  await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('checkbox', { name: /Save card for next time/ }).uncheck();
  await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 }); // the page reopened with the answer
  await frame.getByTestId('card_number').fill(CARDS.mastercard.number);
  await frame.getByTestId('expiry_date').fill('12/30');
  await frame.getByTestId('card_security_code').fill(CARDS.mastercard.cvv);
  await frame.getByTestId('submit-card').click();
  await expect(page.getByText('Mastercard •••• 2346 ready')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/saved on file after the charge/)).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: /Save card for next time/ })).not.toBeChecked();
  const unsaved = await chargeNow(page);
  await expect(unsaved).toHaveAttribute('data-outcome', 'approved');
  await expect(unsaved.getByText('Saved on file')).toHaveCount(0);
});
