import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { apiOk, expect, NAMES, PINS, shot, stationSpeaks, test, type WebApp } from './fixtures';
import { CARDS } from './desk';
import { report, scan, type Finding } from './axe';

/**
 * Issue 17, right to left (docs/rtl.md): every main screen in Arabic mirrors by itself (CSS logical
 * properties), and reads as well as in English. Each screen, in both directions: where things
 * stand (the side navigation on the start side, the order's columns swapped, table columns and
 * dialog buttons reversed, the direction glyphs turned and the others not), an axe scan with no
 * serious or critical violation, and in RTL a screenshot docs/screenshots/rtl-<screen>.png.
 *
 * The words change language while this runs green: nothing here looks for an English name. It
 * moves by keyboard shortcuts, ids, classes and the data it typed.
 *
 * RTL_CSS_BEFORE / RTL_CSS_AFTER (files of concatenated renderer CSS): on each LTR screen, also
 * renders it with each and reports the pixels that differ (the "English stays pixel-equivalent"
 * measurement, docs/rtl.md).
 */

type Dir = 'ltr' | 'rtl';

const CUSTOMER = { name: 'ليلى الأحمد', phone: '+965 2222 3333', email: 'layla.ahmad@example.com' };

/** The element's box on the page (fails when it is not drawn). */
async function box(l: Locator) {
  const b = await l.boundingBox();
  if (!b) throw new Error(`no box for ${l.toString()}`);
  return b;
}

/** `a` lies on the start side of `b`: left of it in LTR, right of it in RTL. */
async function expectStartOf(dir: Dir, a: Locator, b: Locator, what: string) {
  const [ba, bb] = [await box(a), await box(b)];
  const ca = ba.x + ba.width / 2;
  const cb = bb.x + bb.width / 2;
  if (dir === 'ltr') expect(ca, what).toBeLessThan(cb);
  else expect(ca, what).toBeGreaterThan(cb);
}

async function css(l: Locator, prop: string): Promise<string> {
  return l.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);
}

const MIRRORED = 'matrix(-1, 0, 0, 1, 0, 0)';

interface Walk {
  dir: Dir;
  findings: Finding[];
  diffs: string[];
}

/** One screen: the document's direction, the axe scan, the RTL screenshot, the CSS comparison. */
async function look(page: Page, w: Walk, name: string) {
  await expect(page.locator('html')).toHaveAttribute('dir', w.dir);
  await page.evaluate(() => document.fonts?.ready);
  if (w.dir === 'rtl') await shot(page, `rtl-${name}`);
  else await compareCss(page, w, name);
  await scan(page, `${w.dir} ${name}`, w.findings);
}

/** The same DOM drawn with the CSS before and after the conversion: which pixels differ. */
async function compareCss(page: Page, w: Walk, name: string) {
  const before = process.env.RTL_CSS_BEFORE;
  const after = process.env.RTL_CSS_AFTER;
  if (!before || !after) return;
  const take = async (file: string) => {
    await page.evaluate((text) => {
      for (const s of [...document.styleSheets]) s.disabled = true;
      let el = document.getElementById('css-compare');
      if (!el) {
        el = document.createElement('style');
        el.id = 'css-compare';
        document.head.append(el);
      }
      el.textContent = text;
    }, readFileSync(file, 'utf8'));
    await page.waitForTimeout(50);
    return page.screenshot({ animations: 'disabled', caret: 'hide' });
  };
  await take(before); // the first draw after a change of stylesheet may differ by an anti-aliased pixel or two
  const a = await take(before);
  const b = await take(after);
  await page.evaluate(() => {
    document.getElementById('css-compare')?.remove();
    for (const s of [...document.styleSheets]) s.disabled = false;
  });
  if (a.equals(b)) return;
  const differing = await page.evaluate(
    async ([x, y]) => {
      let width = 0;
      const load = async (b64: string) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const g = c.getContext('2d')!;
        g.drawImage(img, 0, 0);
        width = img.width;
        return g.getImageData(0, 0, img.width, img.height).data;
      };
      const [p, q] = [await load(x!), await load(y!)];
      const at: string[] = [];
      for (let i = 0; i < p.length; i += 4) if (p[i] !== q[i] || p[i + 1] !== q[i + 1] || p[i + 2] !== q[i + 2]) at.push(`${(i / 4) % width},${Math.floor(i / 4 / width)}`);
      return at;
    },
    [a.toString('base64'), b.toString('base64')],
  );
  if (differing.length > 0) w.diffs.push(`${name}: ${differing.length} pixels differ, at ${differing.slice(0, 5).join(' ')}`);
}

