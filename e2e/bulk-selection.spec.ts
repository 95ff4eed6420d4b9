import type { Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, sandboxOrders, shot, switchUser, test } from './fixtures';
import { report, scan as scanInto, type Finding } from './axe';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

/**
 * Issue 19, bulk from the keyboard: a supervisor selects authorizations on Transactions (Space,
 * Shift+arrows) and captures them as one bulk action through the same preview as a CSV; a bill run
 * charges customers' cards on file, a declined row lands in needs attention.
 */
const findings: Finding[] = [];
const scan = (page: Page, screen: string) => scanInto(page, screen, findings);

async function customerWithCard(page: Page, name: string, email: string): Promise<{ customerId: string; cardId: string }> {
  await startOrder(page, { customer: { name, email }, lines: [{ description: 'Catalogue', price: '2.00', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
  const list = await apiOk<{ rows: { id: string }[] }>(page, 'payments.list', { query: name.split(' ')[0] });
  const p = await apiOk<{ order: { customerId: string } }>(page, 'payments.get', { paymentId: list.rows[0]!.id });
  const c = await apiOk<{ cards: { id: string }[] }>(page, 'customers.get', { id: p.order.customerId });
  await page.keyboard.press('F2');
  return { customerId: p.order.customerId, cardId: c.cards[0]!.id };
}

test('Transactions: select authorizations by keyboard and capture them as one bulk action', async ({ desk: page, web }) => {
  test.setTimeout(240_000);
  const { customerId, cardId } = await customerWithCard(page, 'Nadia Karim', 'nadia@example.com');
  const refs: string[] = [];
  for (let i = 0; i < 4; i++) {
    const o = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'mail', currency: 'USD', customerId, lines: [{ description: `Parcel ${i + 1}`, quantity: 1, unitPrice: 2_500, taxRateBp: 0 }] });
    const c = await apiOk<{ outcome: string; payment: { reference: string } }>(page, 'payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId } });
    expect(c.outcome).toBe('approved');
    refs.push(c.payment.reference);
  }

  // A clerk sees no selection (no checkbox column).
  await page.keyboard.press('F4');
  await expect(page.locator('.tx-space .tx-row')).toHaveCount(5);
  await expect(page.locator('.tx-pick')).toHaveCount(0);

  await switchUser(page, NAMES.supervisor, PINS.supervisor);
  await page.keyboard.press('F4');
  await expect(page.locator('.tx-space .tx-row')).toHaveCount(5);
  await expect(page.locator('#tx-select-hint')).toBeVisible();
  // Newest first: the four authorizations are the top four rows. Space picks, Shift+Down extends.
  await page.locator('#tx-list').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
  const bar = page.getByTestId('tx-selection-bar');
  await expect(bar).toContainText('4 payments selected (of 5 shown)');
  await expect(page.locator('.tx-row.picked')).toHaveCount(4);
  await shot(page, 'bulk-tx-selection');
  await scan(page, 'transactions with a selection');
  // Ctrl+A picks all five shown, Escape clears; then the four again.
  await page.keyboard.press('Control+a');
  await expect(bar).toContainText('5 payments selected');
  await page.keyboard.press('Escape');
  await expect(bar).toHaveCount(0);
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
  await expect(bar).toContainText('4 payments selected');

  // From the list back through the bar: Clear, Refund, Void, Capture.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Capture selected…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Bulk capture, void, refund and bill runs' })).toBeVisible();
  await expect(page.getByTestId('bulk-from-selection')).toHaveText('4 payments selected on Transactions. Add a reason, then preview.');
  await expect(page.getByRole('radio', { name: 'Capture' })).toBeChecked();
  await page.getByLabel('Reason (shown on every operation)').fill('Parcels shipped');
  await page.getByRole('button', { name: 'Preview' }).click();
  const run = page.getByTestId('bulk-run');
  await expect(page.getByTestId('bulk-summary')).toHaveText('4 will be sent, 0 refused (see why below).');
  expect((await sandboxOrders(web)).filter((o) => refs.includes(o.merchantReference) && o.capturedAmount > 0)).toHaveLength(0);
  await page.getByRole('button', { name: 'Send 4 rows' }).focus();
  await page.keyboard.press('Enter');
  await expect(run).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('bulk-counts')).toHaveText('4 of 4 done · 4 approved · 0 not approved');
  await shot(page, 'bulk-tx-selection-done');
  expect((await sandboxOrders(web)).filter((o) => refs.includes(o.merchantReference)).map((o) => o.capturedAmount)).toEqual(refs.map(() => 2_500));
  expect(findings, report(findings)).toEqual([]);
});

test('bill run on cards on file: preview with refusals, charged once, a declined row in needs attention', async ({ desk: page, web }) => {
  test.setTimeout(240_000);
  await customerWithCard(page, 'Omar Saleh', 'omar@example.com');
  await customerWithCard(page, 'Rana Aziz', 'rana@example.com');

  await switchUser(page, NAMES.supervisor, PINS.supervisor);
  await page.keyboard.press('Alt+B');
  await expect(page.getByRole('heading', { name: 'Bulk capture, void, refund and bill runs' })).toBeVisible();
  // The kind is a radio group: arrows move it (Capture → Void → Refund → Bill run).
  await page.getByRole('radio', { name: 'Capture' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: 'Bill run (cards on file)' })).toBeChecked();
  const csv = ['customer,amount,description', 'omar@example.com,25.00,December box', 'rana@example.com,16.66,December box', 'nobody@example.com,25.00,December box'].join('\n');
  await page.getByLabel(/CSV with customer and amount columns/).fill(csv);
  await page.getByLabel('Reason (shown on every operation)').fill('Monthly club');
  await page.getByRole('button', { name: 'Preview' }).click();
  const run = page.getByTestId('bulk-run');
  await expect(page.getByTestId('bulk-summary')).toHaveText('2 will be sent, 1 refused (see why below).');
  await expect(run.getByText(/No such customer/)).toBeVisible();
  await expect(run.getByText(/Omar Saleh, card ending/)).toBeVisible();
  await shot(page, 'bulk-bill-run-preview');
  await scan(page, 'bill run preview');

  await page.getByRole('button', { name: 'Send 2 rows' }).focus();
  await page.keyboard.press('Enter');
  await expect(run).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // 16.66 is the sandbox's declined amount.
  await expect(page.getByTestId('bulk-counts')).toHaveText('2 of 2 done · 1 approved · 1 not approved');
  await expect(run.getByText(/Needs attention: Declined by the bank/)).toBeVisible();
  await shot(page, 'bulk-bill-run-done');
  const charged = (await sandboxOrders(web)).filter((o) => o.merchantReference.startsWith('BR-'));
  expect(charged.map((o) => o.capturedAmount).sort()).toEqual([0, 2_500]);

  // The same file again charges nobody.
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByRole('radio', { name: 'Bill run (cards on file)' }).check();
  await page.getByLabel(/CSV with customer and amount columns/).fill(csv);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('0 will be sent, 3 refused (see why below).');

  await page.keyboard.press('Alt+Q');
  await expect(page.getByRole('tab', { name: 'Needs attention (1)' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(/Declined by the bank/).first()).toBeVisible();
  await shot(page, 'bulk-needs-attention');
  expect(findings, report(findings)).toEqual([]);
});

test('a bill-run row refused at send time (card deactivated after the preview) waits in needs attention and is dismissed', async ({ desk: page, web }) => {
  test.setTimeout(240_000);
  const { cardId } = await customerWithCard(page, 'Layla Haddad', 'layla@example.com');
  await switchUser(page, NAMES.supervisor, PINS.supervisor);
  await page.keyboard.press('Alt+B');
  await page.getByRole('radio', { name: 'Bill run (cards on file)' }).check();
  await page.getByLabel(/CSV with customer and amount columns/).fill(['customer,amount,description', 'layla@example.com,12.00,January box'].join('\n'));
  await page.getByLabel('Reason (shown on every operation)').fill('Monthly club');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('1 will be sent, 0 refused (see why below).');
  // After the preview, before sending: the card is deactivated.
  await apiOk(page, 'cards.deactivate', { cardId });
  await page.getByRole('button', { name: 'Send 1 row' }).click();
  const run = page.getByTestId('bulk-run');
  await expect(run).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('bulk-counts')).toHaveText('1 of 1 done · 0 approved · 1 not approved');
  await expect(run.getByText(/Needs attention: refused before sending/)).toBeVisible();
  expect((await sandboxOrders(web)).filter((o) => o.merchantReference.startsWith('BR-'))).toHaveLength(0);

  await page.keyboard.press('Alt+Q');
  const row = page.locator('#queue-list [data-kind="bulk"]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Bill run');
  await expect(row).toContainText(/Refused before it was sent: .*deactivated/);
  await expect(row).toContainText(/Next: Ask the customer for another card and charge order BR-/);
  await shot(page, 'bulk-refused-at-send');
  await scan(page, 'queue with a bulk row');
  await row.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Dismiss' }).click();
  await expect(row).toHaveCount(0);
  expect(findings, report(findings)).toEqual([]);
});
