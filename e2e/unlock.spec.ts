/**
 * The Electron unlock window's page (renderer/unlock.html), in Chromium without Electron: the page
 * is served by the real app:// request handler (same files, same CSP) under https://pos.test, and
 * `window.unlock` is stubbed exactly as the unlock preload builds it, except that its calls go to
 * the real main-side handlers (registerUnlockIpc → createUnlockController → passphraseRequest over
 * a real key.json in a temporary ledger directory) through page.exposeFunction.
 *
 * Uses the built renderer (dist/renderer, built by the global setup); E2E_RENDERER_DIST points it
 * at another build.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { PassphraseKeyProtector } from '../electron/core/db/key-protector';
import type { ReleasableKeyProtector } from '../electron/main/passphrase';
import { passphraseRequest } from '../electron/main/passphrase';
import { createAppRequestHandler, UNLOCK_CSP } from '../electron/main/protocol';
import { createUnlockController, registerUnlockIpc } from '../electron/main/unlock';
import { UNLOCK_CHANNELS } from '../shared/unlock/api';
import { expect, shot, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(process.env.E2E_RENDERER_DIST ?? join(ROOT, 'dist/renderer'));
const ORIGIN = 'https://pos.test'; // secure, like app:// (registered secure)
const RIGHT = 'correct horse battery staple';

// The unlock window's size (electron/main/window.ts buildUnlockWindowOptions).
test.use({ viewport: { width: 520, height: 680 } });

interface Harness {
  dir: string;
  /** Main's clock for the retry delay; the page's is page.clock. */
  advance(ms: number): void;
  unlocked(): ReleasableKeyProtector | null;
  calls: string[];
  problems: string[];
}

/** Serves dist/renderer through the app:// handler, wires window.unlock to the real main side. */
async function openUnlockPage(page: Page, mode: 'create' | 'unlock', locale?: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-unlock-e2e-'));
  if (mode === 'unlock') {
    const wrapped = await new PassphraseKeyProtector(RIGHT).wrap(randomBytes(32));
    writeFileSync(join(dir, 'key.json'), JSON.stringify(wrapped), { mode: 0o600 });
  }
  let clock = Date.now();
  let unlocked: ReleasableKeyProtector | null = null;
  const controller = createUnlockController(passphraseRequest(dir, 'insecure-backend'), {
    now: () => clock,
    onUnlocked: (p) => (unlocked = p),
  });
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const mainFrame = { parent: null, frameTreeNodeId: 1, origin: 'app://pos', url: 'app://pos/unlock.html' };
  const contents = { id: 1, mainFrame, isDestroyed: () => false };
  const window = { webContents: contents, isDestroyed: () => false };
  registerUnlockIpc({
    ipcMain: { handle: (c, fn) => void handlers.set(c, fn as never), removeHandler: (c) => void handlers.delete(c) },
    getWindow: () => window as never,
    controller,
  });
  const calls: string[] = [];
  await page.exposeFunction('__unlockInvoke', (channel: string, input: unknown) => {
    calls.push(channel);
    return handlers.get(channel)!({ sender: contents, senderFrame: mainFrame }, input);
  });
  // What electron/preload/unlock-preload.ts exposes, with ipcRenderer.invoke replaced.
  await page.addInitScript(({ ch, locale }) => {
    const invoke = (window as unknown as { __unlockInvoke(c: string, i?: unknown): Promise<unknown> }).__unlockInvoke;
    Object.defineProperty(window, 'unlock', {
      value: Object.freeze({
        // The station's locale, as the preload reads it from the argv main gave the window.
        ...(locale ? { locale } : {}),
        state: () => invoke(ch.state),
        unlock: (passphrase: string) => invoke(ch.unlock, { passphrase }),
        create: (passphrase: string, confirm: string) => invoke(ch.create, { passphrase, confirm }),
      }),
    });
  }, { ch: UNLOCK_CHANNELS, locale });

  const appHandler = createAppRequestHandler({ root: DIST, getGatewayOrigin: () => 'https://gateway.invalid' });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const res = await appHandler(new Request(route.request().url().replace(ORIGIN, 'app://pos'), { method: route.request().method() }));
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return {
    dir,
    advance: (ms) => void (clock += ms),
    unlocked: () => unlocked,
    calls,
    problems,
  };
}

