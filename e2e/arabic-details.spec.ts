import { VirtualPrinter } from '../electron/core/printing/virtual-printer';
import { apiOk, expect, NAMES, personSpeaks, PINS, shot, switchUser, test } from './fixtures';

/**
 * Issue #17, the last English on Arabic screens: a technical detail inside a sentence (the
 * printer's socket error) and the bulk preview's row checks now come from the catalogue; the
 * printer panel's introduction names USB too (#20), its device path isolated left to right.
 */

const LATIN_WORDS = /\b(connect|refused|connection|No such payment|station)\b/i;

test('Arabic: the printer\'s socket error and the bulk preview\'s refusals are Arabic sentences; the printer panel names USB', async ({ desk: page }) => {
  test.setTimeout(180_000);
  const printer = new VirtualPrinter();
  const port = await printer.start();
  await printer.stop();
  await switchUser(page, NAMES.admin, PINS.admin);
  await apiOk(page, 'printing.configure', { enabled: true, connection: 'network', device: '', host: '127.0.0.1', port, width: '80mm', drawer: false, autoPrint: true });
  await personSpeaks(page, 'ar');

  await page.keyboard.press('Alt+S');
  const panel = page.getByRole('region', { name: 'طابعة الإيصالات في هذا المكتب' });
  await expect(panel).toBeVisible();
  const intro = panel.locator('p.field-hint').first();
  await expect(intro).toContainText('USB');
  await expect(intro).toContainText('/dev/usb/lp0');
  // Laid out left to right inside the Arabic sentence: the leading "/" is drawn left of "lp0".
  const [slashX, zeroX] = await intro.evaluate((p) => {
    const node = [...p.childNodes].find((n) => n.textContent?.includes('/dev/usb/lp0'))!;
    const at = node.textContent!.indexOf('/dev/usb/lp0');
    const x = (i: number) => {
      const r = document.createRange();
      r.setStart(node, i);
      r.setEnd(node, i + 1);
      return r.getBoundingClientRect().left;
    };
    return [x(at), x(at + '/dev/usb/lp'.length)];
  });
  expect(slashX).toBeLessThan(zeroX);
  await panel.getByRole('button', { name: 'طباعة تجريبية' }).click();
  const result = panel.getByTestId('printer-result');
  await expect(result).toHaveAttribute('data-problem', 'refused', { timeout: 20_000 });
  await expect(result).toContainText('رُفض الاتصال');
  await expect(result).toContainText(`ECONNREFUSED 127.0.0.1:${port}`);
  expect((await result.textContent())!.replace(`ECONNREFUSED 127.0.0.1:${port}`, '')).not.toMatch(LATIN_WORDS);
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'printer-settings-ar');

  await page.keyboard.press('Alt+B');
  await expect(page.getByRole('heading', { name: 'تحصيل وإلغاء تفويض واسترداد بالجملة، وتحصيل دوري من البطاقات المحفوظة' })).toBeVisible();
  await page.getByLabel('ملف CSV فيه عمود reference وعمود amount اختياري').fill(['reference,amount', 'NO-SUCH-ORDER,5.00', ',1.00'].join('\n'));
  await page.getByLabel('السبب (يظهر في كل عملية)').fill('شحنات');
  await page.getByRole('button', { name: 'معاينة' }).click();
  const run = page.getByTestId('bulk-run');
  await expect(run).toHaveAttribute('data-state', 'ready');
  const refused = run.locator('tr[data-verdict="refused"]');
  await expect(refused).toHaveCount(2);
  await expect(refused.first()).toContainText('لا توجد دفعة بهذا المرجع في هذه المحطة.');
  await expect(refused.last()).toContainText('لا يوجد مرجع.');
  for (const text of await refused.allTextContents()) expect(text.replace('NO-SUCH-ORDER', '')).not.toMatch(LATIN_WORDS);
  await shot(page, 'bulk-preview-ar');
});
