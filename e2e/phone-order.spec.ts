import { apiOk, expect, sandboxOrders, shot, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

interface SearchHits { hits: { customer: { id: string; name: string }; cards: { last4: string; status: string }[] }[] }
interface Customer { customer: { id: string; name: string }; cards: { last4: string; brand: string; status: string }[]; payments: { id: string; reference: string; amount: number; status: string; last4: string | null }[] }

test('a phone order with a new card saved on file, then a repeat charge found by last 4', async ({ desk: page, web }) => {
  const name = 'Margaret Oyelaran-Whitfield';

  await test.step('key the order while the customer is on the line', async () => {
    await startOrder(page, {
      customer: { name, phone: '+1 555 0100', email: 'margaret@example.com' },
      lines: [
        { description: 'Espresso machine descaler', quantity: '2', price: '12.50', tax: '5' },
        { description: 'Gift wrap', price: '3', tax: '0' },
      ],
    });
    // Live totals from the shared rule, always with the currency and its decimals.
    await expect(page.getByTestId('total-net')).toHaveText('USD\u00a028.00');
    await expect(page.getByTestId('total-tax')).toHaveText('USD\u00a01.25');
    await expect(page.getByTestId('total')).toHaveText('USD\u00a029.25');
    await enterNewCard(page, CARDS.visa, 'M Oyelaran-Whitfield', 'new-order-hosted-card');
    await expect(page.getByRole('checkbox', { name: /Save card for next time/ })).toBeChecked();
    await shot(page, 'new-order');
  });

  let firstReference = '';
  await test.step('charge: approved, card saved', async () => {
    const result = await chargeNow(page);
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    await expect(result.getByText('Approved \u00b7 USD\u00a029.25')).toBeVisible();
    await expect(page.getByTestId('auth-code')).not.toBeEmpty();
    await expect(result.getByText('Saved on file')).toBeVisible();
    // Focus lands on the result's primary button.
    await expect(result.getByRole('button', { name: /New order/ })).toBeFocused();
    firstReference = (await page.getByTestId('result-reference').textContent()) ?? '';
    await shot(page, 'charge-approved');
  });

  await test.step('the ledger and the gateway hold the charge and the card', async () => {
    const hits = await apiOk<SearchHits>(page, 'customers.search', { query: name.slice(0, 8) });
    const hit = hits.hits.find((h) => h.customer.name === name);
    expect(hit).toBeTruthy();
    const c = await apiOk<Customer>(page, 'customers.get', { id: hit!.customer.id });
    expect(c.cards.map((k) => [k.last4, k.status])).toEqual([['0001', 'active']]);
    expect(c.payments).toHaveLength(1);
    expect(c.payments[0]).toMatchObject({ amount: 2925, status: 'captured', last4: '0001' });
    const [gw] = await sandboxOrders(web, c.payments[0]!.reference);
    expect(gw).toMatchObject({ command: 'PURCHASE', capturedAmount: 2925, status: expect.stringMatching(/captured/) });
  });

  await test.step('repeat charge: F3, type the last 4, Enter, Ctrl+Enter twice', async () => {
    await page.keyboard.press('F3');
    await expect(page.locator('#customer-search')).toBeFocused();
    await page.keyboard.type('0001');
    const first = page.getByRole('option').first();
    await expect(first).toContainText(name);
    await expect(first).toContainText('matched on card last 4');
    await expect(first).toHaveAttribute('aria-selected', 'true');
    await shot(page, 'customers-search');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name })).toBeVisible();
    await expect(page.getByRole('complementary').getByText('Visa \u2022\u2022\u2022\u2022 0001')).toBeVisible();
    await shot(page, 'customer-detail');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('chosen-customer')).toContainText(name);
    await expect(page.getByRole('radio', { name: /Visa •••• 0001/ })).toBeChecked();
    await expect(page.getByTestId('total')).toHaveText('USD\u00a029.25');
    const result = await chargeNow(page);
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    await expect(result.getByText('Visa \u2022\u2022\u2022\u2022 0001')).toBeVisible();
    const second = (await page.getByTestId('result-reference').textContent()) ?? '';
    expect(second).not.toBe(firstReference);
  });

  await test.step('the ledger shows two charges on the same card', async () => {
    const hits = await apiOk<SearchHits>(page, 'customers.search', { query: '0001' });
    const c = await apiOk<Customer>(page, 'customers.get', { id: hits.hits[0]!.customer.id });
    expect(c.payments).toHaveLength(2);
    expect(c.payments.every((p) => p.last4 === '0001' && p.status === 'captured')).toBe(true);
    const gw = await sandboxOrders(web);
    expect(gw.filter((o) => o.command === 'PURCHASE' && o.capturedAmount === 2925)).toHaveLength(2);
  });
});
