import { apiOk, expect, NAMES, PINS, setupStation, shot, test } from './fixtures';

/**
 * Issue #17: each person works in their own language and digits, switched without a restart; the
 * sign-in screen keeps the last one; the gateway's card page opens in that language.
 */
test('a clerk who works in Arabic: right to left, Arabic words, KWD with three decimals in both digit settings', async ({ page, web }) => {
  const html = page.locator('html');

  await test.step('station in KWD; the clerk picks Arabic from the top bar, by keyboard', async () => {
    await setupStation(page, web);
    await apiOk(page, 'settings.update', { currency: 'KWD' });
    await apiOk(page, 'users.create', { name: 'فاطمة الكندري', role: 'clerk', pin: '864213' });
    await page.getByRole('button', { name: 'Switch user' }).click();
    await page.getByRole('button', { name: /فاطمة الكندري/ }).click();
    await page.keyboard.type('864213');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(html).toHaveAttribute('dir', 'ltr');

    await page.getByRole('button', { name: 'Language' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Language and digits' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Language', { exact: true }).selectOption('ar');
    await page.keyboard.press('Control+Enter');
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(html).toHaveAttribute('lang', 'ar');
    await expect(page.getByRole('heading', { name: 'طلب جديد' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'القائمة الرئيسية' })).toBeVisible();
  });

  await test.step('another person signs in: their own language (the station\'s English); the sign-in screen keeps the last one', async () => {
    await page.getByRole('button', { name: 'تبديل المستخدم' }).click();
    await expect(page.getByRole('heading', { name: 'تسجيل الدخول' })).toBeVisible();
    await expect(html).toHaveAttribute('dir', 'rtl');
    await shot(page, 'user-language-sign-in');
    await page.getByRole('button', { name: new RegExp(NAMES.admin) }).click();
    await page.keyboard.type(PINS.admin);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'New order' })).toBeVisible();
    await expect(html).toHaveAttribute('dir', 'ltr');
  });

  await test.step('she signs in again: Arabic at once, from her own setting', async () => {
    await page.getByRole('button', { name: 'Switch user' }).click();
    await page.getByRole('button', { name: /فاطمة الكندري/ }).click();
    await page.keyboard.type('864213');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'طلب جديد' })).toBeVisible();
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('.user-name')).toHaveText('فاطمة الكندري');
  });

  await test.step('an order in KWD: three decimals, Latin digits', async () => {
    await page.getByRole('button', { name: 'عميل جديد' }).click();
    await page.getByRole('textbox', { name: 'الاسم', exact: true }).fill('عبدالله المطيري');
    await page.getByLabel('وصف السطر 1').fill('قهوة عربية');
    await page.getByLabel('كمية السطر 1').fill('2');
    // Typed with Arabic-Indic digits and the Arabic decimal separator: read as 1.250.
    await page.getByLabel(/^سعر الوحدة في السطر 1/).fill('١٫٢٥٠');
    await page.getByLabel('نسبة الضريبة في السطر 1').fill('0');
    await expect(page.getByTestId('total')).toContainText('2.500');
    await expect(page.getByTestId('total')).toContainText('KWD');
    await page.getByRole('radio', { name: 'بطاقة جديدة' }).check();
    const frame = page.frameLocator('iframe[data-testid="hosted-frame"]');
    await expect(frame.getByText('رقم البطاقة')).toBeVisible({ timeout: 30_000 });
    await expect(frame.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('#charge-button')).toContainText('خصم');
    await expect(page.locator('#charge-button')).toContainText('2.500');
    await shot(page, 'user-language-new-order-latin-digits');
  });

  await test.step('Arabic-Indic digits: the same amounts, switched without a restart', async () => {
    await page.getByRole('button', { name: 'اللغة' }).click();
    const dialog = page.getByRole('dialog', { name: 'اللغة والأرقام' });
    await dialog.getByLabel('الأرقام').selectOption('arab');
    await shot(page, 'user-language-language-dialog');
    await dialog.getByRole('button', { name: /استخدام هذه الإعدادات/ }).click();
    await expect(html).toHaveAttribute('data-digits', 'arab');
    await expect(page.getByTestId('total')).toContainText('٢٫٥٠٠');
    await expect(page.getByTestId('total')).toContainText('KWD');
    await expect(page.locator('#charge-button')).toContainText('٢٫٥٠٠');
    await shot(page, 'user-language-new-order-arabic-digits');
    // Kept for her next sign-in.
    const status = await apiOk<{ user: { language: string; digits: string } }>(page, 'session.status');
    expect(status.user).toMatchObject({ language: 'ar', digits: 'arab' });
  });

  await test.step('"/" finds a customer with an Arabic keyboard layout (the key types ظ)', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ظ', code: 'Slash', bubbles: true, cancelable: true }));
    });
    await expect(page.locator('#customer-search')).toBeFocused();
    await expect(page.getByRole('heading', { name: 'العملاء' })).toBeVisible();
  });
});
