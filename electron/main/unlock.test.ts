import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';

vi.mock('electron', () => ({}));

import type { BrowserWindow } from 'electron';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import { UNLOCK_CHANNELS } from '../../shared/unlock/api';
import { OnceKeyProtector, UnlockCancelledError, WrongPassphraseError } from './passphrase';
import type { PassphraseRequest, ReleasableKeyProtector } from './passphrase';
import { checkUnlockSender, createUnlockController, createUnlockWindow, registerUnlockIpc } from './unlock';
import type { UnlockController } from './unlock';
import { fakeFrame, fakeIpcMain, fakeWindow, invokeEvent } from './test-fakes';

const RIGHT = 'correct horse battery staple';
const CHANNELS = Object.values(UNLOCK_CHANNELS);


/** A request like passphraseRequest's, without scrypt: RIGHT unlocks, anything else is wrong. */
function fakeRequest(mode: 'create' | 'unlock' = 'unlock') {
  const protector = new OnceKeyProtector(new PassphraseKeyProtector(RIGHT, { N: 1 << 10 }));
  const attempt = vi.fn(async (p: string): Promise<ReleasableKeyProtector> => {
    if (mode === 'unlock' && p !== RIGHT) throw new WrongPassphraseError();
    return protector;
  });
  const request: PassphraseRequest = { mode, reason: mode === 'create' ? 'insecure-backend' : 'stored-with-passphrase', attempt };
  return { request, attempt, protector };
}