async function expectNothingKept(page: Page): Promise<void> {
  const kept = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    idb: (await indexedDB.databases()).length,
    fields: [...document.querySelectorAll('input')].map((i) => i.value).join(''),
  }));
  expect(kept).toEqual({ local: 0, session: 0, cookie: '', idb: 0, fields: '' });
}

test('first run: explains why, asks for a passphrase twice, refuses a mismatch, then creates', async ({ page }) => {
  const h = await openUnlockPage(page, 'create');
  try {
    const res = await page.goto(`${ORIGIN}/unlock.html`);
    expect(res?.headers()['content-security-policy']).toBe(UNLOCK_CSP);
    await expect(page.getByRole('heading', { name: "Protect this station's ledger" })).toBeVisible();
    await expect(page.getByText(/no system keyring \(such as GNOME Keyring or KWallet\)/)).toBeVisible();
    await expect(page.getByText(/nobody can recover a forgotten passphrase/)).toBeVisible();
    const first = page.getByLabel('Choose a passphrase (8 or more characters)');
    const again = page.getByLabel('Repeat the passphrase');
    await expect(first).toBeFocused();
    await expect(first).toHaveAttribute('type', 'password');
    await shot(page, 'unlock-first-run');

    // Too short: said at once, nothing sent.
    await page.keyboard.type('short');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Choose at least 8 characters.')).toBeVisible();
    await expect(first).toHaveAttribute('aria-invalid', 'true');
    expect(h.calls).toEqual([UNLOCK_CHANNELS.state]);

    // Different confirmation: both fields emptied, back to the first.
    await first.fill(RIGHT);
    await again.fill(`${RIGHT}!`);
    await page.keyboard.press('Enter');
    await expect(page.getByText('The two passphrases differ. Type them again.')).toBeVisible();
    await expect(first).toBeFocused();
    await expect(first).toHaveValue('');
    await expect(again).toHaveValue('');

    // Main refuses a mismatch too, whatever the page does.
    const direct = await page.evaluate(() => (window as unknown as { unlock: { create(a: string, b: string): Promise<unknown> } }).unlock.create('abcdefgh1', 'abcdefgh2'));
    expect(direct).toMatchObject({ ok: false, error: { code: 'MISMATCH', field: 'confirm' } });

    await first.fill(RIGHT);
    await again.fill(RIGHT);
    await again.press('Enter');
    await expect(page.getByText('Passphrase set. Creating the ledger and opening the point of sale…')).toBeVisible();
    expect(h.unlocked()?.backend).toBe('passphrase-scrypt');
    await expectNothingKept(page);
    expect(h.problems).toEqual([]);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('later runs: a wrong passphrase is refused and can be retried, with a growing delay; Escape does nothing', async ({ page }) => {
  await page.clock.install();
  const h = await openUnlockPage(page, 'unlock');
  try {
    const keyFile = join(h.dir, 'key.json');
    const before = { text: readFileSync(keyFile, 'utf8'), mtime: statSync(keyFile).mtimeMs };
    await page.goto(`${ORIGIN}/unlock.html`);
    await expect(page.getByRole('heading', { name: 'Unlock the ledger' })).toBeVisible();
    await expect(page.getByText(/protected by a passphrase because the computer had no system keyring/)).toBeVisible();
    const field = page.getByLabel('Passphrase', { exact: true });
    await expect(field).toBeFocused();
    await expect(page.getByLabel('Repeat the passphrase')).toBeHidden();

    // Escape neither clears the field nor leaves the page.
    await page.keyboard.type('not it at all');
    await page.keyboard.press('Escape');
    await expect(field).toHaveValue('not it at all');
    await page.keyboard.press('Enter');
    await expect(page.getByText('That passphrase does not unlock the ledger. Check Caps Lock and the keyboard layout, then try again.')).toBeVisible();
    await expect(field).toHaveValue('');
    await expect(field).toBeFocused();
    await expect(field).toHaveAttribute('aria-invalid', 'true');

    for (const wrong of ['wrong number 2', 'wrong number 3']) {
      await field.fill(wrong);
      await field.press('Enter');
      await expect(field).toHaveValue('');
      await expect(page.getByRole('button', { name: /Unlock/ })).toBeEnabled();
    }
    // The fourth in a row: wait 2 s before the next try (then 4, 8, … up to a minute).
    await field.fill('wrong number 4');
    await field.press('Enter');
    await expect(page.getByText('That passphrase does not unlock the ledger. Wait 2 seconds before the next try.')).toBeVisible();
    const waiting = page.locator('#unlock-submit');
    await expect(waiting).toBeDisabled();
    await expect(waiting).toHaveText(/Wait 2 s/);
    await field.fill('correct horse');
    await shot(page, 'unlock-wrong-passphrase');
    const sent = h.calls.length;
    await field.press('Enter');
    expect(h.calls.length).toBe(sent); // nothing sent while waiting

    // Nothing changed on disk by the wrong attempts.
    expect(readFileSync(keyFile, 'utf8')).toBe(before.text);
    expect(statSync(keyFile).mtimeMs).toBe(before.mtime);
    expect(h.unlocked()).toBeNull();

    h.advance(2_000);
    await page.clock.runFor(2_000);
    await expect(page.getByRole('button', { name: /^Unlock/ })).toBeEnabled();
    await field.fill(RIGHT);
    await field.press('Enter');
    await expect(page.getByText('Unlocked. Opening the point of sale…')).toBeVisible();
    const protector = h.unlocked();
    expect(protector).not.toBeNull();
    const key = await protector!.unwrap(JSON.parse(before.text));
    expect(key).toHaveLength(32);
    await expectNothingKept(page);
    expect(h.problems).toEqual([]);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }
});

test('outside the app (no window.unlock) the page says so and offers nothing', async ({ page }) => {
  const appHandler = createAppRequestHandler({ root: DIST, getGatewayOrigin: () => 'https://gateway.invalid' });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const res = await appHandler(new Request(route.request().url().replace(ORIGIN, 'app://pos')));
    await route.fulfill({ status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) });
  });
  await page.goto(`${ORIGIN}/unlock.html`);
  await expect(page.getByRole('alert')).toContainText('This page only works inside the MOTO Point of Sale app.');
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.getByLabel('Passphrase', { exact: true })).toBeHidden();
});

