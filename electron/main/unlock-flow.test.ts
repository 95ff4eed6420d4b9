import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import type { BrowserWindow } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract';
import { UNLOCK_CHANNELS } from '../../shared/unlock/api';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import type { KeyProtector } from '../core/db/key-protector';
import { silentLogger } from '../core/deps';
import { CoreEvents } from '../core/events';
import { MemorySettingsStore } from '../core/settings/defaults';
import { runLifecycle, type LifecycleDeps, type ShellCore } from './lifecycle';
import { openDesktopCore, selectKeyProtector } from './open-core';
import { UnlockCancelledError, WrongPassphraseError } from './passphrase';
import type { PassphrasePrompt } from './passphrase';
import { SafeStorageKeyProtector } from './safe-storage-protector';
import { fakeFrame, invokeEvent } from './test-fakes';

/**
 * The whole unlock flow with a mocked Electron: chooseKeyProtector's decision, the unlock window,
 * its IPC, and the order of things in lifecycle.ts (no contract channel before the ledger is
 * open; the main window after it). The last block opens a real ledger and core.
 */

const RIGHT = 'correct horse battery staple';
const cheap = (p: string) => new PassphraseKeyProtector(p, { N: 1 << 10 });
type Fn = (...args: unknown[]) => unknown;

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pos-unlock-flow-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeSafeStorage(backend: string, available = true) {
  return {
    getSelectedStorageBackend: vi.fn(() => backend),
    isAsyncEncryptionAvailable: vi.fn(async () => available),
    encryptStringAsync: vi.fn(async (s: string) => Buffer.from(`sealed:${s}`)),
    decryptStringAsync: vi.fn(async (b: Buffer) => ({ result: b.toString().slice('sealed:'.length), shouldReEncrypt: false })),
  } as unknown as Parameters<typeof selectKeyProtector>[1]['safeStorage'];
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
};

function harness(opts: { ledgerDir: string; backend: string; available?: boolean }) {
  const appHandlers: Record<string, Fn> = {};
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const app = {
    requestSingleInstanceLock: vi.fn(() => true),
    on: vi.fn((name: string, fn: Fn) => (appHandlers[name] = fn)),
    quit: vi.fn(),
    whenReady: vi.fn(() => whenReady),
    isPackaged: true,
  };
  const ipcHandlers = new Map<string, Fn>();
  type FakeWindow = ReturnType<typeof makeWindow>;
  const windows: FakeWindow[] = [];
  function makeWindow(options: { webPreferences: { preload: string } }, id: number) {
    const listeners = new Map<string, Fn[]>();
    const on = (n: string, fn: Fn) => listeners.set(n, [...(listeners.get(n) ?? []), fn]);
    const url = options.webPreferences.preload.includes('unlock') ? 'app://pos/unlock.html' : 'app://pos/index.html';
    const mainFrame = fakeFrame(url, null, 1);
    let destroyed = false;
    const contents = { id, mainFrame, isDestroyed: () => destroyed, on: vi.fn(), send: vi.fn() };
    return {
      options,
      kind: url.includes('unlock') ? ('unlock' as const) : ('pos' as const),
      webContents: contents,
      isDestroyed: () => destroyed,
      isMinimized: () => false,
      restore: vi.fn(),
      focus: vi.fn(),
      show: vi.fn(),
      on: vi.fn(on),
      once: vi.fn(on),
      loadURL: vi.fn(async () => {}),
      close: vi.fn(() => {
        if (destroyed) return;
        destroyed = true;
        for (const fn of listeners.get('closed') ?? []) fn();
      }),
      event: () => invokeEvent(contents, mainFrame),
    };
  }
  const core: ShellCore = {
    dispatch: vi.fn(async () => ({ ok: true as const, value: 'pong' })),
    events: new CoreEvents(),
    acceptHostedReturn: vi.fn(async () => ({ sessionId: 's1', ok: true, message: '' })),
    close: vi.fn(async () => {}),
  };
  const opened: { protector: KeyProtector | null; key: Buffer | null } = { protector: null, key: null };
  const safeStorage = fakeSafeStorage(opts.backend, opts.available ?? true);
  const deps = {
    app,
    protocol: { handle: vi.fn() },
    ipcMain: { handle: vi.fn((c: string, fn: Fn) => ipcHandlers.set(c, fn)), removeHandler: vi.fn((c: string) => ipcHandlers.delete(c)) },
    getSession: () => ({ setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn(), on: vi.fn(), webRequest: { onBeforeRequest: vi.fn() } }),
    createWindow: vi.fn((o: { webPreferences: { preload: string } }) => {
      const w = makeWindow(o, 100 + windows.length);
      windows.push(w);
      return w as unknown as BrowserWindow;
    }),
    paths: { preload: '/x/preload.cjs', unlockPreload: '/x/unlock-preload.cjs', rendererRoot: '/x/renderer' },
    // What openDesktopCore does up to createCore, then a fake core; openLedger's use of the
    // protector is imitated: unwrap key.json if there is one, else wrap a new key.
    openCore: vi.fn(async (_url: string, ask: PassphrasePrompt) => {
      const protector = await selectKeyProtector(opts.ledgerDir, { safeStorage, askPassphrase: ask, log: silentLogger, platform: 'linux', passphraseOptions: { protectorFor: cheap } });
      opened.protector = protector;
      const keyFile = path.join(opts.ledgerDir, 'key.json');
      try {
        opened.key = Buffer.from(await protector.unwrap(JSON.parse(readFileSync(keyFile, 'utf8'))));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        opened.key = randomBytes(32);
        writeFileSync(keyFile, JSON.stringify(await protector.wrap(opened.key)));
      }
      return { core, gatewayOrigin: 'http://127.0.0.1:4000' };
    }),
    fatal: vi.fn(),
    log: vi.fn(),
  } as unknown as LifecycleDeps;
  const call = (channel: string, event: unknown, ...args: unknown[]) => {
    const h = ipcHandlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, ...args) as Promise<unknown>;
  };
  const start = async () => {
    runLifecycle(deps);
    ready();
    await flush();
  };
  return { deps, app, appHandlers, ipcHandlers, windows, core, opened, call, start };
}

