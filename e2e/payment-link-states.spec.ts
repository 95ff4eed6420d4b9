import { expect, PINS, sandboxControl, shot, test } from './fixtures';
import { startOrder } from './desk';

/**
 * Issue #19: a payment link that lapsed and one the clerk cancelled, as the order screen shows
 * them. Web mode runs the station on the sandbox's clock, so moving it past the link's expiry makes
 * the link watcher find it expired at the gateway, with no reload.
 */

const HOUR = 3_600_000;

async function sendLink(page: Parameters<typeof startOrder>[0], name: string, email: string) {
  await startOrder(page, { customer: { name, email }, lines: [{ description: 'Desk lamp', price: '64.00', tax: '0' }] });
  await page.getByRole('button', { name: 'Send a payment link' }).click();
  await expect(page.getByTestId('link-send').getByLabel("Customer's email")).toHaveValue(email);
  await page.keyboard.press('Control+Enter');
  const panel = page.getByTestId('link-panel');
  await expect(panel).toHaveAttribute('data-state', 'sent', { timeout: 30_000 });
  return panel;
}

test('payment link expired: the panel says so by itself and offers to extend it', async ({ desk: page, web }) => {
  const panel = await sendLink(page, 'Omar Khalil', 'omar.khalil@example.com');
  // The default expiry is 24 hours: a day and an hour later the gateway has it as expired. The
  // station's clock moved past the idle lock too: unlock with the PIN, the order screen carries on.
  await sandboxControl(web, 'clock', { advanceMs: 25 * HOUR });
  const locked = page.getByRole('dialog', { name: 'Locked' });
  await expect(locked).toBeVisible({ timeout: 15_000 });
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  await expect(locked).toHaveCount(0, { timeout: 15_000 });
  await expect(panel).toHaveAttribute('data-state', 'expired', { timeout: 30_000 });
  await expect(panel.getByText('Link expired · USD\u00a064.00 not paid')).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Extend by / })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Cancel link' })).toHaveCount(0);
  await shot(page, 'link-expired');
});

test('payment link cancelled by the clerk: the customer can no longer pay, the order still awaits payment', async ({ desk: page }) => {
  const panel = await sendLink(page, 'Huda Saleh', 'huda@example.com');
  await panel.getByRole('button', { name: 'Cancel link' }).click();
  await expect(panel).toHaveAttribute('data-state', 'cancelled', { timeout: 30_000 });
  await expect(panel.getByText('Link cancelled · USD\u00a064.00 not paid')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Send again' })).toHaveCount(0);
  await shot(page, 'link-cancelled');
});