test("in the station's language: Arabic, right to left, main's refusals said in Arabic", async ({ page }) => {
  const h = await openUnlockPage(page, 'create', 'ar-KW');
  try {
    await page.goto(`${ORIGIN}/unlock.html`);
    await expect(page.getByRole('heading', { name: 'حماية سجل نقطة البيع هذه' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    await expect(page).toHaveTitle('حماية سجل نقطة البيع هذه — نقطة بيع MOTO');
    const first = page.getByLabel('اختر عبارة مرور (8 أحرف أو أكثر)');
    const again = page.getByLabel('أعد كتابة عبارة المرور');
    await expect(first).toBeFocused();
    await expect(page.getByText(/لا أحد يستطيع استعادة عبارة مرور منسية/)).toBeVisible();
    await page.keyboard.type('short');
    await page.keyboard.press('Enter');
    await expect(page.getByText('اختر 8 أحرف على الأقل.')).toBeVisible();
    await shot(page, 'unlock-first-run-ar');
    // Only the Arabic catalogue was fetched: the English one never loads on an Arabic station.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.length).toBe(3); // the page, Vite's import helper, one catalogue
    await first.fill(RIGHT);
    await again.fill(RIGHT);
    await page.keyboard.press('Enter');
    await expect(page.getByText('تم تعيين عبارة المرور. جارٍ إنشاء السجل وفتح نقطة البيع…')).toBeVisible();
    expect(h.problems).toEqual([]);
  } finally {
    rmSync(h.dir, { recursive: true, force: true });
  }

  // A later run, in a fresh window (the harness wires one page once).
  const later = await page.context().newPage();
  const u = await openUnlockPage(later, 'unlock', 'ar-KW');
  try {
    await later.goto(`${ORIGIN}/unlock.html`);
    await expect(later.getByRole('heading', { name: 'فتح السجل' })).toBeVisible();
    await later.getByLabel('عبارة المرور', { exact: true }).fill('not the right passphrase');
    await later.keyboard.press('Enter');
    await expect(later.getByText('عبارة المرور هذه لا تفتح السجل. تحقّق من مفتاح Caps Lock ومن لغة لوحة المفاتيح، ثم حاول مرة أخرى.')).toBeVisible();
    await shot(later, 'unlock-wrong-ar');
  } finally {
    rmSync(u.dir, { recursive: true, force: true });
  }
});
