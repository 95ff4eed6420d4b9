import type { Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, personSpeaks, sandboxControl, setupStation, shot, switchUser, test } from './fixtures';
import { CARDS, chargeNow, enterNewCard, openResultTransaction, startOrder } from './desk';

/**
 * Issue #17: the transaction, queue, recurring, end-of-day and audit screens in Arabic, right to
 * left, with KWD (three decimals). The activity is made in English (other screens' words are
 * someone else's part), then the station switches to Arabic the way renderer/i18n bootLanguage
 * reads it, and every screen is photographed. Until the per-user language setting lands, this is
 * how the screenshots are taken.
 */

// Arabic-Indic digits are checked in e2e/user-language.spec.ts; the helpers' unit tests cover both.
async function toArabic(page: Page) {
  // The supervisor works in Arabic (their own setting).
  await personSpeaks(page, 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
}

const nav = (page: Page, name: RegExp) => page.getByRole('navigation').first().getByRole('button', { name });

async function approval(page: Page) {
  const users = await apiOk<{ id: string; name: string }[]>(page, 'session.users');
  // The supervisor is signed in and may not approve their own refund: the admin approves.
  return { supervisorId: users.find((u) => u.name === NAMES.admin)!.id, pin: PINS.admin };
}

test('the money screens in Arabic, right to left, amounts in KWD with three decimals', async ({ page, web }) => {
  await setupStation(page, web);
  await apiOk(page, 'settings.update', { currency: 'KWD' });
  await switchUser(page, NAMES.supervisor, PINS.supervisor);

  let reference = '';
  await test.step('activity: an authorization for an Arabic-script customer, part captured, part refunded; cash sales; the gateway goes offline', async () => {
    await startOrder(page, { customer: { name: 'فاطمة العلي' }, lines: [{ description: 'طاولة خشب', price: '120.500', tax: '0' }] });
    await enterNewCard(page, CARDS.visa);
    await page.getByRole('radio', { name: /Authorize only/ }).check();
    const result = await chargeNow(page);
    await expect(result).toHaveAttribute('data-outcome', 'approved');
    reference = (await result.getByTestId('result-reference').textContent())!.trim();
    await openResultTransaction(page);
    const list = await apiOk<{ rows: { id: string; orderReference: string }[] }>(page, 'payments.list', { query: reference });
    const id = list.rows.find((r) => r.orderReference === reference)!.id;
    await apiOk(page, 'payments.capture', { paymentId: id, amount: 45_250 });
    await apiOk(page, 'payments.refund', { paymentId: id, amount: 10_000, reason: 'خدش في السطح', approval: await approval(page) });
    for (const price of [3_135, 1_200]) {
      const order = await apiOk<{ id: string }>(page, 'orders.create', { channel: 'counter', currency: 'KWD', lines: [{ description: 'قهوة', quantity: 1, unitPrice: price, taxRateBp: 0 }] });
      await apiOk(page, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: price } });
    }
    // The gateway goes away: the screens say "offline" in Arabic.
    await sandboxControl(web, 'reachable', { reachable: false });
  });

  await toArabic(page);

  await test.step('transactions: the list and the payment, in Arabic', async () => {
    await page.keyboard.press('Alt+T');
    await expect(page.getByRole('heading', { name: 'المعاملات', level: 1 })).toBeVisible();
    await expect(page.locator('#tx-list [role="row"]').first()).toBeVisible();
    await expect(page.getByText('فاطمة العلي').first()).toBeVisible();
    await shot(page, 'ar-transactions');
    await page.locator(`#tx-list [data-reference="${reference}"]`).click();
    await expect(page.getByRole('heading', { name: new RegExp(`طلب.*${reference}`) })).toBeVisible();
    // KWD with three decimals, placed by fmtMoney.
    await expect(page.getByTestId('amt-captured')).toContainText('45.250');
    await expect(page.getByTestId('amt-refunded')).toContainText('10.000');
    await expect(page.getByRole('heading', { name: 'العمليات' })).toBeVisible();
    await expect(page.getByText('تحصيل').first()).toBeVisible();
    await shot(page, 'ar-transaction-detail');
    await page.keyboard.press('r');
    await expect(page.getByRole('heading', { name: 'استرداد', level: 3 })).toBeVisible();
    await expect(page.getByLabel('المبلغ (KWD)')).toHaveValue('35.250');
    await page.getByLabel('المبلغ (KWD)').fill('99.000');
    await page.locator('form[aria-labelledby="refund-h"]').getByRole('button', { name: /^استرداد/ }).click();
    await expect(page.getByText('أكثر من المبلغ المتبقي للاسترداد')).toBeVisible();
    await shot(page, 'ar-refund-form');
    await page.keyboard.press('Escape');
  });

  await test.step('queue, recurring, end of day, audit', async () => {
    await page.keyboard.press('Alt+Q');
    await expect(page.getByRole('heading', { name: 'قائمة الانتظار', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: /في انتظار الإرسال/ }).click();
    await expect(page.getByRole('main').getByText('لا شيء في الانتظار.')).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'مدة الانتظار' })).toBeVisible();
    await shot(page, 'ar-queue');

    await page.keyboard.press('Alt+R');
    await expect(page.getByRole('heading', { name: 'الخصومات المتكررة', level: 1 })).toBeVisible();
    await expect(page.getByText('لا خصومات متكررة بعد.')).toBeVisible();
    await page.keyboard.press('Alt+U');
    await expect(page.getByRole('heading', { name: 'إعداد خصم متكرر' })).toBeVisible();
    await shot(page, 'ar-recurring-form');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Alt+E');
    await expect(page.getByRole('heading', { name: 'نهاية اليوم', level: 1 })).toBeVisible();
    // Taken 45.250 + 3.135 + 1.200, refunded 10.000.
    await expect(page.getByTestId('eod-net-KWD')).toContainText('39.585');
    // Money out: laid out like the amounts above it (number, then code), U+2212 held to the number, the whole isolated.
    await expect(page.getByTestId('eod-KWD-refunded')).toContainText(/\u2068[\u200e\u200f\u061c]*\u2066\u221210\.000\u2069\u00a0KWD\u2069/);
    await expect(page.getByTestId('eod-currency-KWD')).toContainText('المبيعات النقدية');
    await shot(page, 'ar-end-of-day');
    await page.getByRole('button', { name: 'إغلاق اليوم' }).click();
    await expect(page.getByRole('dialog')).toContainText('تُحفظ لقطة دائمة');
    await shot(page, 'ar-close-day');
    await page.keyboard.press('Escape');

    await nav(page, /Audit log|سجل التدقيق/).click();
    await expect(page.getByRole('heading', { name: 'سجل التدقيق', level: 1 })).toBeVisible();
    await expect(page.locator('#audit-entries tbody tr[data-seq]').first()).toBeVisible();
    await expect(page.locator('#audit-entries').getByText('تسجيل الدخول').first()).toBeVisible();
    await page.getByRole('button', { name: 'التحقق من السجل' }).click();
    await expect(page.getByTestId('audit-state')).toHaveText(/سليم/);
    await shot(page, 'ar-audit');
  });

});
