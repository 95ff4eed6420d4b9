import type { Page } from '@playwright/test';
import { startSandbox, type SandboxHandle } from '../electron/gateway/sandbox';
import { api, apiOk, expect, NAMES, PINS, sandboxControl, sandboxOrders, setupStation, shot, startWeb, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, openResultTransaction, startOrder } from './desk';

/**
 * Going live (docs/going-live.md) in Chromium: a SECOND sandbox plays the merchant's APS test
 * environment (its own port, merchant, access code, phrases, SHA-512), reached through the
 * development URL override. The admin enters the credentials with one wrong phrase, sees which,
 * fixes it, tests, saves; a switch with a queued refund is refused with the list; then the switch,
 * the APS TEST band, a payment from before refunded on its own account, and a new charge through
 * the APS test card page.
 */

const APS = {
  merchantIdentifier: 'SHOPTEST7',
  accessCode: 'ShopAccess7Code',
  requestPhrase: 'shop-request-7',
  responsePhrase: 'shop-response-7',
  shaType: 'SHA-512' as const,
};

interface Detail {
  payment: { id: string; reference: string; refunded: number; status: string };
}

async function pay(page: Page, name: string, price: string): Promise<string> {
  await page.keyboard.press('F2');
  const result = page.getByTestId('charge-result');
  if (await result.isVisible()) await result.getByRole('button', { name: /New order/ }).click();
  await startOrder(page, { customer: { name }, lines: [{ description: 'Brass lamp', price, tax: '0' }] });
  await enterNewCard(page, CARDS.visa);
  await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
  await openResultTransaction(page);
  return (await page.getByRole('heading', { name: /^Order / }).textContent())!.replace('Order ', '').trim();
}

async function detail(page: Page, orderReference: string): Promise<Detail> {
  const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: orderReference });
  return apiOk<Detail>(page, 'payments.get', { paymentId: list.rows.find((r) => r.orderReference === orderReference)!.id });
}

