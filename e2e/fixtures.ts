import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { webModeArgs } from '../scripts/build-web';

export { expect };

const ROOT = resolve(import.meta.dirname, '..');

export interface WebApp {
  /** The app's URL with the per-launch key in the fragment. */
  url: string;
  /** The embedded sandbox gateway's base URL (test controls under /__sandbox). */
  sandboxUrl: string;
  /** The app's origin (scheme://host:port). */
  origin: string;
  logs: () => string;
}

export interface StartWebOptions {
  /** Reuse a data directory (ledger, settings, sandbox/): a restart of the same station. Default: a fresh one. */
  data?: string;
  /** Extra environment, e.g. POS_SANDBOX_UNREACHABLE=1 to start with the gateway down. */
  env?: Record<string, string>;
  /** Another station's sandbox URL (its `sandboxUrl`): both stations on one gateway, like the desks of a shop. */
  sharedSandbox?: string;
}

/**
 * Starts web mode as `npm run web` runs it (the bundle global-setup built, with the same Node
 * flags) on free ports with a fresh data directory (or `opts.data`).
 */
export async function startWeb(opts: StartWebOptions = {}): Promise<WebApp & { stop: () => Promise<void>; halt: () => Promise<void>; data: string; kill: () => Promise<void> }> {
  const data = opts.data ?? mkdtempSync(join(tmpdir(), 'pos-e2e-'));
  const child: ChildProcess = spawn(
    join(ROOT, 'node_modules/.bin/node'),
    webModeArgs(['--port', '0', ...(opts.sharedSandbox ? ['--shared-sandbox', opts.sharedSandbox] : ['--sandbox-port', '0']), '--no-build', '--data', data]),
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], // node_modules/.bin first: its `node` is the pinned Node 24 (the machine's own may be older).
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, POS_PASSPHRASE: 'e2e-passphrase-not-secret', ...opts.env } },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const found = await new Promise<{ url: string; sandboxUrl: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`web mode did not print its URLs within 90 s.\nstdout:\n${out}\nstderr:\n${err.slice(-4000)}`)), 90_000);
    const check = () => {
      const url = /^POS_WEB_URL=(\S+)$/m.exec(out)?.[1];
      const sandboxUrl = /^POS_SANDBOX_URL=(\S+)$/m.exec(out)?.[1];
      if (url && sandboxUrl) {
        clearTimeout(timer);
        ok({ url, sandboxUrl: sandboxUrl.replace(/\/$/, '') });
      }
    };
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      check();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`web mode exited with ${code}.\nstdout:\n${out}\nstderr:\n${err.slice(-4000)}`));
    });
  });
  /** SIGTERM, an orderly close (ledger checkpointed); the data directory is kept. */
  const halt = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const killTimer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5_000);
    await exited;
    clearTimeout(killTimer);
  };
  /** Closes and removes the data directory. */
  const stop = async () => {
    await halt();
    rmSync(data, { recursive: true, force: true });
  };
  /** SIGKILL, like a crash or a power cut: no orderly close; the data directory is kept. */
  const kill = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await exited;
  };
  return { ...found, origin: new URL(found.url).origin, logs: () => err, stop, halt, data, kill };
}

/** Kills the web-mode process and starts it again on the SAME data directory (new ports, new secret). */
export async function restartWeb(web: { kill: () => Promise<void>; data: string }, env?: Record<string, string>): Promise<Awaited<ReturnType<typeof startWeb>>> {
  await web.kill();
  return startWeb({ data: web.data, ...(env ? { env } : {}) });
}

export const PINS = { admin: '246810', clerk: '135790', supervisor: '975310' } as const;
export const NAMES = { admin: 'Ada Admin', clerk: 'Chris Clerk', supervisor: 'Sam Supervisor' } as const;

type Fixtures = {
  web: WebApp;
  /** A page signed in as the clerk on a station set up with an admin, a clerk and a supervisor. */
  desk: Page;
};

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
  web: async ({}, use, testInfo) => {
    const web = await startWeb();
    try {
      await use(web);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('web-mode.log', { body: web.logs(), contentType: 'text/plain' });
      await web.stop();
    }
  },
  desk: async ({ page, web }, use) => {
    await setupStation(page, web);
    await switchUser(page, NAMES.clerk, PINS.clerk);
    await use(page);
  },
});

/** Calls a contract channel from the page, through the same endpoint and session as the screen. */
export async function api<T = unknown>(page: Page, channel: string, input: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return page.evaluate(
    async ([ch, body]) => {
      const secret = sessionStorage.getItem('pos.web.secret') ?? '';
      const session = sessionStorage.getItem('pos.web.session') ?? '';
      const res = await fetch(`/api/call/${ch}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': secret, 'X-Pos-Session': session },
        body: JSON.stringify(body),
      });
      return res.json();
    },
    [channel, input] as const,
  );
}

/** Like api() but fails the test on an error envelope. */
export async function apiOk<T = unknown>(page: Page, channel: string, input: unknown = {}): Promise<T> {
  const r = await api<T>(page, channel, input);
  if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** First run through the screen: create the admin; then add a clerk and a supervisor. */
export async function setupStation(page: Page, web: WebApp): Promise<void> {
  await page.goto(web.url);
  await expect(page.getByRole('heading', { name: 'Set up this station' })).toBeVisible();
  await shot(page, 'setup');
  await page.getByLabel('Your name').fill(NAMES.admin);
  await page.getByLabel('PIN (6 or more digits)').fill(PINS.admin);
  await page.getByLabel('Repeat the PIN').fill(PINS.admin);
  await page.getByRole('button', { name: /Create administrator/ }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await apiOk(page, 'users.create', { name: NAMES.clerk, role: 'clerk', pin: PINS.clerk });
  await apiOk(page, 'users.create', { name: NAMES.supervisor, role: 'supervisor', pin: PINS.supervisor });
}

export async function switchUser(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name: 'Switch user' }).first().click();
  await signIn(page, name, pin);
}

export async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.locator('.user-name')).toHaveText(name);
}

const SHOTS = join(ROOT, 'docs/screenshots');

/** Saves docs/screenshots/<name>.png at the test viewport (1366x768, light theme). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

// ---------- the sandbox gateway's test controls ----------

export interface SandboxOrder {
  merchantReference: string;
  command: string;
  amount: number;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  status: string;
  maskedCard: string | null;
  operations: { kind: string; amount: number | null; applied: boolean; status: string }[];
}

export async function sandboxOrders(web: WebApp, merchantReference?: string): Promise<SandboxOrder[]> {
  const q = merchantReference ? `?merchant_reference=${encodeURIComponent(merchantReference)}` : '';
  const res = await fetch(`${web.sandboxUrl}/__sandbox/orders${q}`);
  const body = (await res.json()) as { orders: SandboxOrder[] };
  return body.orders;
}

export async function sandboxControl(web: WebApp, path: 'faults' | 'reachable' | 'clock', body: unknown): Promise<void> {
  const res = await fetch(`${web.sandboxUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
}

/**
 * The station's default language (Settings → station locale, admins): everyone without a language
 * of their own, and the sign-in screen, then work in it. The page reloads into it.
 */
export async function stationSpeaks(page: Page, locale: 'ar-KW' | 'en-US'): Promise<void> {
  await apiOk(page, 'settings.update', { locale });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', locale.slice(0, 2));
}

/** The signed-in person's own language and digits (as the Language dialog saves them); the page reloads into it. */
export async function personSpeaks(page: Page, language: 'ar' | 'en', digits: 'latn' | 'arab' = 'latn'): Promise<void> {
  await apiOk(page, 'session.preferences', { language, digits });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}
