import type { Page } from '@playwright/test';
import { expect, shot } from './fixtures';

export const CARDS = {
  visa: { number: '4005550000000001', cvv: '123', last4: '0001', brand: 'Visa' },
  mastercard: { number: '5123456789012346', cvv: '123', last4: '2346', brand: 'Mastercard' },
  amex: { number: '345678901234564', cvv: '1234', last4: '4564', brand: 'Amex' },
} as const;

export interface LineSpec {
  description: string;
  quantity?: string;
  price: string;
  tax?: string;
}

/** F2, then a new customer (or none), the lines typed as a clerk types them. */
export async function startOrder(page: Page, opts: { customer?: { name: string; phone?: string; email?: string }; lines: LineSpec[]; channel?: 'Phone' | 'Mail' | 'Counter' }) {
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
  if (opts.customer) {
    await page.getByRole('button', { name: 'New customer' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(opts.customer.name);
    if (opts.customer.phone) await page.getByRole('textbox', { name: 'Phone', exact: true }).fill(opts.customer.phone);
    if (opts.customer.email) await page.getByRole('textbox', { name: 'Email', exact: true }).fill(opts.customer.email);
  }
  await fillLines(page, opts.lines);
  if (opts.channel) await page.getByRole('radio', { name: opts.channel }).check();
}

export async function fillLines(page: Page, lines: LineSpec[]) {
  for (const [i, l] of lines.entries()) {
    const n = i + 1;
    await page.getByLabel(`Line ${n} description`).fill(l.description);
    await page.getByLabel(`Line ${n} quantity`).fill(l.quantity ?? '1');
    await page.getByLabel(new RegExp(`^Line ${n} unit price`)).fill(l.price);
    await page.getByLabel(`Line ${n} tax rate in percent`).fill(l.tax ?? '0');
    if (i < lines.length - 1) {
      await page.getByLabel(`Line ${n} tax rate in percent`).press('Enter');
    }
  }
}

/** F2, a counter sale of `lines` paid in cash (`tendered` in USD), Ctrl+Enter; waits for "approved". */
export async function counterCashSale(page: Page, lines: LineSpec[], tendered: string) {
  await page.keyboard.press('F2');
  await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
  await page.getByRole('radio', { name: 'Counter' }).check();
  await fillLines(page, lines);
  await page.getByRole('radio', { name: 'Cash' }).check();
  await page.getByLabel('Amount tendered (USD)').fill(tendered);
  await page.keyboard.press('Control+Enter');
  const result = page.getByTestId('charge-result');
  await expect(result).toHaveAttribute('data-outcome', 'approved', { timeout: 60_000 });
  return { result, reference: await orderReferenceOnResult(page) };
}

/** Types a card into the gateway's hosted page (a cross-origin frame) and waits for "… ready". */
export async function enterNewCard(page: Page, card: { number: string; cvv: string; last4: string; brand: string }, holder = 'Test Holder', screenshot?: string) {
  await page.getByRole('radio', { name: 'New card' }).check();
  const frame = page.frameLocator('iframe[data-testid="hosted-frame"]');
  await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
  if (screenshot) await shot(page, screenshot);
  await frame.getByTestId('card_number').fill(card.number);
  await frame.getByTestId('expiry_date').fill('12/30');
  await frame.getByTestId('card_security_code').fill(card.cvv);
  await frame.getByTestId('card_holder_name').fill(holder);
  await frame.getByTestId('submit-card').click();
  await expect(page.getByText(`${card.brand} \u2022\u2022\u2022\u2022 ${card.last4} ready`)).toBeVisible({ timeout: 30_000 });
}

/** Ctrl+Enter and the result panel; returns the panel. */
export async function chargeNow(page: Page) {
  await page.keyboard.press('Control+Enter');
  const result = page.getByTestId('charge-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  return result;
}

/** The payment id of the result on screen, via "Open transaction" (Alt+O). */
export async function openResultTransaction(page: Page) {
  await page.keyboard.press('Alt+O');
  await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
}

export async function orderReferenceOnResult(page: Page): Promise<string> {
  return (await page.getByTestId('result-reference').textContent())?.trim() ?? '';
}