async function setupInDirection(page: Page, web: WebApp, w: Walk) {
  await page.addInitScript((lang) => {
    if (window === window.top) localStorage.setItem('pos.language', JSON.stringify({ lang, digits: 'latn' }));
  }, w.dir === 'rtl' ? 'ar' : 'en');
  await page.goto(web.url);
  await expect(page.locator('#setup-title')).toBeVisible();
  // Before anyone signed in, a fresh station speaks its default language (English); an Arabic desk
  // is set up, then its admin makes Arabic the station's language (below).
  if (w.dir === 'ltr') {
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await look(page, w, 'setup');
  }
  const fields = page.locator('form[aria-labelledby="setup-title"] input:not([type="radio"])');
  await fields.nth(0).fill(NAMES.admin);
  await fields.nth(1).fill(PINS.admin);
  await fields.nth(2).fill(PINS.admin);
  await page.keyboard.press('Enter');
  await expect(page.locator('nav.sidenav')).toBeVisible();
  await apiOk(page, 'users.create', { name: NAMES.clerk, role: 'clerk', pin: PINS.clerk });
  await apiOk(page, 'users.create', { name: NAMES.supervisor, role: 'supervisor', pin: PINS.supervisor });
  if (w.dir === 'rtl') await stationSpeaks(page, 'ar-KW');
}

/** The top bar's "Switch user" (the third ghost button: Language, Change PIN, Switch user). */
async function signInAs(page: Page, name: string, pin: string) {
  await page.locator('.topbar-user .btn-ghost').nth(2).click();
  await expect(page.locator('#login-title')).toBeVisible();
  await page.locator('.user-pick', { hasText: name }).click();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await expect(page.locator('.user-name')).toHaveText(name);
}

