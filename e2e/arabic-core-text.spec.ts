import type { Locator, Page } from '@playwright/test';
import { apiOk, expect, shot, test } from './fixtures';
import { CARDS } from './desk';

/**
 * Issue #17, what was left: an Arabic admin sets the station up in Arabic from the very first
 * screen; phone numbers and emails inside Arabic screens are isolated and read left to right; what
 * the core and the bank say (a decline, why an action is not possible, the gateway's answer in
 * the timeline) is in Arabic, with the user's digits, and no English word is left on those screens.
 */

const ADMIN = { name: 'أمل الكويتي', pin: '246810' };
const PHONE = '+965 2222 3333';
const EMAIL = 'sara.ahmad@example.com';
// English words (3+ Latin letters) that may stay: currency and card brand, APS, references' prefixes, key caps (the keyboard's own letters).
const ALLOWED_LATIN = /\b(USD|KWD|Visa|SANDBOX|APS|ORD|PAY|Enter|Esc|Ctrl|Alt|Shift|Tab)\b/g;

/** Text an Arabic clerk reads in `scope`, minus what is not words (codes, references, amounts). */
async function englishWordsIn(scope: Locator): Promise<string[]> {
  const text = (await scope.innerText()).replace(ALLOWED_LATIN, '');
  // References (ORD-…, PAY-…), emails and masked cards are data, not words.
  const cleaned = text.replace(/[\w.+-]+@[\w.-]+/g, '').replace(/\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+){2,}\b/g, '');
  return cleaned.match(/[A-Za-z]{3,}/g) ?? [];
}

/**
 * Whether `el` is drawn left to right: its first character is left of its last. Without isolation
 * a phone number inside an RTL line reads "3333 2222 965+" (the "+" drawn at the far right).
 */
async function drawnLeftToRight(el: Locator): Promise<boolean> {
  return el.evaluate((node) => {
    const text = node.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) throw new Error('no text');
    const len = text.textContent!.length;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 1);
    const first = range.getBoundingClientRect();
    range.setStart(text, len - 1);
    range.setEnd(text, len);
    const last = range.getBoundingClientRect();
    return first.left < last.left;
  });
}

async function expectIsolatedLtr(el: Locator, text: string) {
  await expect(el).toHaveText(text);
  expect(await el.evaluate((n) => n.tagName)).toBe('BDI');
  await expect(el).toHaveAttribute('dir', 'ltr');
  expect(await drawnLeftToRight(el)).toBe(true);
}

