import { apiOk, expect, NAMES, personSpeaks, PINS, sandboxOrders, shot, test } from './fixtures';
import { CARDS, enterNewCard, startOrder } from './desk';
import { report, scan, type Finding } from './axe';

// Split tender (issue 20 item 4; docs/decisions/split-tender.md): a counter order paid part cash
// (with change), part card; a declined second card leaves the cash in place; a refund of the card
// part only; the end of day shows both tenders.

/** The sandbox declines every charge on this card (docs/sandbox.md, test cards). */
const DECLINING = { number: '4000000000000101', cvv: '123', last4: '0101', brand: 'Visa' } as const;

interface Tenders {
  orderId: string;
  remaining: number;
  orderStatus: string;
  tenders: { paymentId: string; reference: string; method: string; amount: number; tendered: number | null; change: number | null; refunded: number; standing: string }[];
}

test('a counter order paid part cash with change, part card after a declined card; the card part refunded; the end of day shows both tenders', async ({ desk: page, web }) => {
  // The accessibility scan of e2e/a11y.spec.ts on every screen this adds (docs/decisions/accessibility-scan.md).
  const findings: Finding[] = [];
  const aside = page.getByRole('complementary', { name: 'Payment' });

  await test.step('the order: USD 40.00 at the counter', async () => {
    await startOrder(page, {
      lines: [
        { description: 'Kettle', price: '30.00', tax: '0' },
        { description: 'Mug', quantity: '2', price: '5.00', tax: '0' },
      ],
      channel: 'Counter',
    });
    await expect(page.getByTestId('total')).toHaveText('USD\u00a040.00');
  });

  await test.step('first tender: USD 15.00 cash, the customer hands over USD 20.00', async () => {
    // "Pay in parts" shows the tender amount field (kept off the default layout: the card page and Charge fit 1366×768).
    await expect(page.getByRole('textbox', { name: 'Amount of this tender (USD)' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Pay in parts' }).press('Enter');
    const amount = page.getByRole('textbox', { name: 'Amount of this tender (USD)' });
    await expect(amount).toBeFocused();
    await amount.fill('15.00');
    await page.getByRole('radio', { name: 'Cash' }).check();
    await page.getByRole('textbox', { name: 'Amount tendered (USD)' }).fill('20.00');
    await expect(page.getByTestId('change-due')).toHaveText('USD\u00a05.00');
    await expect(page.getByRole('button', { name: /Take cash USD\s15\.00/ })).toBeVisible();
    await page.keyboard.press('Control+Enter');
    await expect(aside.getByText('Tender taken \u00b7 USD\u00a015.00')).toBeVisible();
    await expect(aside.getByText(/Give change: USD\u00a05\.00\./)).toBeVisible();
    await expect(page.getByTestId('tenders-remaining')).toHaveText('USD\u00a025.00');
    // The items are fixed once a tender stands.
    await expect(page.getByLabel('Line 1 description')).toBeDisabled();
    await shot(page, 'split-tender-cash');
    await scan(page, 'split tender, cash taken', findings);
  });

  await test.step('second tender: a card that is declined; the cash stays, USD 25.00 remains', async () => {
    await enterNewCard(page, DECLINING, 'Dee Clined');
    await page.keyboard.press('Control+Enter');
    await expect(aside.getByText('Card declined \u00b7 USD\u00a025.00')).toBeVisible({ timeout: 60_000 });
    // The bank's reason first (the card 4000 0000 0000 0101 is declined with 03666), then what stands.
    await expect(aside.getByText(/\S.*\. The other tenders stand\. Still to pay: USD\u00a025\.00/)).toBeVisible();
    await expect(page.getByTestId('tenders-remaining')).toHaveText('USD\u00a025.00');
    const rows = page.getByTestId('tender-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Cash');
    await expect(rows.nth(0)).toContainText('Tendered USD\u00a020.00 \u00b7 change USD\u00a05.00');
    await expect(rows.nth(1)).toContainText('Declined');
    // The decline is brought into view above the card form.
    await expect(aside.getByText('Card declined \u00b7 USD\u00a025.00')).toBeInViewport();
    await shot(page, 'split-tender-declined');
    await scan(page, 'split tender, declined card', findings);
  });

  let orderId = '';
  await test.step('third tender: another card takes what remains; the order is paid', async () => {
    await enterNewCard(page, CARDS.visa, 'Pat Payer');
    await expect(page.getByRole('button', { name: /USD\s25\.00/ })).toBeVisible();
    await page.keyboard.press('Control+Enter');
    const result = page.getByTestId('charge-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    await expect(result.getByText('Approved \u00b7 USD\u00a025.00')).toBeVisible();
    const tenders = result.getByTestId('tenders');
    await expect(tenders.getByText('Tenders of this order (USD\u00a040.00)')).toBeVisible();
    await expect(tenders.getByTestId('tender-row')).toHaveCount(3);
    await shot(page, 'split-tender-paid');
    await scan(page, 'split tender, paid', findings);
    const payments = await apiOk<{ rows: { id: string; orderId: string; method: string }[] }>(page, 'payments.list', {});
    orderId = payments.rows[0]!.orderId;
    const t = await apiOk<Tenders>(page, 'orders.tenders', { orderId });
    expect(t).toMatchObject({ remaining: 0, orderStatus: 'paid' });
    expect(t.tenders.map((x) => [x.method, x.amount, x.standing])).toEqual([['cash', 1500, 'stands'], ['card', 2500, 'void'], ['card', 2500, 'stands']]);
    expect(t.tenders[0]).toMatchObject({ tendered: 2000, change: 500 });
  });

  await test.step('refund the card part only, chosen by the supervisor, from the transaction screen', async () => {
    await page.keyboard.press('Alt+O');
    await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
    const panel = page.getByRole('region', { name: 'Tenders of this order' });
    await expect(panel.getByTestId('tender-row')).toHaveCount(3);
    const open = panel.getByRole('button', { name: 'Refund the order…' });
    await open.focus();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Refund the order' });
    await expect(form.getByLabel('Back to')).toHaveValue('');
    // The form opens on the amount (the whole order); a tender chosen brings it down to that tender's part.
    await expect(form.getByRole('textbox', { name: 'Amount (USD)' })).toBeFocused();
    await expect(form.getByRole('textbox', { name: 'Amount (USD)' })).toHaveValue('40.00');
    await form.getByLabel('Back to').selectOption({ label: 'Visa \u2022\u2022\u2022\u2022 0001 \u00b7 up to USD\u00a025.00' });
    await expect(form.getByRole('textbox', { name: 'Amount (USD)' })).toHaveValue('25.00');
    await form.getByRole('textbox', { name: 'Reason' }).fill('Kettle returned');
    await form.getByLabel('Supervisor', { exact: true }).selectOption({ label: `${NAMES.supervisor} (supervisor)` });
    await form.getByLabel('Supervisor PIN').fill(PINS.supervisor);
    await shot(page, 'split-tender-refund-form');
    await scan(page, 'split tender, order refund form', findings);
    await form.getByLabel('Supervisor PIN').press('Enter');
    await expect(panel.getByText('Refund done')).toBeVisible({ timeout: 60_000 });
    await expect(panel.getByTestId('order-refund-parts')).toHaveText('Visa \u2022\u2022\u2022\u2022 0001: USD\u00a025.00 refunded');
    await shot(page, 'split-tender-refund');
    await scan(page, 'split tender, refunded', findings);
    const t = await apiOk<Tenders>(page, 'orders.tenders', { orderId });
    expect(t.tenders.map((x) => x.refunded)).toEqual([0, 0, 2500]);
    // The gateway refunded the card; the cash was not touched; the order stays paid.
    const [gw] = await sandboxOrders(web, t.tenders[2]!.reference);
    expect(gw).toMatchObject({ capturedAmount: 2500, refundedAmount: 2500 });
    expect(t.orderStatus).toBe('paid');
  });

  await test.step('the end of day lists the order with both tenders', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /End of day/ }).click();
    await expect(page.getByRole('heading', { name: 'End of day', level: 1 })).toBeVisible();
    const split = page.getByRole('region', { name: /Orders paid by several tenders \(1\)/ });
    await expect(split).toBeVisible();
    const rows = split.getByTestId('eod-split-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Cash');
    await expect(rows.nth(0)).toContainText('USD\u00a015.00');
    await expect(rows.nth(0)).toContainText('USD\u00a020.00');
    await expect(rows.nth(0)).toContainText('USD\u00a05.00');
    await expect(rows.nth(1)).toContainText('Visa \u2022\u2022\u2022\u2022 0001');
    await expect(rows.nth(1)).toContainText('USD\u00a025.00');
    await split.scrollIntoViewIfNeeded();
    await shot(page, 'split-tender-eod');
    await scan(page, 'end of day with split orders', findings);
  });

  expect(report(findings), 'axe violations').toBe('');
});

test('in Arabic, right to left: the cash part taken, the tenders so far and what remains', async ({ desk: page }) => {
  await personSpeaks(page, 'ar');
  await page.keyboard.press('F2');
  await page.getByLabel('وصف السطر 1').fill('غلاية');
  await page.getByLabel('سعر الوحدة في السطر 1 بعملة USD').fill('40.00');
  await page.getByLabel('نسبة الضريبة في السطر 1').fill('0');
  await page.getByRole('button', { name: 'الدفع على أجزاء' }).press('Enter');
  await page.getByRole('textbox', { name: 'مبلغ هذه الدفعة (USD)' }).fill('15.00');
  await page.getByRole('radio', { name: 'نقدًا' }).check();
  await page.getByRole('textbox', { name: 'المبلغ المستلم (USD)' }).fill('20.00');
  await page.keyboard.press('Control+Enter');
  const aside = page.getByRole('complementary');
  // (Amounts in Arabic text carry direction marks: matched by their words and figures.)
  await expect(aside.getByText(/تم أخذ الدفعة/)).toContainText('15.00');
  await expect(aside.getByText(/أعطِ العميل الباقي/)).toContainText('5.00');
  await expect(page.getByTestId('tenders-remaining')).toContainText('25.00');
  await expect(page.getByTestId('tenders-remaining')).toContainText('USD');
  await expect(page.getByRole('heading', { name: 'الدفعات حتى الآن' })).toBeVisible();
  const findings: Finding[] = [];
  await scan(page, 'split tender, Arabic', findings);
  await shot(page, 'split-tender-ar');
  expect(report(findings), 'axe violations').toBe('');
});
