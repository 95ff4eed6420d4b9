import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, NAMES, PINS, setupStation, shot, stationSpeaks, test } from './fixtures';

/** axe on the Arabic screen: no serious or critical violation (as e2e/a11y.spec.ts in English). */
async function expectAccessible(page: Page, what: string) {
  await page.evaluate(() => document.fonts?.ready);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, what).toEqual([]);
}

// Issue 17: Settings (the station form, People and the gateway accounts) in Arabic, right to left.
// The language is the one the station last used ('pos.language', renderer/i18n bootLanguage).

test('Settings in Arabic: station, people and gateway, right to left', async ({ page, web }) => {
  test.setTimeout(120_000);
  await setupStation(page, web);
  await stationSpeaks(page, 'ar-KW');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.keyboard.press('Alt+S');
  await expect(page.getByRole('heading', { name: 'الإعدادات', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'نقطة البيع والتاجر' })).toBeVisible();

  // What the form refuses, said in Arabic.
  await page.getByLabel('القفل بعد عدم النشاط (بالدقائق)').fill('40');
  await page.getByLabel('اقبلها، وتبقى في الانتظار حتى يوافق البنك', { exact: false }).check();
  await page.getByLabel('أكبر خصم (USD)').fill('1.2345');
  await page.getByRole('button', { name: 'حفظ الإعدادات' }).click();
  await expect(page.getByText('بين 1 و15 دقيقة')).toBeVisible();
  await expect(page.getByText('USD: 2 منازل عشرية على الأكثر')).toBeVisible();
  await page.getByRole('heading', { name: 'نقطة البيع والتاجر' }).scrollIntoViewIfNeeded();
  await shot(page, 'settings-ar');
  await expectAccessible(page, 'settings in Arabic');

  const people = page.getByRole('region', { name: 'المستخدمون' });
  await expect(people.getByRole('cell', { name: NAMES.supervisor, exact: true })).toBeVisible();
  await expect(people.getByRole('cell', { name: 'مشرف', exact: true })).toBeVisible();
  await people.getByRole('button', { name: `تعديل ${NAMES.clerk}` }).click();
  const dialog = page.getByRole('dialog', { name: `تعديل ${NAMES.clerk}` });
  await expect(dialog.getByRole('combobox', { name: 'الدور' })).toHaveValue('clerk');
  await dialog.getByRole('textbox', { name: 'الاسم' }).fill('سارة الأحمد');
  await dialog.getByRole('button', { name: 'حفظ' }).click();
  await expect(people.getByRole('status')).toContainText('تم حفظ سارة الأحمد: موظف.');
  await people.getByRole('button', { name: 'إيقاف سارة الأحمد' }).click();
  const confirm = page.getByRole('dialog', { name: 'إيقاف سارة الأحمد؟' });
  await expect(confirm).toContainText('ويمكنك إعادة تفعيله لاحقًا');
  await people.scrollIntoViewIfNeeded();
  await shot(page, 'settings-people-ar');
  await page.keyboard.press('Escape'); // the dialog's own buttons are ui/ConfirmDialog's
  await expect(confirm).toHaveCount(0);

  const gateway = page.getByRole('region', { name: 'بوابة الدفع', exact: true });
  await expect(gateway.getByTestId('gateway-now')).toContainText('البيئة التجريبية المدمجة');
  await gateway.getByRole('radio', { name: /بيئة اختبار APS/ }).check();
  const form = gateway.getByRole('form', { name: 'حساب بيئة اختبار APS' });
  await form.getByLabel('معرّف التاجر').fill('bad id!');
  await form.getByLabel('العملات التي يقبلها الحساب').fill('USD');
  await form.getByRole('button', { name: 'حفظ حساب الاختبار' }).click();
  await expect(form.getByText('أحرف وأرقام لاتينية فقط، 20 على الأكثر (كما في لوحة تحكم APS)')).toBeVisible();
  await expect(form.getByLabel('معرّف التاجر')).toHaveAttribute('aria-invalid', 'true');
  await gateway.scrollIntoViewIfNeeded();
  await shot(page, 'settings-gateway-ar');
  await expectAccessible(page, 'gateway account in Arabic');

  // Change my PIN (the top bar's button), with the core's refusals in Arabic.
  await page.getByRole('button', { name: 'تغيير الرقم السري' }).click();
  const pin = page.getByRole('dialog', { name: 'تغيير رقمي السري' });
  await pin.getByLabel('الرقم السري الحالي').fill('000000');
  await pin.getByLabel('الرقم السري الجديد (6 أرقام أو أكثر)').fill('123');
  await pin.getByLabel('أعد إدخال الرقم السري الجديد').fill('123');
  await pin.getByRole('button', { name: 'حفظ الرقم السري الجديد' }).click();
  await expect(pin.getByText('6 أرقام أو أحرف على الأقل')).toBeVisible();
  await pin.getByLabel('الرقم السري الجديد (6 أرقام أو أكثر)').fill(PINS.admin);
  await pin.getByLabel('أعد إدخال الرقم السري الجديد').fill(PINS.admin);
  await pin.getByLabel('الرقم السري الحالي').fill(PINS.admin);
  await pin.getByRole('button', { name: 'حفظ الرقم السري الجديد' }).click();
  await expect(pin.getByText('اختر رقمًا سريًا مختلفًا عن الرقم الحالي')).toBeVisible();
  await shot(page, 'change-pin-ar');
});
