import type { Locator, Page } from '@playwright/test';
import { apiOk, expect, NAMES, personSpeaks, PINS, sandboxControl, setupStation, shot, startWeb, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, startOrder } from './desk';

/**
 * The Queue screen (docs/offline.md): a queue longer than one page is browsable to its last row
 * (keyset paging, virtualised list), its counts are exact, its ages follow the core's clock (web
 * mode runs the station on the sandbox's clock, moved here), and a recurring charge that failed is
 * listed under "Needs attention" with its next step and a way to open its schedule.
 */

const NAME = 'Hana Kobayashi';
const QUEUED = 260; // more than one page (200)

interface QueueOut {
  rows: { id: string; kind: string }[];
  nextCursor: string | null;
  counts: { attention: number; recurringAttention: number; queued: number };
  now: string;
}

const list = (page: Page) => page.locator('#queue-list');
const rowsOf = (page: Page) => list(page).locator('[role="row"]');
const syncIndicator = (page: Page) => page.locator('button.sync');

async function loaded(l: Locator): Promise<number> {
  return Number(await l.getAttribute('data-loaded'));
}

test('Queue: pages past the first page with exact counts and core-clock ages; a failed recurring charge needs attention there', async ({ page }) => {
  test.setTimeout(240_000);
  const web = await startWeb();
  try {
    await setupStation(page, web);
    await switchUser(page, NAMES.clerk, PINS.clerk);

    let customerId = '';
    let cardId = '';
    await test.step('a customer with a card on file', async () => {
      await startOrder(page, { customer: { name: NAME, email: 'hana@example.com' }, lines: [{ description: 'Tea set', price: '15.00', tax: '0' }] });
      await enterNewCard(page, CARDS.visa);
      await expect(await chargeNow(page)).toHaveAttribute('data-outcome', 'approved');
      const found = await apiOk<{ hits: { customer: { id: string }; cards: { id: string }[] }[] }>(page, 'customers.search', { query: NAME, limit: 1 });
      customerId = found.hits[0]!.customer.id;
      cardId = found.hits[0]!.cards[0]!.id;
    });

    let scheduleId = '';
    await test.step('a recurring charge the bank declines (magic amount 50.29) needs attention', async () => {
      const d = await apiOk<{ schedule: { id: string }; periods: { state: string }[] }>(page, 'recurring.create', { customerId, cardId, amount: 5029, currency: 'USD', frequency: 'monthly', description: 'Tea of the month' });
      expect(d.periods[0]!.state).toBe('needs_attention');
      scheduleId = d.schedule.id;
      await expect(syncIndicator(page)).toContainText('1 needs attention', { timeout: 35_000 });
    });

    await test.step(`offline: ${QUEUED} partial captures of one authorization are queued`, async () => {
      const order = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'phone', currency: 'USD', customerId, lines: [{ description: 'Standing order', quantity: 1, unitPrice: 100_000, taxRateBp: 0 }] });
      const auth = await apiOk<{ outcome: string; payment: { id: string } }>(page, 'payments.charge', { orderId: order.id, mode: 'authorize', source: { kind: 'card_on_file', cardId } });
      expect(auth.outcome).toBe('approved');
      await sandboxControl(web, 'reachable', { reachable: false });
      await expect(syncIndicator(page)).toContainText('Offline', { timeout: 25_000 });
      // One loop in the page (same endpoint and session as the screen), not 260 round trips of the test.
      const outcomes = await page.evaluate(
        async ([paymentId, n]) => {
          const secret = sessionStorage.getItem('pos.web.secret') ?? '';
          const session = sessionStorage.getItem('pos.web.session') ?? '';
          const out: string[] = [];
          for (let i = 0; i < n; i++) {
            const res = await fetch('/api/call/payments.capture', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': secret, 'X-Pos-Session': session },
              body: JSON.stringify({ paymentId, amount: 1 }),
            });
            const body = (await res.json()) as { ok: boolean; value?: { outcome: string }; error?: { code: string } };
            out.push(body.ok ? body.value!.outcome : body.error!.code);
          }
          return out;
        },
        [auth.payment.id, QUEUED] as const,
      );
      expect(outcomes.filter((o) => o === 'queued')).toHaveLength(QUEUED);
      await expect(syncIndicator(page)).toContainText(`${QUEUED} queued`);
    });

    await test.step('twelve minutes pass on the station clock (the sandbox\'s): ages follow it, not the browser\'s', async () => {
      await sandboxControl(web, 'clock', { advanceMs: 12 * 60_000 });
      const q = await apiOk<QueueOut>(page, 'sync.queue', { section: 'queued', limit: 1 });
      expect(Date.parse(q.now) - Date.now()).toBeGreaterThan(11 * 60_000);
    });

    await test.step('the Queue opens on what needs attention: the recurring charge, labelled, with its next step', async () => {
      await page.keyboard.press('Alt+Q');
      await expect(page.locator('#queue-title')).toBeVisible();
      await expect(page.getByRole('tab', { name: 'Needs attention (1)' })).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByRole('tab', { name: `Waiting to be sent (${QUEUED})` })).toBeVisible();
      const row = rowsOf(page).filter({ hasText: 'Tea of the month' });
      await expect(row).toHaveAttribute('data-kind', 'recurring');
      await expect(row).toContainText('Recurring schedule');
      await expect(row).toContainText(NAME);
      await expect(row).toContainText('USD 50.29');
      await expect(row).toContainText(/period 1/);
      await expect(row).toContainText(/Declined|funds/i);
      await expect(row).toContainText(/Next: .*supervisor retries the charge or skips the period/);
      await expect(row.getByRole('button', { name: /Open the schedule Tea of the month/ })).toBeVisible();
      await shot(page, 'queue-attention-recurring');
    });

    await test.step(`"Waiting to be sent": the first page, then every page by scrolling, ${QUEUED} rows, each once`, async () => {
      await page.getByRole('tab', { name: `Waiting to be sent (${QUEUED})` }).click();
      await expect(list(page)).toHaveAttribute('data-section', 'queued');
      await expect(rowsOf(page).first()).toContainText('Capture');
      // Twelve minutes by the station's clock (the browser's would say "under a minute").
      await expect(rowsOf(page).first()).toContainText(/1[23] min/);
      expect(await loaded(list(page))).toBe(200);
      expect(await rowsOf(page).count()).toBeLessThan(60); // a window of rows, not 260
      await shot(page, 'queue-waiting');
      const l = list(page);
      const ids = new Set<string>();
      for (let guard = 0; guard < 50; guard++) {
        for (const id of await l.locator('[role="row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''))) ids.add(id);
        if ((await loaded(l)) >= QUEUED && ids.size >= QUEUED) break;
        await l.evaluate((el) => el.scrollBy({ top: el.clientHeight }));
        await page.waitForTimeout(50);
      }
      expect(await loaded(l)).toBe(QUEUED);
      expect(ids.size).toBe(QUEUED);
      const api = await apiOk<QueueOut>(page, 'sync.queue', { section: 'queued', limit: 500 });
      expect(new Set(api.rows.map((r) => r.id))).toEqual(ids);
      await l.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(l.locator(`[role="row"][aria-rowindex="${QUEUED + 1}"]`)).toBeVisible();
      await expect(page.getByRole('table', { name: 'Waiting to be sent' })).toHaveAttribute('aria-rowcount', String(QUEUED + 1));
      await expect(page.getByRole('tab', { name: `Waiting to be sent (${QUEUED})` })).toBeVisible();
    });

    await test.step('"Open schedule" opens the recurring schedule with the period that needs attention', async () => {
      await page.getByRole('tab', { name: 'Needs attention (1)' }).click();
      await rowsOf(page).filter({ hasText: 'Tea of the month' }).getByRole('button', { name: /Open the schedule/ }).click();
      await expect(page.getByRole('heading', { name: 'Tea of the month' })).toBeVisible();
      await expect(page.getByRole('row').filter({ hasText: /-RC-/ }).first()).toContainText('Needs attention');
      const d = await apiOk<{ schedule: { id: string } }>(page, 'recurring.get', { id: scheduleId });
      expect(d.schedule.id).toBe(scheduleId);
    });

    await test.step('in Arabic: the stored reason and the next step are said in Arabic (keys in the ledger), digits Arabic-Indic', async () => {
      await personSpeaks(page, 'ar', 'arab');
      await page.keyboard.press('Alt+Q');
      await expect(page.getByRole('heading', { name: 'قائمة الانتظار', level: 1 })).toBeVisible();
      const row = rowsOf(page).filter({ hasText: 'Tea of the month' });
      await expect(row).toContainText('مرفوضة:');
      await expect(row).toContainText('اسأل العميل (تُضاف بطاقة أخرى إلى الجدول)');
      await expect(row).not.toContainText('Declined');
      await expect(row).not.toContainText('supervisor');
      await shot(page, 'ar-queue-attention');
    });
  } finally {
    await web.stop();
  }
});
