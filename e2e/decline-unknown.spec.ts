import { apiOk, expect, sandboxControl, sandboxOrders, shot, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

interface Row { id: string; orderReference: string; reference: string; status: string; amount: number; captured: number }

test('a decline is shown in plain words and recorded as declined', async ({ desk: page, web }) => {
  // The sandbox declines amounts ending in 666 (docs/sandbox.md, magic amounts).
  await startOrder(page, { customer: { name: 'Dmitri Volkov' }, lines: [{ description: 'Replacement filter', price: '6.66', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'declined');
  await expect(result.getByText('Declined \u00b7 USD\u00a06.66')).toBeVisible();
  await expect(result).toContainText('Nothing was charged.');
  await expect(result).not.toContainText(/\b13666\b|\b666\b.*code/);
  await expect(page.getByRole('button', { name: 'Try another card' })).toBeFocused();
  await shot(page, 'charge-declined');

  const reference = (await page.getByTestId('result-reference').textContent())!.trim();
  const list = await apiOk<{ rows: Row[] }>(page, 'payments.list', { query: reference });
  const row = list.rows.find((r) => r.orderReference === reference)!;
  expect(row).toMatchObject({ status: 'declined', amount: 666, captured: 0 });
  const [gw] = await sandboxOrders(web, row.reference);
  expect(gw).toMatchObject({ capturedAmount: 0 });
  expect(gw!.status).toMatch(/declin/i);
});

test('an unknown outcome (the bank answered after we gave up) resolves by itself through check status', async ({ desk: page, web }) => {
  await startOrder(page, { customer: { name: 'Hana Kobayashi' }, lines: [{ description: 'Tea set', price: '42.00', tax: '0' }] });
  await enterNewCard(page, CARDS.amex);
  // The purchase is made at the gateway, but the connection is dropped before the reply.
  await sandboxControl(web, 'faults', { kind: 'timeout_after_commit', match: { command: 'PURCHASE' }, delayMs: 2_000, times: 1 });
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#charge-button')).toBeDisabled();
  await expect(page.locator('#charge-button')).toContainText('Contacting the bank');
  const result = page.getByTestId('charge-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  const outcome = await result.getAttribute('data-outcome');
  if (outcome === 'unknown') {
    await expect(result.getByText(/Outcome unknown — checking with the bank/)).toBeVisible();
    // Nothing is queued, and the top bar still counts it.
    await expect(page.locator('.topbar .sync')).toContainText('1 awaiting the bank');
    await shot(page, 'charge-unknown');
  }
  // Resolves without anyone pressing anything.
  await expect(result).toHaveAttribute('data-outcome', 'approved', { timeout: 90_000 });
  await expect(result.getByText(/Approved · USD\u00a042.00/)).toBeVisible();
  await expect(page.locator('.topbar .sync')).not.toContainText('awaiting the bank');
  expect(outcome, 'the charge should first be reported as unknown').toBe('unknown');

  const reference = (await page.getByTestId('result-reference').textContent())!.trim();
  const list = await apiOk<{ rows: Row[] }>(page, 'payments.list', { query: reference });
  const row = list.rows.find((r) => r.orderReference === reference)!;
  expect(row).toMatchObject({ status: 'captured', captured: 4200 });
  const detail = await apiOk<{ operations: { type: string; state: string }[] }>(page, 'payments.get', { paymentId: row.id });
  expect(detail.operations.find((o) => o.type === 'purchase')?.state).toBe('succeeded');
  // Exactly one charge at the gateway: check status resolved it, nothing was sent twice.
  const gw = await sandboxOrders(web);
  expect(gw.filter((o) => o.command === 'PURCHASE' && o.amount === 4200)).toHaveLength(1);
  expect(gw.find((o) => o.amount === 4200)!.operations.filter((o) => o.kind === 'PURCHASE' || o.kind === 'purchase').length).toBeLessThanOrEqual(1);
});