for (const dir of ['rtl', 'ltr'] as const) {
  test(`${dir}: every main screen mirrors (or not), and axe finds nothing serious`, async ({ page, web }) => {
    test.setTimeout(420_000);
    const w: Walk = { dir, findings: [], diffs: [] };
    await setupInDirection(page, web, w);

    await test.step('sign-in, a wrong PIN, the desk', async () => {
      await page.locator('.topbar-user .btn-ghost').nth(2).click();
      await expect(page.locator('#login-title')).toBeVisible();
      await look(page, w, 'sign-in');
      await page.locator('.user-pick', { hasText: NAMES.clerk }).click();
      await expect(page.locator('#pin-input')).toBeFocused();
      // The PIN pad is a keypad: 1 2 3 left to right in both directions.
      const keys = page.locator('.pinpad-key');
      expect((await box(keys.nth(0))).x, 'keypad: 1 left of 3').toBeLessThan((await box(keys.nth(2))).x);
      await page.keyboard.type('999999');
      await page.keyboard.press('Enter');
      await expect(page.locator('#pin-error')).toBeVisible();
      await look(page, w, 'sign-in-wrong-pin');
      await page.keyboard.type(PINS.clerk);
      await page.keyboard.press('Enter');
      await expect(page.locator('.user-name')).toHaveText(NAMES.clerk);

      // The shell: navigation on the start side of the screen, the brand before the user, the
      // navigation's words before their key caps, its active bar on the start edge.
      await expectStartOf(dir, page.locator('nav.sidenav'), page.locator('main, .screen').first(), 'side navigation on the start side');
      await expectStartOf(dir, page.locator('.topbar-brand'), page.locator('.topbar-user'), 'top bar: station before the user');
      const active = page.locator('.nav-item.active');
      await expectStartOf(dir, active.locator('.nav-label'), active.locator('.kbd-group'), 'nav item: label before its key');
      expect(await css(active, 'box-shadow'), 'active bar on the start edge').toMatch(dir === 'rtl' ? /\) -3px 0px 0px 0px inset$/ : /\) 3px 0px 0px 0px inset$/);
      expect(await css(page.locator('nav.sidenav'), dir === 'rtl' ? 'border-left-width' : 'border-right-width'), 'nav border between it and the screen').toBe('1px');
      // The SANDBOX band: its word's gap is on its end side.
      expect(await css(page.locator('.sandbox-banner strong'), dir === 'rtl' ? 'margin-left' : 'margin-right')).toBe('8px');
    });

    await test.step('new order: an Arabic name, phone and email, lines, the gateway card page, charge', async () => {
      await page.keyboard.press('F2');
      await expect(page.locator('.order-grid')).toBeVisible();
      await expectStartOf(dir, page.locator('.order-main'), page.locator('.order-side'), 'order: the lines before the payment column');
      await page.locator('#order-first-field').fill(CUSTOMER.name);
      await page.locator('.combo-none .link').click();
      await page.locator('input[type="tel"]').fill(CUSTOMER.phone);
      await page.locator('input[type="email"]').fill(CUSTOMER.email);
      // A name takes the direction of its own script; a phone number and an email are always LTR.
      expect(await css(page.locator('.grid-customer input').first(), 'direction')).toBe('rtl');
      expect(await css(page.locator('input[type="tel"]'), 'direction')).toBe('ltr');
      expect(await css(page.locator('input[type="email"]'), 'direction')).toBe('ltr');
      await page.locator('#line-0-description').fill('مصباح مكتب');
      await page.locator('#line-0-quantity').fill('2');
      await page.locator('#line-0-unitPrice').fill('21.25');
      await page.locator('#line-0-taxRate').fill('0');
      expect(await css(page.locator('#line-0-unitPrice'), 'direction'), 'amounts typed LTR').toBe('ltr');
      await expectStartOf(dir, page.locator('#line-0-description'), page.locator('#line-0-quantity'), 'lines: description column first');
      await expectStartOf(dir, page.locator('#line-0-quantity'), page.locator('#line-0-unitPrice'), 'lines: quantity before price');
      expect(await css(page.locator('.lines th').first(), 'text-align')).toBe('start');
      await page.locator('input[name="pay-method"][value="new_card"]').check();
      const frame = page.frameLocator('iframe[data-testid="hosted-frame"]');
      await expect(frame.getByTestId('card_number')).toBeVisible({ timeout: 30_000 });
      // The gateway's page keeps the direction it sets itself (a frame does not inherit ours).
      const own = await frame.locator('html').evaluate((el) => ({ attr: el.getAttribute('dir'), used: getComputedStyle(el).direction }));
      expect(own.used).toBe(own.attr === 'rtl' ? 'rtl' : 'ltr');
      await look(page, w, 'new-order-card-page');
      await frame.getByTestId('card_number').fill(CARDS.visa.number);
      await frame.getByTestId('expiry_date').fill('12/30');
      await frame.getByTestId('card_security_code').fill(CARDS.visa.cvv);
      await frame.getByTestId('card_holder_name').fill('Layla Ahmad');
      await frame.getByTestId('submit-card').click();
      await expect(page.locator('.new-card .alert-success')).toBeVisible({ timeout: 30_000 });
      await look(page, w, 'new-order-card-ready');
      await page.keyboard.press('Control+Enter');
      const result = page.getByTestId('charge-result');
      await expect(result).toHaveAttribute('data-outcome', 'approved', { timeout: 60_000 });
      await look(page, w, 'charge-approved');
    });

    await test.step('customers: search, results, a customer', async () => {
      await page.keyboard.press('F3');
      await expect(page.locator('#customer-search')).toBeFocused();
      await look(page, w, 'customers');
      await page.keyboard.type('ليلى');
      await expect(page.locator('.result-row').first()).toContainText(CUSTOMER.name);
      expect(await css(page.locator('#customer-search'), 'direction'), 'the search box follows what is typed').toBe('rtl');
      await expectStartOf(dir, page.locator('.result-row .result-main').first(), page.locator('.result-row .result-why').first(), 'result: the name first, why it matched last');
      await look(page, w, 'customers-results');
      await page.keyboard.press('Enter');
      await expect(page.locator('.customer-detail h1')).toHaveText(CUSTOMER.name);
      const back = page.locator('.customer-detail .screen-head .dir-glyph');
      expect(await css(back, 'transform'), 'the back arrow points to the start side').toBe(dir === 'rtl' ? MIRRORED : 'none');
      await expectStartOf(dir, back, page.locator('.customer-detail h1'), 'back before the title');
      await look(page, w, 'customer-detail');
    });

    await test.step('transactions, a transaction, a refund with a supervisor PIN', async () => {
      await page.keyboard.press('F4');
      await expect(page.locator('.tx-space .tx-row')).toHaveCount(1);
      const row = page.locator('.tx-space .tx-row').first();
      await expectStartOf(dir, row.locator('> *').first(), row.locator('> *').last(), 'transactions: first column on the start side');
      await look(page, w, 'transactions');
      await page.locator('#tx-list').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect(page.locator('.detail-screen h1')).toBeVisible();
      // ✓ (captured) is not a direction: never turned.
      expect(await css(page.locator('.detail-screen .badge[data-status="captured"] .badge-glyph'), 'transform')).toBe('none');
      expect(await css(page.locator('.detail-screen .screen-head .dir-glyph'), 'transform')).toBe(dir === 'rtl' ? MIRRORED : 'none');
      await look(page, w, 'transaction-detail');
      await page.keyboard.press('r');
      const form = page.locator('form.action-form');
      await expect(form).toBeVisible();
      await form.locator('input.num').fill('5');
      await form.locator('input.input-lg:not(.num)').fill('مرتجع');
      await form.locator('select').selectOption((await form.locator('option', { hasText: NAMES.supervisor }).getAttribute('value')));
      await form.locator('input[type="password"]').fill(PINS.supervisor);
      await look(page, w, 'refund-form');
      await page.keyboard.press('Enter');
      await expect(page.locator('.detail-screen .badge[data-status="partially_refunded"]')).toBeVisible({ timeout: 60_000 });
      // ↶ (refunded, "back") turns round in RTL.
      expect(await css(page.locator('.detail-screen .badge[data-status="partially_refunded"] .badge-glyph'), 'transform')).toBe(dir === 'rtl' ? MIRRORED : 'none');
      await look(page, w, 'transaction-refunded');
    });

    await test.step('queue, recurring (and its dialog), end of day', async () => {
      await page.keyboard.press('Alt+Q');
      await expect(page.locator('#queue-title')).toBeVisible();
      await look(page, w, 'queue');
      const c = await apiOk<{ hits: { customer: { id: string } }[] }>(page, 'customers.search', { query: 'layla.ahmad' });
      const detail = await apiOk<{ cards: { id: string }[] }>(page, 'customers.get', { id: c.hits[0]!.customer.id });
      await apiOk(page, 'recurring.create', { customerId: c.hits[0]!.customer.id, cardId: detail.cards[0]!.id, amount: 1500, currency: 'USD', frequency: 'monthly', startAt: null, endAt: null, count: 12, description: 'اشتراك المصابيح' });
      await page.keyboard.press('Alt+R');
      await expect(page.locator('#recurring-title')).toBeVisible();
      await expect(page.locator('.recurring-table tbody tr')).toHaveCount(1);
      const cells = page.locator('.recurring-table tbody tr').first().locator('td');
      await expectStartOf(dir, cells.first(), cells.last(), 'recurring: first column on the start side');
      await look(page, w, 'recurring');
      await page.keyboard.press('Alt+U');
      const dialog = page.locator('dialog[open]');
      await expect(dialog).toBeVisible();
      // Dialog buttons sit at the end; the first in the DOM (Cancel) is nearer the start.
      const buttons = dialog.locator('.dialog-actions .btn');
      await expectStartOf(dir, buttons.first(), buttons.last(), 'dialog: the buttons in reading order');
      await look(page, w, 'recurring-new');
      await page.keyboard.press('Escape');
      await expect(dialog).toHaveCount(0);
      await page.keyboard.press('Alt+E');
      await expect(page.locator('#eod-date')).toBeVisible();
      // Previous day on the start side of the date, next day after it (‹ › mirror by Unicode).
      const row = page.locator('.eod-day-row');
      await expectStartOf(dir, row.locator('.btn').first(), page.locator('#eod-date'), 'end of day: previous day first');
      await look(page, w, 'end-of-day');
    });

    await test.step('lock', async () => {
      await page.keyboard.press('Alt+L');
      await expect(page.locator('#lock-title')).toBeVisible();
      await look(page, w, 'lock');
      await page.keyboard.type(PINS.clerk);
      await page.keyboard.press('Enter');
      await expect(page.locator('#lock-title')).toHaveCount(0);
    });

    await test.step('audit (supervisor), settings and Change my PIN (admin)', async () => {
      await signInAs(page, NAMES.supervisor, PINS.supervisor);
      await page.keyboard.press('Alt+G');
      await expect(page.locator('#audit-title')).toBeVisible();
      await expect(page.locator('#audit-entries tbody tr[data-seq]').first()).toBeVisible();
      const head = page.locator('#audit-entries thead th');
      await expectStartOf(dir, head.first(), head.last(), 'audit: sequence column on the start side');
      expect(await css(head.first(), dir === 'rtl' ? 'border-top-right-radius' : 'border-top-left-radius'), 'rounded corner on the start side').not.toBe('0px');
      await look(page, w, 'audit');
      await signInAs(page, NAMES.admin, PINS.admin);
      await page.keyboard.press('Alt+S');
      await expect(page.locator('#settings-title')).toBeVisible();
      await look(page, w, 'settings');
      await page.locator('.topbar-user .btn-ghost').nth(1).click();
      await expect(page.locator('#change-pin-title')).toBeVisible();
      const buttons = page.locator('dialog[open] .dialog-actions .btn');
      await expectStartOf(dir, buttons.first(), buttons.last(), 'Change PIN: the buttons in reading order');
      await look(page, w, 'change-pin');
      await page.keyboard.press('Escape');
    });

    expect(report(w.findings), 'axe violations').toBe('');
    expect(w.diffs, 'LTR pixels that differ between the CSS before and after').toEqual([]);
  });
}