describe('createUnlockController', () => {
  let clock: number;
  let onUnlocked: Mock<(p: ReleasableKeyProtector) => void>;
  let log: Mock<(msg: string, detail?: Record<string, unknown>) => void>;
  const make = (mode: 'create' | 'unlock' = 'unlock') => {
    const r = fakeRequest(mode);
    return { ...r, controller: createUnlockController(r.request, { onUnlocked, log, now: () => clock }) };
  };

  beforeEach(() => {
    clock = 1_000_000;
    onUnlocked = vi.fn();
    log = vi.fn();
  });

  it('tells the page which screen to show', () => {
    expect(make('create').controller.state()).toEqual({ ok: true, value: { mode: 'create', reason: 'insecure-backend', failures: 0, retryAfterMs: 0 } });
    expect(make('unlock').controller.state()).toEqual({ ok: true, value: { mode: 'unlock', reason: 'stored-with-passphrase', failures: 0, retryAfterMs: 0 } });
  });

  it('a wrong passphrase is an error the person can retry; the right one unlocks once', async () => {
    const { controller, attempt, protector } = make();
    const wrong = await controller.unlock({ passphrase: 'not the passphrase' });
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: 'That passphrase does not unlock the ledger. Check Caps Lock and the keyboard layout, then try again.', field: 'passphrase', failures: 1, retryAfterMs: 0 },
    });
    expect(onUnlocked).not.toHaveBeenCalled();
    await expect(controller.unlock({ passphrase: RIGHT })).resolves.toEqual({ ok: true });
    expect(onUnlocked).toHaveBeenCalledWith(protector);
    expect(attempt).toHaveBeenCalledTimes(2);
    // Done: nothing more is attempted.
    await expect(controller.unlock({ passphrase: RIGHT })).resolves.toMatchObject({ ok: false, error: { code: 'DONE' } });
    expect(attempt).toHaveBeenCalledTimes(2);
    expect(onUnlocked).toHaveBeenCalledTimes(1);
  });

  it('after three wrong passphrases, waits 2 s, then 4 s… and refuses attempts meanwhile without checking them', async () => {
    const { controller, attempt } = make();
    for (let i = 0; i < 3; i++) expect(await controller.unlock({ passphrase: `wrong ${i} wrong` })).toMatchObject({ error: { retryAfterMs: 0 } });
    expect(await controller.unlock({ passphrase: 'wrong 3 wrong' })).toMatchObject({
      error: { code: 'WRONG_PASSPHRASE', failures: 4, retryAfterMs: 2000, message: 'That passphrase does not unlock the ledger. Wait 2 seconds before the next try.' },
    });
    clock += 500;
    expect(await controller.unlock({ passphrase: RIGHT })).toEqual({
      ok: false,
      error: { code: 'TOO_SOON', message: 'Too many wrong passphrases. Try again in 2 seconds.', field: 'passphrase', failures: 4, retryAfterMs: 1500 },
    });
    expect(controller.state()).toMatchObject({ value: { failures: 4, retryAfterMs: 1500 } });
    expect(attempt).toHaveBeenCalledTimes(4);
    clock += 1500;
    expect(await controller.unlock({ passphrase: 'wrong 4 wrong' })).toMatchObject({ error: { failures: 5, retryAfterMs: 4000 } });
    clock += 4000;
    await expect(controller.unlock({ passphrase: RIGHT })).resolves.toEqual({ ok: true });
  });

  it('validates input with its schema: shape, type, extra keys, length (too short is not counted as a failure)', async () => {
    const { controller, attempt } = make();
    for (const bad of [undefined, null, 'x', 42, [], {}, { passphrase: 12345678 }, { passphrase: RIGHT, extra: 1 }, { passphrase: 'x'.repeat(1025) }]) {
      expect(await controller.unlock(bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase' } });
    }
    expect(await controller.unlock({ passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The passphrase has at least 8 characters.' } });
    expect(attempt).not.toHaveBeenCalled();
    expect(controller.state()).toMatchObject({ value: { failures: 0 } });
  });

  it('first run: create requires at least 8 characters and a matching confirmation', async () => {
    const { controller, attempt, protector } = make('create');
    expect(await controller.create({ passphrase: 'short', confirm: 'short' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase', message: 'Choose at least 8 characters.' } });
    expect(await controller.create({ passphrase: RIGHT })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await controller.create({ passphrase: RIGHT, confirm: `${RIGHT} ` })).toEqual({
      ok: false,
      error: { code: 'MISMATCH', message: 'The two passphrases differ. Type them again.', field: 'confirm' },
    });
    expect(attempt).not.toHaveBeenCalled();
    expect(onUnlocked).not.toHaveBeenCalled();
    await expect(controller.create({ passphrase: RIGHT, confirm: RIGHT })).resolves.toEqual({ ok: true });
    expect(attempt).toHaveBeenCalledWith(RIGHT);
    expect(onUnlocked).toHaveBeenCalledWith(protector);
  });

  it('create and unlock each belong to their own mode', async () => {
    expect(await make('create').controller.unlock({ passphrase: RIGHT })).toMatchObject({ ok: false, error: { code: 'WRONG_MODE' } });
    expect(await make('unlock').controller.create({ passphrase: RIGHT, confirm: RIGHT })).toMatchObject({ ok: false, error: { code: 'WRONG_MODE' } });
  });

  it('one attempt at a time', async () => {
    const { controller } = make();
    const first = controller.unlock({ passphrase: 'wrong one here' });
    expect(await controller.unlock({ passphrase: RIGHT })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await first;
  });

  it('an unexpected failure is INTERNAL, named in the log by its error name only', async () => {
    const request: PassphraseRequest = {
      mode: 'unlock',
      reason: 'stored-with-passphrase',
      attempt: async (p) => {
        throw new Error(`boom ${p}`);
      },
    };
    const controller = createUnlockController(request, { onUnlocked, log });
    expect(await controller.unlock({ passphrase: RIGHT })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(log.mock.calls)).not.toContain(RIGHT);
  });

  it('never logs or returns the passphrase', async () => {
    const { controller } = make();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await controller.unlock({ passphrase: `secret-guess-${i}` }));
    answers.push(await controller.unlock({ passphrase: 'secret-guess-5' }));
    clock += 60_000;
    answers.push(await controller.unlock({ passphrase: RIGHT }));
    expect(log).toHaveBeenCalled();
    const seen = JSON.stringify([log.mock.calls, answers]);
    expect(seen).not.toMatch(/secret-guess|correct horse/);
  });
});

describe('registerUnlockIpc', () => {
  const { window, contents } = fakeWindow(11, 'app://pos/unlock.html');
  const ours = () => invokeEvent(contents, contents.mainFrame);
  let ipc: ReturnType<typeof fakeIpcMain>;
  let controller: { state: Mock<UnlockController['state']>; unlock: Mock<UnlockController['unlock']>; create: Mock<UnlockController['create']> };
  let refused: Mock<(channel: string, reason: string) => void>;
  let unregister: () => void;

  beforeEach(() => {
    ipc = fakeIpcMain();
    const state = { mode: 'unlock', reason: 'stored-with-passphrase', failures: 0, retryAfterMs: 0 } as const;
    controller = {
      state: vi.fn<UnlockController['state']>(() => ({ ok: true, value: state })),
      unlock: vi.fn<UnlockController['unlock']>(async () => ({ ok: true })),
      create: vi.fn<UnlockController['create']>(async () => ({ ok: true })),
    };
    refused = vi.fn();
    unregister = registerUnlockIpc({ ipcMain: ipc.ipc, getWindow: () => window, controller, onRefused: refused });
  });

  const untouched = () => {
    for (const fn of Object.values(controller)) expect(fn).not.toHaveBeenCalled();
  };

  it('registers the three unlock channels and no contract channel', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('passes the first argument of a call from the unlock page to the controller', async () => {
    await expect(ipc.call(UNLOCK_CHANNELS.unlock, ours(), { passphrase: RIGHT }, 'ignored')).resolves.toEqual({ ok: true });
    expect(controller.unlock).toHaveBeenCalledWith({ passphrase: RIGHT });
    await ipc.call(UNLOCK_CHANNELS.create, ours(), { passphrase: RIGHT, confirm: RIGHT });
    expect(controller.create).toHaveBeenCalledWith({ passphrase: RIGHT, confirm: RIGHT });
    await expect(ipc.call(UNLOCK_CHANNELS.state, ours())).resolves.toMatchObject({ ok: true, value: { mode: 'unlock' } });
  });

  it('refuses foreign senders before looking at the input, and tells onRefused the reason only', async () => {
    const other = fakeWindow(12, 'app://pos/unlock.html');
    const subframe = fakeFrame('app://pos/unlock.html', contents.mainFrame, 5);
    const cases: [unknown, string][] = [
      [invokeEvent(other.contents, other.mainFrame), 'foreign-sender'],
      [invokeEvent(contents, subframe), 'subframe'],
      [invokeEvent(contents, null), 'no-frame'],
      [undefined, 'foreign-sender'],
    ];
    for (const [event, reason] of cases) {
      for (const channel of CHANNELS) {
        expect(await ipc.call(channel, event, { passphrase: RIGHT }), `${channel} ${reason}`).toEqual({
          ok: false,
          error: { code: 'BAD_SENDER', message: 'This call did not come from the unlock window.' },
        });
        expect(refused).toHaveBeenLastCalledWith(channel, reason);
      }
    }
    untouched();
    expect(JSON.stringify(refused.mock.calls)).not.toContain(RIGHT);
  });

  it('refuses the window once it shows anything but app://pos/unlock.html (the POS page included)', async () => {
    for (const url of ['app://pos/index.html', 'app://pos/unlock.html/../index.html', 'https://evil.example/unlock.html', 'app://evil/unlock.html', 'about:blank']) {
      const moved = fakeWindow(13, url);
      const local = fakeIpcMain();
      registerUnlockIpc({ ipcMain: local.ipc, getWindow: () => moved.window, controller });
      const result = await local.call(UNLOCK_CHANNELS.unlock, invokeEvent(moved.contents, moved.mainFrame), { passphrase: RIGHT });
      expect(result, url).toMatchObject({ ok: false, error: { code: 'BAD_SENDER' } });
    }
    expect(checkUnlockSender(invokeEvent(contents, contents.mainFrame as never), window)).toEqual({ ok: true, webContentsId: 11 });
    expect(checkUnlockSender(invokeEvent(fakeWindow(14, 'app://pos/index.html').contents, null), null)).toEqual({ ok: false, reason: 'no-window' });
    untouched();
  });

  it('never lets an exception cross to the page', async () => {
    controller.unlock.mockRejectedValueOnce(new Error(`stack with ${RIGHT}`));
    expect(await ipc.call(UNLOCK_CHANNELS.unlock, ours(), { passphrase: RIGHT })).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the app. Try again.' } });
  });

  it('unregisters its handlers', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

/** A BrowserWindow stand-in with the events createUnlockWindow uses. */
function buildFakeWindow(options: unknown, id: number) {
  type L = (...a: unknown[]) => void;
  const listeners = new Map<string, L[]>();
  const contentsListeners = new Map<string, L[]>();
  const add = (m: Map<string, L[]>, name: string, fn: L) => m.set(name, [...(m.get(name) ?? []), fn]);
  const mainFrame = fakeFrame('app://pos/unlock.html', null, 1);
  let destroyed = false;
  const contents = { id, mainFrame, isDestroyed: () => destroyed, on: vi.fn((n: string, fn: L) => add(contentsListeners, n, fn)) };
  return {
    options,
    webContents: contents,
    isDestroyed: () => destroyed,
    on: vi.fn((n: string, fn: L) => add(listeners, n, fn)),
    once: vi.fn((n: string, fn: L) => add(listeners, n, fn)),
    show: vi.fn(),
    loadURL: vi.fn(async () => {}),
    close: vi.fn(() => {
      if (destroyed) return;
      destroyed = true;
      for (const fn of listeners.get('closed') ?? []) fn();
    }),
    emit: (n: string, ...a: unknown[]) => (listeners.get(n) ?? []).forEach((fn) => fn(...a)),
    emitContents: (n: string, ...a: unknown[]) => (contentsListeners.get(n) ?? []).forEach((fn) => fn(...a)),
    event: () => invokeEvent(contents, mainFrame),
  };
}

function fakeUnlockWindowFactory() {
  const made: ReturnType<typeof buildFakeWindow>[] = [];
  const createWindow = vi.fn((o: unknown) => {
    const w = buildFakeWindow(o, 21 + made.length);
    made.push(w);
    return w as unknown as BrowserWindow;
  });
  return { made, createWindow };
}

describe('createUnlockWindow', () => {
  function setup() {
    const ipc = fakeIpcMain();
    const windows = fakeUnlockWindowFactory();
    const log = vi.fn();
    const ui = createUnlockWindow({ ipcMain: ipc.ipc, createWindow: windows.createWindow, preloadPath: '/app/unlock-preload.cjs', isPackaged: true, log });
    return { ipc, windows, log, ui };
  }

  it('opens a hardened window on app://pos/unlock.html with its own preload, and registers only the unlock channels', async () => {
    const { ipc, windows, ui } = setup();
    void ui.prompt(fakeRequest().request);
    const win = windows.made[0]!;
    expect(win.options).toMatchObject({
      width: 520,
      show: false,
      webPreferences: { preload: '/app/unlock-preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false },
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://pos/unlock.html');
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    expect(ui.getWindow()).toBe(win);
    // The page never navigates.
    const nav = { preventDefault: vi.fn() };
    win.emitContents('will-navigate', nav);
    expect(nav.preventDefault).toHaveBeenCalled();
  });

  it('a wrong passphrase keeps the window and answers an error; the right one resolves and drops the channels', async () => {
    const { ipc, windows, ui } = setup();
    const { request, protector } = fakeRequest();
    let resolved: unknown = null;
    const asked = ui.prompt(request).then((p) => (resolved = p));
    const win = windows.made[0]!;
    expect(await ipc.call(UNLOCK_CHANNELS.unlock, win.event(), { passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    await Promise.resolve();
    expect(resolved).toBeNull();
    expect(win.close).not.toHaveBeenCalled();
    expect(ipc.handlers.size).toBe(3);
    expect(await ipc.call(UNLOCK_CHANNELS.unlock, win.event(), { passphrase: RIGHT })).toEqual({ ok: true });
    await asked;
    expect(resolved).toBe(protector);
    expect(ipc.handlers.size).toBe(0);
    // The window stays (showing "opening…") until lifecycle.ts closes it.
    expect(win.close).not.toHaveBeenCalled();
    ui.close();
    expect(win.close).toHaveBeenCalled();
    expect(ui.getWindow()).toBeNull();
  });

  it('closing the window before unlocking cancels, and removes the channels', async () => {
    const { ipc, windows, ui } = setup();
    const asked = ui.prompt(fakeRequest().request);
    windows.made[0]!.close();
    await expect(asked).rejects.toBeInstanceOf(UnlockCancelledError);
    expect(ipc.handlers.size).toBe(0);
  });
});
