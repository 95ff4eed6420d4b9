import type { Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, restartWeb, sandboxControl, sandboxOrders, setupStation, shot, signIn, startWeb, switchUser, test, type WebApp } from './fixtures';
import { CARDS, chargeNow, enterNewCard, fillLines, startOrder } from './desk';

/**
 * Recurring charges (seed 001; docs/recurring.md): a monthly schedule on a card on file, run
 * across three periods with a restart of the station (SIGKILL, same data) in the middle. The
 * sandbox is the bank: it must hold exactly three charges, eci RECURRING, PURCHASE, under three
 * distinct references derived from the schedule and the period.
 */

const NAME = 'Omar Farouk';

interface Detail {
  schedule: { id: string; shortId: string; nextDueAt: string | null; charged: number };
  periods: { period: number; state: string; reference: string; paymentReference: string | null }[];
}

async function openCustomer(page: Page) {
  await page.keyboard.press('F3');
  await expect(page.locator('#customer-search')).toBeFocused();
  await page.keyboard.type(NAME);
  await expect(page.getByRole('option').first()).toContainText(NAME);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
}

/** Moves the station's (the sandbox's) clock to just past the schedule's next due date. */
async function advancePastNextDue(page: Page, web: WebApp, scheduleId: string, atLeastMs = 27 * 86_400_000 /* about a month */) {
  const d = await apiOk<Detail>(page, 'recurring.get', { id: scheduleId });
  const now = (await apiOk<{ now: string }>(page, 'session.status')).now;
  const ms = Date.parse(d.schedule.nextDueAt!) - Date.parse(now) + 60_000;
  expect(ms).toBeGreaterThan(atLeastMs);
  await sandboxControl(web, 'clock', { advanceMs: ms });
  // A month of station time is past the idle lock: unlock (or sign in again) as the clerk.
  await page.reload();
  const locked = page.getByRole('dialog', { name: 'Locked' });
  const signInHeading = page.getByRole('heading', { name: 'Sign in' });
  await expect(locked.or(signInHeading)).toBeVisible();
  if (await signInHeading.isVisible()) await page.getByRole('button', { name: new RegExp(NAMES.clerk) }).click();
  await page.keyboard.type(PINS.clerk);
  await page.keyboard.press('Enter');
  // The PIN is checked off the event loop: wait for the unlock itself, not only the screen behind it.
  await expect(locked).toBeHidden();
  await expect(signInHeading).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

function periodRow(page: Page, n: number) {
  return page.getByRole('row').filter({ has: page.getByRole('cell', { name: String(n), exact: true }) }).filter({ hasText: /-RC-/ });
}

test('a monthly schedule run across three periods with a restart in the middle: exactly three charges at the sandbox', async ({ page }) => {
  let web = await startWeb();
  try {
    await setupStation(page, web);
    await switchUser(page, NAMES.clerk, PINS.clerk);

    await test.step('a customer with a card on file', async () => {
      await startOrder(page, { customer: { name: NAME, email: 'omar.farouk@example.com', phone: '+1 555 0177' }, lines: [{ description: 'Starter kit', price: '12.00', tax: '0' }] });
      await enterNewCard(page, CARDS.visa);
      const result = await chargeNow(page);
      await expect(result).toHaveAttribute('data-outcome', 'approved');
    });

    let scheduleId = '';
    await test.step('set up a monthly charge from the customer page: period 1 is charged at once', async () => {
      await openCustomer(page);
      const panel = page.getByRole('region', { name: 'Recurring charges' });
      await expect(panel.getByText('No recurring charges yet.')).toBeVisible();
      await page.keyboard.press('Alt+U');
      const dialog = page.getByRole('dialog', { name: `Set up a recurring charge for ${NAME}` });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByLabel('Card on file')).toHaveValue(/.+/);
      await dialog.getByLabel('Amount').fill('19.99');
      await dialog.getByLabel('Description (on each charge)').fill('Coffee club');
      await expect(dialog.getByRole('radio', { name: 'Monthly' })).toBeChecked();
      await dialog.getByRole('radio', { name: 'After' }).check();
      await dialog.getByLabel('Number of charges').fill('3');
      await expect(dialog.getByText(/Charges on .+, .+, .+/)).toBeVisible();
      await page.keyboard.press('Control+Enter');
      await expect(dialog).toBeHidden({ timeout: 30_000 });
      const detail = page.getByRole('region', { name: 'Recurring charge: Coffee club' });
      await expect(detail).toBeVisible();
      await expect(periodRow(page, 1)).toContainText('Charged');
      const list = await apiOk<{ schedules: { id: string }[] }>(page, 'recurring.list', {});
      scheduleId = list.schedules[0]!.id;
    });

    await test.step('one month later (station running): period 2 is charged by the runner', async () => {
      await advancePastNextDue(page, web, scheduleId);
      // The runner looks every minute; ask it now, as the screen's "Charge what is due now" does.
      await apiOk(page, 'recurring.runDue', {});
      const d = await apiOk<Detail>(page, 'recurring.get', { id: scheduleId });
      expect(d.periods.map((p) => [p.period, p.state])).toEqual([[2, 'charged'], [1, 'charged']]);
    });

    await test.step('the station is killed and started again on the same data', async () => {
      web = await restartWeb(web);
      await page.goto(web.url);
      await signIn(page, NAMES.clerk, PINS.clerk);
      // A restart never charges a period again.
      await apiOk(page, 'recurring.runDue', {});
      expect((await apiOk<Detail>(page, 'recurring.get', { id: scheduleId })).schedule.charged).toBe(2);
    });

    await test.step('another month (the station running since the restart): period 3 is charged', async () => {
      await advancePastNextDue(page, web, scheduleId);
      await apiOk(page, 'recurring.runDue', {});
      await apiOk(page, 'recurring.runDue', {});
      await openCustomer(page);
      const panel = page.getByRole('region', { name: 'Recurring charges' });
      const row = panel.getByRole('row', { name: /Coffee club/ });
      await expect(row).toContainText('USD 19.99');
      await expect(row).toContainText('Visa •••• 0001');
      await expect(row).toContainText('Completed');
      await panel.scrollIntoViewIfNeeded();
      await shot(page, 'recurring-customer-panel');
      await page.getByRole('button', { name: `Open Coffee club for ${NAME}` }).click();
      const detail = page.getByRole('region', { name: 'Recurring charge: Coffee club' });
      await expect(detail).toBeVisible();
      for (const n of [1, 2, 3]) await expect(periodRow(page, n)).toContainText('Charged');
      await detail.scrollIntoViewIfNeeded();
      await shot(page, 'recurring-detail');
      // The Recurring screen (Alt+R) lists every schedule of the station.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Alt+R');
      await expect(page.locator('#recurring-title')).toBeVisible();
      await expect(page.getByRole('row', { name: /Coffee club/ })).toContainText('Completed');
      await shot(page, 'recurring-list');
    });

    await test.step('the bank holds exactly three charges: RECURRING, PURCHASE, three derived references', async () => {
      const d = await apiOk<Detail>(page, 'recurring.get', { id: scheduleId });
      const recurring = (await sandboxOrders(web)).filter((o) => o.merchantReference.includes(`-RC-${d.schedule.shortId}-`));
      expect(recurring).toHaveLength(3);
      const refs = recurring.map((o) => o.merchantReference).sort();
      expect(new Set(refs).size).toBe(3);
      expect(refs).toEqual(d.periods.map((p) => p.paymentReference).sort());
      expect(refs).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^[A-Za-z0-9]+-RC-${d.schedule.shortId}-${n}-P1$`))));
      for (const o of recurring) expect(o).toMatchObject({ command: 'PURCHASE', eci: 'RECURRING', amount: 1999, capturedAmount: 1999 });
    });
  } finally {
    await web.stop();
  }
});

test('changing a schedule: new amount, card and next date; the next charge uses them, the charge already made keeps its amount', async ({ page }) => {
  test.setTimeout(180_000);
  const web = await startWeb();
  const customer = 'Ines Duarte';
  try {
    await setupStation(page, web);
    await switchUser(page, NAMES.clerk, PINS.clerk);

    let customerId = '';
    let cards: { id: string; last4: string }[] = [];
    await test.step('a customer with two cards on file (Visa, then Mastercard on a second order)', async () => {
      await startOrder(page, { customer: { name: customer, email: 'ines@example.com' }, lines: [{ description: 'Starter kit', price: '12.00', tax: '0' }] });
      await enterNewCard(page, CARDS.visa);
      await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
      await page.getByTestId('charge-result').getByRole('button', { name: /New order/ }).click();
      await page.locator('#order-first-field').fill(customer);
      await expect(page.getByRole('option').first()).toContainText(customer);
      await page.locator('#order-first-field').press('Enter');
      await fillLines(page, [{ description: 'Refill', price: '6.00', tax: '0' }]);
      await enterNewCard(page, CARDS.mastercard);
      await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
      customerId = (await apiOk<{ hits: { customer: { id: string } }[] }>(page, 'customers.search', { query: customer, limit: 1 })).hits[0]!.customer.id;
      cards = (await apiOk<{ cards: { id: string; last4: string }[] }>(page, 'customers.get', { id: customerId })).cards;
      expect(cards.map((c) => c.last4).sort()).toEqual([CARDS.visa.last4, CARDS.mastercard.last4].sort());
    });

    let scheduleId = '';
    await test.step('a monthly charge of 19.99 on the Visa: period 1 is charged at once', async () => {
      const d = await apiOk<Detail>(page, 'recurring.create', { customerId, cardId: cards.find((c) => c.last4 === CARDS.visa.last4)!.id, amount: 1999, currency: 'USD', frequency: 'monthly', description: 'Coffee club' });
      expect(d.periods[0]).toMatchObject({ period: 1, state: 'charged' });
      scheduleId = d.schedule.id;
    });

    const inThreeDays = new Date(Date.parse((await apiOk<{ now: string }>(page, 'session.status')).now) + 3 * 86_400_000).toISOString().slice(0, 10);
    await test.step('Change (Alt+H): 24.50, the Mastercard, the next charge in three days', async () => {
      await page.keyboard.press('Alt+R');
      await expect(page.locator('#recurring-title')).toBeVisible();
      await page.getByRole('button', { name: `Open Coffee club for ${customer}` }).click();
      await expect(page.getByRole('heading', { name: 'Coffee club' })).toBeVisible();
      await page.keyboard.press('Alt+H');
      const dialog = page.getByRole('dialog', { name: 'Change the recurring charge' });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByLabel('Amount (USD)')).toHaveValue('19.99');
      await dialog.getByLabel('Amount (USD)').fill('24.50');
      await expect(dialog.getByLabel('Card on file').locator('option')).toHaveCount(2);
      await dialog.getByLabel('Card on file').selectOption(cards.find((c) => c.last4 === CARDS.mastercard.last4)!.id);
      await dialog.getByLabel('Next charge on').fill(inThreeDays);
      await expect(dialog.getByText(/Next charges: .+\(period 2\), .+\(period 3\)/)).toBeVisible();
      await shot(page, 'recurring-edit');
      await page.keyboard.press('Control+Enter');
      await expect(dialog).toBeHidden({ timeout: 30_000 });
      const facts = page.locator('.facts');
      await expect(facts).toContainText('USD 24.50');
      await expect(facts).toContainText(`Mastercard •••• ${CARDS.mastercard.last4}`);
      await expect(facts).toContainText('(period 2)');
      await expect(periodRow(page, 1)).toContainText('USD 19.99');
    });

    await test.step('three days later the runner charges period 2: 24.50 on the Mastercard; period 1 stays 19.99', async () => {
      await advancePastNextDue(page, web, scheduleId, 2 * 86_400_000);
      await apiOk(page, 'recurring.runDue', {});
      const d = await apiOk<{ schedule: Detail['schedule']; periods: { period: number; state: string; amount: number; dueAt: string }[] }>(page, 'recurring.get', { id: scheduleId });
      expect(d.periods.map((p) => [p.period, p.state, p.amount])).toEqual([[2, 'charged', 2450], [1, 'charged', 1999]]);
      expect(d.periods[0]!.dueAt.slice(0, 10)).toBe(inThreeDays);
      const bank = (await sandboxOrders(web)).filter((o) => o.merchantReference.includes(`-RC-${d.schedule.shortId}-`)).sort((a, b) => a.merchantReference.localeCompare(b.merchantReference));
      expect(bank.map((o) => [o.merchantReference.replace(/^.*-RC-[A-Z0-9]+-/, ''), o.amount])).toEqual([['1-P1', 1999], ['2-P1', 2450]]);
      expect(bank[0]!.maskedCard).toMatch(new RegExp(`${CARDS.visa.last4}$`));
      expect(bank[1]!.maskedCard).toMatch(new RegExp(`${CARDS.mastercard.last4}$`));
      await page.keyboard.press('Alt+R');
      await page.getByRole('button', { name: `Open Coffee club for ${customer}` }).click();
      await expect(periodRow(page, 2)).toContainText('USD 24.50');
      await expect(periodRow(page, 2)).toContainText('Charged');
      await expect(periodRow(page, 1)).toContainText('USD 19.99');
      await shot(page, 'recurring-edited');
    });
  } finally {
    await web.stop();
  }
});