async function keyFileWith(passphrase: string): Promise<{ dir: string; key: Buffer }> {
  const dir = tempDir();
  const key = randomBytes(32);
  writeFileSync(path.join(dir, 'key.json'), JSON.stringify(await cheap(passphrase).wrap(key)), { mode: 0o600 });
  return { dir, key };
}

const posChannels = (h: ReturnType<typeof harness>) => [...h.ipcHandlers.keys()].filter((c) => (CHANNEL_NAMES as readonly string[]).includes(c));
const unlockChannels = (h: ReturnType<typeof harness>) => [...h.ipcHandlers.keys()].filter((c) => c.startsWith('unlock:'));

describe('the unlock window in the app lifecycle', () => {
  it('basic_text, ledger with a passphrase: a wrong one keeps the window; the right one opens the core, then the main window', async () => {
    const { dir, key } = await keyFileWith(RIGHT);
    const keyText = readFileSync(path.join(dir, 'key.json'), 'utf8');
    const h = harness({ ledgerDir: dir, backend: 'basic_text' });
    await h.start();

    // Only the unlock window exists, with its own preload; only its three channels are registered.
    expect(h.windows.map((w) => w.kind)).toEqual(['unlock']);
    const unlock = h.windows[0]!;
    expect(unlock.options.webPreferences).toMatchObject({ preload: '/x/unlock-preload.cjs', sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(unlock.loadURL).toHaveBeenCalledWith('app://pos/unlock.html');
    expect(posChannels(h)).toEqual([]);
    expect(unlockChannels(h).sort()).toEqual(Object.values(UNLOCK_CHANNELS).sort());

    expect(await h.call(UNLOCK_CHANNELS.state, unlock.event())).toEqual({ ok: true, value: { mode: 'unlock', reason: 'stored-with-passphrase', failures: 0, retryAfterMs: 0 } });
    expect(await h.call(UNLOCK_CHANNELS.unlock, unlock.event(), { passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE', failures: 1 } });
    await flush();
    expect(h.windows).toHaveLength(1);
    expect(unlock.close).not.toHaveBeenCalled();
    expect(posChannels(h)).toEqual([]);
    expect(h.core.dispatch).not.toHaveBeenCalled();
    expect(readFileSync(path.join(dir, 'key.json'), 'utf8')).toBe(keyText);
    expect(readdirSync(dir)).toEqual(['key.json']);

    expect(await h.call(UNLOCK_CHANNELS.unlock, unlock.event(), { passphrase: RIGHT })).toEqual({ ok: true });
    await flush();
    expect(h.opened.key).toEqual(key);
    expect([...posChannels(h)].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(unlockChannels(h)).toEqual([]);
    expect(h.windows.map((w) => w.kind)).toEqual(['unlock', 'pos']);
    const pos = h.windows[1]!;
    expect(pos.options.webPreferences.preload).toBe('/x/preload.cjs');
    expect(pos.loadURL).toHaveBeenCalledWith('app://pos/index.html');
    expect(unlock.close).toHaveBeenCalled();
    expect(h.deps.fatal).not.toHaveBeenCalled();
    // The unlock window cannot call the contract, and the POS window cannot call unlock.
    expect(await h.call('session.status', unlock.event(), {})).toMatchObject({ ok: false, error: { code: 'BAD_SENDER' } });
    await expect(h.call('session.status', pos.event(), {})).resolves.toEqual({ ok: true, value: 'pong' });
    // Nothing the person typed reached the log.
    expect(JSON.stringify((h.deps.log as unknown as { mock: { calls: unknown[] } }).mock.calls)).not.toMatch(/correct horse|not the passphrase/);
  });

  it('basic_text, first run: asks to choose a passphrase with a confirmation, then creates the key', async () => {
    const dir = tempDir();
    const h = harness({ ledgerDir: dir, backend: 'basic_text' });
    await h.start();
    const unlock = h.windows[0]!;
    expect(await h.call(UNLOCK_CHANNELS.state, unlock.event())).toMatchObject({ ok: true, value: { mode: 'create', reason: 'insecure-backend' } });
    expect(await h.call(UNLOCK_CHANNELS.create, unlock.event(), { passphrase: RIGHT, confirm: 'correct horse battery stable' })).toMatchObject({ ok: false, error: { code: 'MISMATCH' } });
    expect(await h.call(UNLOCK_CHANNELS.unlock, unlock.event(), { passphrase: RIGHT })).toMatchObject({ ok: false, error: { code: 'WRONG_MODE' } });
    await flush();
    expect(readdirSync(dir)).toEqual([]);
    expect(posChannels(h)).toEqual([]);
    expect(await h.call(UNLOCK_CHANNELS.create, unlock.event(), { passphrase: RIGHT, confirm: RIGHT })).toEqual({ ok: true });
    await flush();
    expect(h.opened.protector?.backend).toBe('passphrase-scrypt');
    const wrapped = JSON.parse(readFileSync(path.join(dir, 'key.json'), 'utf8'));
    expect(await cheap(RIGHT).unwrap(wrapped)).toEqual(h.opened.key);
    expect(h.windows.map((w) => w.kind)).toEqual(['unlock', 'pos']);
  });

  it('"not available" safeStorage on the first run also asks for a passphrase', async () => {
    const h = harness({ ledgerDir: tempDir(), backend: 'gnome_libsecret', available: false });
    await h.start();
    expect(await h.call(UNLOCK_CHANNELS.state, h.windows[0]!.event())).toMatchObject({ value: { mode: 'create', reason: 'not-available' } });
  });

  it('a real keyring: no unlock window at all', async () => {
    const h = harness({ ledgerDir: tempDir(), backend: 'gnome_libsecret' });
    await h.start();
    expect(h.opened.protector).toBeInstanceOf(SafeStorageKeyProtector);
    expect(h.windows.map((w) => w.kind)).toEqual(['pos']);
    expect(unlockChannels(h)).toEqual([]);
  });

  it('locked out (key in a keyring this session lacks): the error box, never a passphrase prompt', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'key.json'), JSON.stringify({ backend: 'electron-safe-storage', data: 'AAAA', params: { osBackend: 'linux:gnome_libsecret' } }));
    const h = harness({ ledgerDir: dir, backend: 'basic_text' });
    await h.start();
    expect(h.windows).toEqual([]);
    expect(h.deps.fatal).toHaveBeenCalledWith('The point of sale could not start', expect.stringMatching(/OS keychain, which is not available in this session.*Sign in to the desktop session/));
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.ipcHandlers.size).toBe(0);
  });

  it('closing the unlock window quits quietly: no error box, no core', async () => {
    const { dir } = await keyFileWith(RIGHT);
    const h = harness({ ledgerDir: dir, backend: 'basic_text' });
    await h.start();
    h.windows[0]!.close();
    await flush();
    expect(h.deps.fatal).not.toHaveBeenCalled();
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.ipcHandlers.size).toBe(0);
    expect(h.windows).toHaveLength(1);
  });

  it('a second launch focuses the unlock window while it asks', async () => {
    const { dir } = await keyFileWith(RIGHT);
    const h = harness({ ledgerDir: dir, backend: 'basic_text' });
    await h.start();
    h.appHandlers['second-instance']!();
    expect(h.windows[0]!.focus).toHaveBeenCalled();
  });
});

describe('openDesktopCore on a real ledger, passphrase path', () => {
  function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(readdirSync(dir).map((f) => [f, `${statSync(path.join(dir, f)).size}:${statSync(path.join(dir, f)).mtimeMs}:${readFileSync(path.join(dir, f)).toString('base64')}`]));
  }

  it('creates the ledger with a chosen passphrase; later a wrong one changes nothing and the right one opens it', async () => {
    const userData = tempDir();
    const ledgerDir = path.join(userData, 'ledger');
    const open = (ask: PassphrasePrompt) =>
      openDesktopCore({
        userData,
        hostedReturnUrl: 'https://hosted-return.pos.invalid/return',
        safeStorage: fakeSafeStorage('basic_text'),
        settings: new MemorySettingsStore(),
        log: silentLogger,
        askPassphrase: ask,
        platform: 'linux',
        passphraseOptions: { protectorFor: cheap },
      });

    const first = await open(async (req) => {
      expect(req).toMatchObject({ mode: 'create', reason: 'insecure-backend' });
      return req.attempt(RIGHT);
    });
    const caller = { sessionKey: 'window:1', origin: 'window:1' };
    expect(await first.core.dispatch('session.status', {}, caller)).toMatchObject({ ok: true });
    await first.core.close();
    expect(JSON.parse(readFileSync(path.join(ledgerDir, 'key.json'), 'utf8'))).toMatchObject({ backend: 'passphrase-scrypt' });

    const before = snapshot(ledgerDir);
    let afterWrong: Record<string, string> | null = null;
    let released: Buffer | null = null;
    const second = await open(async (req) => {
      expect(req.mode).toBe('unlock');
      await expect(req.attempt('not the passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
      afterWrong = snapshot(ledgerDir);
      const protector = await req.attempt(RIGHT);
      const unwrap = protector.unwrap.bind(protector);
      protector.unwrap = async (w) => (released = await unwrap(w));
      return protector;
    });
    expect(afterWrong).toEqual(before);
    expect(await second.core.dispatch('session.status', {}, caller)).toMatchObject({ ok: true });
    // Once the ledger is open, the unwrapped key is zero-filled.
    expect(released).not.toBeNull();
    expect(released!.equals(Buffer.alloc(32))).toBe(true);
    await second.core.close();

    // Cancelling (the window closed) opens nothing and changes nothing.
    const beforeCancel = snapshot(ledgerDir);
    await expect(open(async () => Promise.reject(new UnlockCancelledError()))).rejects.toBeInstanceOf(UnlockCancelledError);
    expect(snapshot(ledgerDir)).toEqual(beforeCancel);
  });
});
