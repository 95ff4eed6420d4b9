import { api, apiOk, expect, NAMES, PINS, setupStation, shot, switchUser, test } from './fixtures';
import { startOrder } from './desk';

const USD = (s: string) => `USD\u00a0${s}`;

test('a clerk locked out by idle time comes back to the same unfinished order', async ({ page, web }) => {
  test.setTimeout(240_000);

  await test.step('the admin sets the idle lock to 1 minute; the clerk signs in', async () => {
    await setupStation(page, web);
    const settings = await apiOk<{ idleLockMinutes: number }>(page, 'settings.update', { idleLockMinutes: 1 });
    expect(settings.idleLockMinutes).toBe(1);
    await switchUser(page, NAMES.clerk, PINS.clerk);
    const status = await apiOk<{ idleLockMs: number; locked: boolean }>(page, 'session.status');
    expect(status).toMatchObject({ idleLockMs: 60_000, locked: false });
  });

  const customer = { name: 'Priya Nair', phone: '+1 555 0142', email: 'priya.nair@example.com' };
  await test.step('the clerk starts an order and leaves it unfinished', async () => {
    await startOrder(page, {
      customer,
      lines: [
        { description: 'Gift box', quantity: '2', price: '12.50', tax: '10' },
        { description: 'Ribbon, red', price: '3.20', tax: '0' },
      ],
      channel: 'Counter',
    });
    await page.getByLabel('Note (optional)').fill('Collects Friday');
    await page.getByRole('radio', { name: 'Cash' }).check();
    await page.getByLabel('Amount tendered (USD)').fill('50');
    await expect(page.getByTestId('total')).toHaveText(USD('30.70'));
    await expect(page.getByTestId('change-due')).toHaveText(USD('19.30'));
    // Leave the cursor in the middle of the form, as a clerk called away would.
    await page.getByLabel('Line 2 description').focus();
  });

  await test.step('no input for a minute: the screen locks, and the core refuses calls', async () => {
    await page.mouse.move(1340, 740); // the last input, away from anything the lock screen puts under the pointer
    const idleSince = Date.now();
    const lock = page.getByRole('dialog', { name: 'Locked' });
    await expect(lock).toBeVisible({ timeout: 90_000 });
    const idleFor = Date.now() - idleSince;
    expect(idleFor).toBeGreaterThanOrEqual(58_000);
    await expect(lock).toContainText(`${NAMES.clerk} is signed in. Your unfinished work is kept.`);
    await expect(page.locator('#pin-input')).toBeFocused();

    // The core enforces the lock, not only the screen: a contract call from the page is refused.
    const refused = await api(page, 'payments.list', {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('SESSION_LOCKED');
    const status = await apiOk<{ locked: boolean; user: { name: string } | null }>(page, 'session.status');
    expect(status).toMatchObject({ locked: true, user: { name: NAMES.clerk } });
    // The order underneath is out of reach while locked.
    await expect(page.locator('.shell')).toHaveAttribute('inert', '');
    await shot(page, 'idle-locked');
  });

  await test.step('the clerk unlocks with their PIN: the same order, every field intact', async () => {
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await expect(page.getByText('That PIN is not right. Try again.')).toBeVisible();
    await page.keyboard.type(PINS.clerk);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Locked' })).toHaveCount(0);
    await expect(page.locator('.user-name')).toHaveText(NAMES.clerk);

    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(customer.name);
    await expect(page.getByRole('textbox', { name: 'Phone', exact: true })).toHaveValue(customer.phone);
    await expect(page.getByRole('textbox', { name: 'Email', exact: true })).toHaveValue(customer.email);
    const lines: [string, string, string, string][] = [
      ['Gift box', '2', '12.50', '10'],
      ['Ribbon, red', '1', '3.20', '0'],
    ];
    for (const [i, [description, quantity, price, tax]] of lines.entries()) {
      const n = i + 1;
      await expect(page.getByLabel(`Line ${n} description`)).toHaveValue(description);
      await expect(page.getByLabel(`Line ${n} quantity`)).toHaveValue(quantity);
      await expect(page.getByLabel(new RegExp(`^Line ${n} unit price`))).toHaveValue(price);
      await expect(page.getByLabel(`Line ${n} tax rate in percent`)).toHaveValue(tax);
    }
    await expect(page.getByRole('radio', { name: 'Counter' })).toBeChecked();
    await expect(page.getByLabel('Note (optional)')).toHaveValue('Collects Friday');
    await expect(page.getByRole('radio', { name: 'Cash' })).toBeChecked();
    await expect(page.getByLabel('Amount tendered (USD)')).toHaveValue('50');
    await expect(page.getByTestId('total-net')).toHaveText(USD('28.20'));
    await expect(page.getByTestId('total-tax')).toHaveText(USD('2.50'));
    await expect(page.getByTestId('total')).toHaveText(USD('30.70'));
    await expect(page.getByTestId('change-due')).toHaveText(USD('19.30'));

    // Back in business: the core answers again, and the order can be finished.
    await apiOk(page, 'payments.list', {});
    await page.keyboard.press('Control+Enter');
    const result = page.getByTestId('charge-result');
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    await expect(result.getByText(`Paid in cash \u00b7 ${USD('30.70')}`)).toBeVisible();
  });

  await test.step('the audit log records the idle lock and the unlock (the wrong PIN too)', async () => {
    await switchUser(page, NAMES.supervisor, PINS.supervisor);
    const entries = await apiOk<{ action: string; userName: string | null; outcome: string; detail: string }[]>(page, 'audit.list', { limit: 50 });
    const clerk = entries.filter((e) => e.userName === NAMES.clerk);
    expect(clerk.some((e) => e.action === 'session.lock')).toBe(true);
    expect(clerk.some((e) => e.action === 'session.unlock' && e.outcome === 'failure' && e.detail === 'wrong PIN')).toBe(true);
    expect(clerk.some((e) => e.action === 'session.unlock' && e.outcome === 'success')).toBe(true);
  });
});
