import { api, apiOk, expect, NAMES, PINS, sandboxOrders, shot, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, openResultTransaction, startOrder } from './desk';

interface Detail {
  payment: { id: string; reference: string; captured: number; refunded: number; status: string };
  operations: { type: string; amount: number | null; state: string; reason: string | null; approvedBy: string | null }[];
}

test('two partial refunds with supervisor approval, and a third that would exceed what was captured is refused', async ({ desk: page, web }) => {
  await startOrder(page, { customer: { name: 'Priya Raman' }, lines: [{ description: 'Walking boots', price: '80.00', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  await expect((await chargeNow(page))).toHaveAttribute('data-outcome', 'approved');
  await openResultTransaction(page);
  const reference = (await page.getByRole('heading', { name: /^Order / }).textContent())!.replace('Order ', '').trim();

  const refund = async (amount: string, reason: string) => {
    await page.keyboard.press('r');
    const field = page.getByLabel('Amount (USD)');
    await expect(field).toBeFocused();
    await field.fill(amount);
    await page.getByLabel('Reason').fill(reason);
    // Every refund needs a supervisor's PIN by default (refund approval limit 0).
    await expect(page.getByRole('group', { name: 'Supervisor approval' })).toBeVisible();
    await page.getByLabel('Supervisor', { exact: true }).selectOption({ label: `${NAMES.supervisor} (supervisor)` });
    await page.getByLabel('Supervisor PIN').fill(PINS.supervisor);
  };

  await test.step('refund 20.00: one boot lace broken', async () => {
    await refund('20.00', 'Damaged laces');
    await shot(page, 'refund-form');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Refunded USD\u00a020.00; USD\u00a060.00 can still be refunded')).toBeVisible();
    await expect(page.getByTestId('amt-refunded')).toHaveText('USD\u00a020.00');
  });

  await test.step('refund 35.00: price match', async () => {
    await refund('35.00', 'Price match');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Refunded USD\u00a035.00; USD\u00a025.00 can still be refunded')).toBeVisible();
    await expect(page.getByTestId('amt-refunded')).toHaveText('USD\u00a055.00');
    await expect(page.getByTestId('amt-refundable')).toHaveText('USD\u00a025.00');
    await expect(page.locator('.badge[data-status="partially_refunded"]')).toBeVisible();
  });

  await test.step('a third refund of 30.00 is refused: only 25.00 remains', async () => {
    await refund('30.00', 'Goodwill');
    await page.keyboard.press('Enter');
    await expect(page.getByText('More than what remains to refund (USD\u00a025.00)')).toBeVisible();
    await shot(page, 'refund-refused');
    // The core refuses it too, whatever the screen does.
    const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: reference });
    const paymentId = list.rows.find((r) => r.orderReference === reference)!.id;
    const supervisors = await apiOk<{ id: string; name: string }[]>(page, 'session.users');
    const sam = supervisors.find((u) => u.name === NAMES.supervisor)!;
    const r = await api(page, 'payments.refund', { paymentId, amount: 3000, reason: 'Goodwill', approval: { supervisorId: sam.id, pin: PINS.supervisor } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('AMOUNT_EXCEEDS_CAPTURED');
    await page.keyboard.press('Escape');
  });

  await test.step('the ledger and the gateway hold exactly two refunds', async () => {
    const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: reference });
    const d = await apiOk<Detail>(page, 'payments.get', { paymentId: list.rows.find((r) => r.orderReference === reference)!.id });
    expect(d.payment).toMatchObject({ captured: 8000, refunded: 5500, status: 'partially_refunded' });
    const refunds = d.operations.filter((o) => o.type === 'refund' && o.state === 'succeeded');
    expect(refunds.map((o) => [o.amount, o.reason])).toEqual([[2000, 'Damaged laces'], [3500, 'Price match']]);
    expect(refunds.every((o) => Boolean(o.approvedBy))).toBe(true);
    const [gw] = await sandboxOrders(web, d.payment.reference);
    expect(gw).toMatchObject({ capturedAmount: 8000, refundedAmount: 5500 });
    await expect(page.locator('.timeline tr[data-op-type="refund"][data-op-state="succeeded"]')).toHaveCount(2);
    await shot(page, 'transaction-refunded');
  });
});