async function openSettings(page: Page) {
  // Right after a reload the shell may not listen yet (the language's catalogues load first): a
  // key pressed then is lost, so press again until Settings opens.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(async () => {
    await page.keyboard.press('Alt+S');
    await expect(page.getByRole('heading', { name: 'Gateway', exact: true })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
}

test('an admin connects the APS test account: wrong phrase named, fixed, tested, saved; switch refused while a refund is queued; then refunds stay on their own account', async ({ page }) => {
  test.setTimeout(240_000);
  let aps: SandboxHandle | null = null;
  const web = await startWeb({ env: { POS_DEV_GATEWAY_URLS: '1' } });
  try {
    aps = await startSandbox({ merchants: [APS] });
    await setupStation(page, web);
    await switchUser(page, NAMES.clerk, PINS.clerk);
    // Two purchases on the embedded sandbox, before any switch.
    const before = await pay(page, 'Rana Saleh', '80.00');
    const queuedOne = await pay(page, 'Omar Nasser', '30.00');

    await switchUser(page, NAMES.admin, PINS.admin);
    await openSettings(page);
    const panel = page.getByRole('region', { name: 'Gateway', exact: true });
    await expect(panel.getByTestId('gateway-now')).toContainText('Embedded sandbox');
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'gateway-settings-sandbox');

    await test.step('credentials with one wrong phrase: the test names it', async () => {
      await panel.getByRole('radio', { name: /APS test environment/ }).check();
      const form = panel.getByRole('form', { name: 'APS test environment account' });
      await form.getByLabel('Merchant identifier').fill(APS.merchantIdentifier);
      await form.getByLabel('Access code').fill(APS.accessCode);
      await form.getByLabel('SHA type').selectOption('SHA-512');
      await form.getByLabel('Currencies the account accepts').fill('USD, AED');
      await form.getByLabel('SHA request phrase').fill(APS.requestPhrase);
      await form.getByLabel('SHA response phrase').fill('shop-response-8');
      await form.getByLabel(/Development only/).check();
      await form.getByLabel('paymentApi URL').fill(aps!.paymentApiUrl);
      await form.getByLabel('paymentPage URL').fill(aps!.paymentPageUrl);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByText('Connection test failed')).toBeVisible();
      await expect(form.getByText(/the SHA response phrase is wrong/)).toBeVisible();
      // The field to look at is marked.
      await expect(form.getByLabel('SHA response phrase')).toHaveAttribute('aria-invalid', 'true');
      await expect(form.getByLabel('SHA request phrase')).not.toHaveAttribute('aria-invalid', 'true');
      await expect(form.getByLabel('SHA type')).not.toHaveAttribute('aria-invalid', 'true');
      await form.scrollIntoViewIfNeeded();
      await shot(page, 'gateway-settings-test-failed');
    });

    await test.step('fixed, tested OK, saved; the secrets are never shown again', async () => {
      const form = panel.getByRole('form', { name: 'APS test environment account' });
      await form.getByLabel('SHA response phrase').fill(APS.responsePhrase);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByText('Connection OK')).toBeVisible();
      await shot(page, 'gateway-settings-test-ok');
      await form.getByRole('button', { name: /Save test account/ }).click();
      const saved = panel.getByRole('form', { name: 'APS test environment account' });
      await expect(saved.getByLabel('Access code')).toHaveValue('');
      await expect(saved.getByText(/ends in ••de\. Leave empty to keep it\./)).toBeVisible();
      await expect(saved.getByText('Saved. The secrets are stored encrypted and are never shown again.')).toBeVisible();
      const state = JSON.stringify(await apiOk(page, 'gateway.get'));
      // Never to the screen, its storage, or the station's logs.
      const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      for (const secret of [APS.accessCode, APS.requestPhrase, APS.responsePhrase]) {
        expect(state).not.toContain(secret);
        expect(storage).not.toContain(secret);
        expect(web.logs()).not.toContain(secret);
      }
      await shot(page, 'gateway-settings-saved');
    });

    await test.step('a switch while a refund is queued is refused, with the list', async () => {
      await sandboxControl(web, 'reachable', { reachable: false });
      // The slow probe (15 s) notices; then the refund is queued, not sent.
      await expect(page.locator('button.sync')).toContainText('Offline', { timeout: 25_000 });
      const d = await detail(page, queuedOne);
      const sam = (await apiOk<{ id: string; name: string }[]>(page, 'session.users')).find((u) => u.name === NAMES.supervisor)!;
      const r = await apiOk<{ outcome: string }>(page, 'payments.refund', { paymentId: d.payment.id, amount: 3000, reason: 'Returned', approval: { supervisorId: sam.id, pin: PINS.supervisor } });
      expect(r.outcome).toBe('queued');
      await page.reload();
      await openSettings(page);
      await panel.getByRole('radio', { name: /APS test environment/ }).check();
      await expect(panel.getByText('A switch must wait for these operations')).toBeVisible();
      await panel.getByRole('button', { name: /Send new payments to the APS test environment/ }).click();
      const dialog = page.getByRole('dialog', { name: /Switch to the APS test environment/ });
      await dialog.getByLabel('Your PIN').fill(PINS.admin);
      await dialog.getByRole('button', { name: 'Switch' }).click();
      await expect(dialog.getByText(new RegExp(`${d.payment.reference} refund 3000 USD \\(queued\\)`))).toBeVisible();
      await shot(page, 'gateway-switch-refused');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.locator('.sandbox-banner')).toBeVisible();
      // The gateway comes back; the queued refund goes to its own account (the embedded sandbox).
      await sandboxControl(web, 'reachable', { reachable: true });
      await expect.poll(async () => (await sandboxOrders(web, d.payment.reference))[0]?.refundedAmount, { timeout: 60_000 }).toBe(3000);
      await expect.poll(async () => (await apiOk<{ blockers: unknown[] }>(page, 'gateway.get')).blockers.length, { timeout: 30_000 }).toBe(0);
    });

    await test.step('the switch: PIN again, the APS TEST band', async () => {
      await page.reload();
      await openSettings(page);
      await panel.getByRole('radio', { name: /APS test environment/ }).check();
      await panel.getByRole('button', { name: /Send new payments to the APS test environment/ }).click();
      const dialog = page.getByRole('dialog', { name: /Switch to the APS test environment/ });
      await dialog.getByLabel('Your PIN').fill(PINS.admin);
      await dialog.getByRole('button', { name: 'Switch' }).click();
      // The page reloads so its CSP names the APS test card page.
      await expect(page.getByRole('note', { name: 'APS test environment' })).toBeVisible();
      await expect(page.getByRole('note', { name: 'APS test environment' })).toContainText(`APS TEST`);
      await expect(page.locator('.sandbox-banner')).toHaveCount(0);
      await openSettings(page);
      await expect(panel.getByTestId('gateway-now')).toContainText('APS test environment');
      await panel.getByTestId('gateway-now').scrollIntoViewIfNeeded();
      await shot(page, 'gateway-settings-test-in-use');
    });

    await test.step('production: fixed hosts, no URL override, saved only after an OK test', async () => {
      await panel.getByRole('radio', { name: /APS production/ }).check();
      const form = panel.getByRole('form', { name: 'APS production account' });
      await expect(form.getByLabel(/Development only/)).toHaveCount(0);
      await expect(form.getByRole('button', { name: /Save production account/ })).toBeDisabled();
      await expect(form.getByText('Production is saved only after a successful test.')).toBeVisible();
      await form.getByLabel('Merchant identifier').fill('SHOPLIVE7');
      await form.getByLabel('Access code').fill('LiveAccess7');
      await form.getByLabel('SHA request phrase').fill('live-request-7');
      await form.getByLabel('SHA response phrase').fill('live-response-7');
      await form.getByLabel('Currencies the account accepts').fill('AED');
      // This machine cannot reach APS production: the test says so, and Save stays off.
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByText('Connection test failed')).toBeVisible({ timeout: 30_000 });
      await expect(form.getByText(/could not be reached/)).toBeVisible();
      await expect(form.getByRole('button', { name: /Save production account/ })).toBeDisabled();
      await form.scrollIntoViewIfNeeded();
      await shot(page, 'gateway-settings-production-untested');
      expect((await apiOk<{ accounts: { environment: string }[] }>(page, 'gateway.get')).accounts.map((a) => a.environment)).toEqual(['test']);
    });

    await test.step('a payment made before the switch is refunded on its own account', async () => {
      const d = await detail(page, before);
      const sam = (await apiOk<{ id: string; name: string }[]>(page, 'session.users')).find((u) => u.name === NAMES.supervisor)!;
      const r = await apiOk<{ outcome: string }>(page, 'payments.refund', { paymentId: d.payment.id, amount: 8000, reason: 'Returned', approval: { supervisorId: sam.id, pin: PINS.supervisor } });
      expect(r.outcome).toBe('approved');
      expect((await sandboxOrders(web, d.payment.reference))[0]).toMatchObject({ refundedAmount: 8000 });
      expect(aps!.control.order(d.payment.reference, APS.merchantIdentifier)).toBeUndefined();
    });

    await test.step('a new charge goes through the APS test card page to the APS test account', async () => {
      await switchUser(page, NAMES.clerk, PINS.clerk);
      const after = await pay(page, 'Lina Aziz', '45.00');
      const d = await detail(page, after);
      expect(aps!.control.order(d.payment.reference, APS.merchantIdentifier)).toMatchObject({ capturedAmount: 4500 });
      expect(await sandboxOrders(web, d.payment.reference)).toHaveLength(0);
      await shot(page, 'gateway-band-test-transaction');
      // And nothing of the account's secrets was ever sent to the page.
      const r = await api(page, 'gateway.get');
      expect(r.ok).toBe(false); // clerks cannot even read the gateway settings
      for (const secret of [APS.accessCode, APS.requestPhrase, APS.responsePhrase]) expect(web.logs()).not.toContain(secret);
    });
  } finally {
    await web.stop();
    await aps?.close();
  }
});
