import { readFileSync } from 'node:fs';
import { apiOk, expect, NAMES, PINS, sandboxOrders, shot, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

test('bulk capture of 50 authorizations: preview with refusals, progress, result file; the same file again sends nothing', async ({ desk: page, web }) => {
  test.setTimeout(240_000);
  // A card on file, then 50 authorizations on it (mail orders waiting to ship).
  await startOrder(page, { customer: { name: 'Mona Farouk', email: 'mona@example.com' }, lines: [{ description: 'Catalogue', price: '2.00', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  const first = await chargeNow(page);
  await expect(first).toHaveAttribute('data-outcome', 'approved');
  const list = await apiOk<{ rows: { id: string; reference: string; orderReference: string }[] }>(page, 'payments.list', { query: 'Mona' });
  const firstPayment = await apiOk<{ order: { customerId: string } }>(page, 'payments.get', { paymentId: list.rows[0]!.id });
  const customerId = firstPayment.order.customerId;
  const customer = await apiOk<{ cards: { id: string }[] }>(page, 'customers.get', { id: customerId });
  const cardId = customer.cards[0]!.id;
  const refs: string[] = [];
  for (let i = 0; i < 50; i++) {
    const o = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'mail', currency: 'USD', customerId, lines: [{ description: `Parcel ${i + 1}`, quantity: 1, unitPrice: 3_000, taxRateBp: 0 }] });
    const c = await apiOk<{ outcome: string; payment: { reference: string } }>(page, 'payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId } });
    expect(c.outcome).toBe('approved');
    refs.push(c.payment.reference);
  }

  await switchUser(page, NAMES.supervisor, PINS.supervisor);
  await page.keyboard.press('Alt+B');
  await expect(page.getByRole('heading', { name: 'Bulk capture, void, refund and bill runs' })).toBeVisible();
  const csv = ['reference,amount', ...refs.map((r) => `${r},30.00`), 'NO-SUCH-ORDER,5.00', `${refs[0]},1.00`].join('\n');
  await page.getByLabel(/CSV with a reference column/).fill(csv);
  await page.getByLabel('Reason (shown on every operation)').fill('Parcels shipped');
  await page.getByRole('button', { name: 'Preview' }).click();
  const run = page.getByTestId('bulk-run');
  await expect(run).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('bulk-summary')).toHaveText('50 will be sent, 2 refused (see why below).');
  await expect(run.getByText('No such payment on this station.')).toBeVisible();
  // The same authorization twice in one file: the second row finds nothing left to capture.
  await expect(run.locator('tr[data-verdict="refused"]')).toHaveCount(2);
  await expect(run.locator('tr[data-verdict="refused"]').last()).toContainText(/captured|remains/);
  await shot(page, 'bulk-preview');
  expect((await sandboxOrders(web)).filter((o) => refs.includes(o.merchantReference) && o.capturedAmount > 0)).toHaveLength(0);

  await page.getByRole('button', { name: 'Send 50 rows' }).click();
  await expect(run).toHaveAttribute('data-state', /running|done/);
  await expect(run).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('bulk-counts')).toHaveText('50 of 50 done · 50 approved · 0 not approved');
  await shot(page, 'bulk-done');
  const bank = (await sandboxOrders(web)).filter((o) => refs.includes(o.merchantReference));
  expect(bank.map((o) => o.capturedAmount)).toEqual(refs.map(() => 3_000));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the result file' }).click();
  const file = readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  expect(file[0]).toBe('row,reference,amount_minor,currency,verdict,state,message');
  expect(file).toHaveLength(53);
  expect(file.filter((l) => l.includes(',ok,approved,'))).toHaveLength(50);

  // The same file again: every row refused, nothing sent.
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByLabel(/CSV with a reference column/).fill(csv);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('0 will be sent, 52 refused (see why below).');
  // Each row says why: the money was already captured (by the first run).
  await expect(run.locator('tr[data-verdict="refused"]')).toHaveCount(52);
  await shot(page, 'bulk-rerun-refused');
  expect((await sandboxOrders(web)).filter((o) => refs.includes(o.merchantReference)).map((o) => o.capturedAmount)).toEqual(refs.map(() => 3_000));
});
