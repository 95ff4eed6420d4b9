import type { Page } from '@playwright/test';
import { api, apiOk, expect, PINS, sandboxControl, sandboxOrders, shot, test, type WebApp } from './fixtures';
import { CARDS, chargeNow, enterNewCard, openResultTransaction, startOrder } from './desk';

const DAY = 24 * 60 * 60 * 1000;

/**
 * In web mode with the embedded sandbox, the station's clock is the sandbox's (electron/web/README.md):
 * moving it ages the authorization on both sides. The clerk's session then finds itself idle for
 * days and locks; unlocking with the PIN carries on.
 */
async function advance(page: Page, web: WebApp, ms: number) {
  await sandboxControl(web, 'clock', { advanceMs: ms });
  await page.reload();
  const locked = page.getByRole('dialog', { name: 'Locked' });
  const signIn = page.getByRole('heading', { name: 'Sign in' });
  await expect(locked.or(signIn)).toBeVisible();
  if (await signIn.isVisible()) await page.getByRole('button', { name: /Chris Clerk/ }).click();
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(locked).toHaveCount(0);
  // The top bar asked for the connectivity while locked and waits for the next change: load again
  // (the tab's session stays signed in) so the screenshots show it.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.locator('.sync').first()).not.toHaveText('Checking connection…');
}

test('an authorization warns before 7 days and cannot be captured after', async ({ desk: page, web }) => {
  await startOrder(page, { customer: { name: 'Oskar Lindqvist' }, lines: [{ description: 'Oak dining table', price: '890.00', tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  await page.getByRole('radio', { name: /Authorize only/ }).check();
  const result = await chargeNow(page);
  await expect(result).toHaveAttribute('data-outcome', 'approved');
  const reference = (await result.getByTestId('result-reference').textContent())!.trim();
  await openResultTransaction(page);
  await expect(page.getByTestId('rest-note')).toContainText(/capture it \(all or part\) before .+, or void it/);
  const list = await apiOk<{ rows: { id: string; orderReference: string; expiresAt: string | null; reference: string }[] }>(page, 'payments.list', { query: reference });
  const payment = list.rows.find((r) => r.orderReference === reference)!;
  expect(payment.expiresAt).not.toBeNull();

  await test.step('six days later: the Transactions screen warns, with a link to the expiring filter', async () => {
    await advance(page, web, 6 * DAY);
    await page.keyboard.press('F4');
    await expect(page.getByRole('heading', { name: 'Transactions' })).toBeVisible();
    const banner = page.getByTestId('expiring-banner');
    await expect(banner).toBeVisible();
    await expect(page.getByText('1 authorization expires within 48 hours')).toBeVisible();
    await expect(banner).toContainText(reference);
    await shot(page, 'expiring-banner');
    await banner.getByRole('button', { name: 'Show the expiring authorizations' }).click();
    await expect(page.getByRole('radio', { name: 'Expiring soon' })).toBeChecked();
    await expect(page.locator(`[data-reference="${reference}"]`)).toBeVisible();
  });

  await test.step('eight days after: expired, no Capture, the reason shown; check status agrees', async () => {
    await advance(page, web, 2 * DAY);
    await page.keyboard.press('F4');
    await page.getByRole('radio', { name: 'All', exact: true }).check();
    await page.locator(`[data-reference="${reference}"]`).click();
    await expect(page.getByRole('heading', { name: `Order ${reference}` })).toBeVisible();
    await expect(page.locator('.badge[data-status="expired"]')).toBeVisible();
    await expect(page.getByTestId('expired-note')).toContainText('can no longer be captured');
    await expect(page.getByRole('button', { name: /^Capture/ })).toHaveCount(0);
    await expect(page.getByText(/Capture\s*not available: The authorization expired/)).toBeVisible();
    await page.keyboard.press('s');
    await expect(page.getByText('Status confirmed with the bank')).toBeVisible();
    await expect(page.locator('.badge[data-status="expired"]')).toBeVisible();
    await shot(page, 'authorization-expired');
  });

  await test.step('the contract refuses a capture: AUTHORIZATION_EXPIRED; the bank agrees', async () => {
    const r = await api(page, 'payments.capture', { paymentId: payment.id, amount: 100 });
    expect(r).toMatchObject({ ok: false, error: { code: 'AUTHORIZATION_EXPIRED' } });
    const detail = await apiOk<{ payment: { status: string; captured: number } }>(page, 'payments.get', { paymentId: payment.id });
    expect(detail.payment).toMatchObject({ status: 'expired', captured: 0 });
    const [gw] = await sandboxOrders(web, payment.reference);
    expect(gw).toMatchObject({ command: 'AUTHORIZATION', authorizedAmount: 89000, capturedAmount: 0 });
    // The sandbox (the bank) would refuse it too: 7 days by its clock, which is the station's.
    expect(gw!.operations.filter((o) => o.kind === 'capture')).toHaveLength(0);
  });
});