async function setUpInArabic(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Set up this station' })).toBeVisible();
  // The very first screen offers the language, each option in its own script.
  await page.getByRole('radio', { name: 'العربية' }).check();
  await expect(page.getByRole('heading', { name: 'إعداد هذه المحطة' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('radio', { name: 'العربية' })).toBeChecked();
  expect(await englishWordsIn(page.locator('main'))).toEqual(['English']);
  await shot(page, 'ar-setup');
  await page.getByLabel('اسمك').fill(ADMIN.name);
  await page.getByLabel('الرقم السري (6 أرقام أو أكثر)').fill(ADMIN.pin);
  await page.getByLabel('أعد إدخال الرقم السري').fill(ADMIN.pin);
  await page.getByRole('button', { name: /إنشاء حساب المدير/ }).click();
  await expect(page.getByRole('navigation', { name: 'القائمة الرئيسية' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
}

test('an Arabic admin sets up in Arabic; phones and emails read left to right; the bank and the core speak Arabic', async ({ page, web }) => {
  await test.step('the set-up screen: Arabic chosen first, it becomes the station default', async () => {
    await setUpInArabic(page, web.url);
    const status = await apiOk<{ locale: string; user: { language: string | null } }>(page, 'session.status');
    expect(status.locale).toBe('ar');
    // The admin has no language of their own: they follow the station's, which is now Arabic.
    expect(status.user.language).toBeNull();
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'القائمة الرئيسية' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  });

  await test.step('customer search: the phone and the email isolated, drawn left to right', async () => {
    await apiOk(page, 'customers.create', { name: 'سارة الأحمد', phone: PHONE, email: EMAIL });
    await apiOk(page, 'customers.create', { name: 'خالد العتيبي', phone: '+965 5555 1234' });
    await page.keyboard.press('Alt+C');
    await page.keyboard.type('965');
    const hit = page.getByRole('option', { name: /سارة الأحمد/ });
    await expect(hit).toBeVisible();
    await expectIsolatedLtr(hit.locator('.contact-phone'), PHONE);
    await expectIsolatedLtr(hit.locator('.contact-email'), EMAIL);
    // A phone alone (no email, no letter at all) is where <bdi> without a direction went wrong.
    await expectIsolatedLtr(page.getByRole('option', { name: /خالد العتيبي/ }).locator('.contact-phone'), '+965 5555 1234');
    await shot(page, 'ar-customer-search');
    await hit.click();
    await expect(page.getByRole('heading', { name: 'سارة الأحمد', level: 1 })).toBeVisible();
    await expectIsolatedLtr(page.locator('.detail-main .contact-phone'), PHONE);
    await expectIsolatedLtr(page.locator('.detail-main .contact-email'), EMAIL);
    await shot(page, 'ar-customer-detail');
  });

  await test.step('a decline in Arabic: the bank’s answer by its code, no English', async () => {
    await page.keyboard.press('F2');
    await expect(page.getByRole('heading', { name: 'طلب جديد' })).toBeVisible();
    await page.getByLabel('وصف السطر 1').fill('فلتر بديل');
    await page.getByLabel('كمية السطر 1').fill('1');
    // The sandbox declines amounts ending in 666 (docs/sandbox.md): APS 13666 "Transaction declined".
    await page.getByLabel(/^سعر الوحدة في السطر 1/).fill('6.66');
    await page.getByLabel('نسبة الضريبة في السطر 1').fill('0');
    await page.getByRole('radio', { name: 'بطاقة جديدة' }).check();
    const frame = page.frameLocator('iframe[data-testid="hosted-frame"]');
    await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
    await frame.getByTestId('card_number').fill(CARDS.visa.number);
    await frame.getByTestId('expiry_date').fill('12/30');
    await frame.getByTestId('card_security_code').fill(CARDS.visa.cvv);
    await frame.getByTestId('card_holder_name').fill('Sara Ahmad');
    await frame.getByTestId('submit-card').click();
    await expect(page.getByText(/0001 جاهزة/)).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Control+Enter');
    const result = page.getByTestId('charge-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    await expect(result).toHaveAttribute('data-outcome', 'declined');
    await expect(result.getByTestId('decline-reason')).toHaveText('رُفضت المعاملة.');
    await expect(result).toContainText('لم يُخصم أي مبلغ.');
    expect(await englishWordsIn(result.locator('[role="alert"], .alert').first())).toEqual([]);
    await shot(page, 'ar-charge-declined');
  });

  await test.step('the declined payment: why nothing can be done and the gateway’s answer, in Arabic with Arabic-Indic digits', async () => {
    await apiOk(page, 'session.preferences', { digits: 'arab' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-digits', 'arab');
    await page.keyboard.press('Alt+T');
    await expect(page.getByRole('heading', { name: 'المعاملات', level: 1 })).toBeVisible();
    await page.locator('#tx-list [data-reference]').first().click();
    await expect(page.getByRole('heading', { name: 'العمليات' })).toBeVisible();
    // payment-state.ts's refusals, sent as keys: "Capture not available: The payment was declined."
    const refusals = page.locator('.refusals');
    await expect(refusals).toContainText('رُفضت الدفعة.');
    expect(await englishWordsIn(refusals)).toEqual([]);
    // The timeline: the bank's answer by its APS code (was "Transaction declined (13666)").
    const note = page.getByTestId('op-note').first();
    await expect(note).toContainText('رُفضت المعاملة');
    await expect(note).toContainText('13666');
    await expect(note).toHaveAttribute('title', 'Transaction declined');
    expect(await englishWordsIn(page.locator('.timeline'))).toEqual([]);
    // The line's quantity in the user's digits.
    await expect(page.locator('.items')).toContainText('١');
    await shot(page, 'ar-transaction-declined');
  });

  await test.step('a refusal the core throws, in Arabic with the user’s digits', async () => {
    // A capture of a declined payment, asked anyway: the envelope carries the key and the English.
    const list = await apiOk<{ rows: { id: string }[] }>(page, 'payments.list', {});
    const refused = await page.evaluate(async (paymentId) => {
      const secret = sessionStorage.getItem('pos.web.secret') ?? '';
      const session = sessionStorage.getItem('pos.web.session') ?? '';
      const res = await fetch('/api/call/payments.capture', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': secret, 'X-Pos-Session': session }, body: JSON.stringify({ paymentId, amount: 100 }) });
      return (await res.json()) as { ok: boolean; error?: { code: string; message: string; text?: { key: string } } };
    }, list.rows[0]!.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: 'The gateway has not approved this payment yet.', text: { key: 'rule.notApprovedYet' } } });
  });
});
