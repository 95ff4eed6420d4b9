import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import type { BrowserWindow } from 'electron';
import { CHANNEL_NAMES } from '../../shared/contract';
import { CoreEvents } from '../core/events';
import { runLifecycle, type LifecycleDeps, type ShellCore } from './lifecycle';
import { invokeEvent } from './test-fakes';

type Fn = (...args: unknown[]) => unknown;

function harness(opts: { lock?: boolean; openFails?: boolean } = {}) {
  const appHandlers: Record<string, Fn> = {};
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const app = {
    requestSingleInstanceLock: vi.fn(() => opts.lock ?? true),
    on: vi.fn((name: string, fn: Fn) => (appHandlers[name] = fn)),
    quit: vi.fn(),
    whenReady: vi.fn(() => whenReady),
    isPackaged: true,
  };
  const ipcHandlers = new Map<string, Fn>();
  const mainFrame = { parent: null, frameTreeNodeId: 1, origin: 'app://pos', url: 'app://pos/index.html' };
  const contents = { id: 3, mainFrame, isDestroyed: () => false, send: vi.fn() };
  const win = {
    webContents: contents,
    isDestroyed: () => false,
    isMinimized: vi.fn(() => true),
    restore: vi.fn(),
    focus: vi.fn(),
    show: vi.fn(),
    once: vi.fn(),
    on: vi.fn(),
    loadURL: vi.fn(async () => {}),
  };
  const core: ShellCore = {
    dispatch: vi.fn(async () => ({ ok: true as const, value: 'pong' })),
    events: new CoreEvents(),
    acceptHostedReturn: vi.fn(async () => ({ sessionId: 's1', ok: true, message: '' })),
    close: vi.fn(async () => {}),
  };
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    on: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn() },
  };
  const deps = {
    app,
    protocol: { handle: vi.fn() },
    ipcMain: { handle: vi.fn((c: string, fn: Fn) => ipcHandlers.set(c, fn)), removeHandler: vi.fn() },
    getSession: () => session,
    createWindow: vi.fn(() => win as unknown as BrowserWindow),
    paths: { preload: '/x/preload.cjs', unlockPreload: '/x/unlock-preload.cjs', rendererRoot: '/x/renderer' },
    openCore: vi.fn(async () => {
      if (opts.openFails) throw new Error('keyring gone');
      return { core, gatewayOrigin: 'http://127.0.0.1:4000' };
    }),
    fatal: vi.fn(),
    log: vi.fn(),
  } as unknown as LifecycleDeps;
  const started = async () => {
    ready();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { deps, app, appHandlers, ipcHandlers, win, core, session, started };
}

describe('runLifecycle', () => {
  it('a second instance quits at once and touches nothing', () => {
    const h = harness({ lock: false });
    expect(runLifecycle(h.deps)).toBeNull();
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.app.whenReady).not.toHaveBeenCalled();
    expect(h.deps.openCore).not.toHaveBeenCalled();
  });

  it('when ready: hardens the session, serves app://, opens the core, registers IPC, loads the window', async () => {
    const h = harness();
    runLifecycle(h.deps);
    await h.started();
    expect(h.session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(h.deps.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // The second argument is the unlock window's prompt, used only if the key needs a passphrase.
    expect(h.deps.openCore).toHaveBeenCalledWith('https://hosted-return.pos.invalid/return', expect.any(Function));
    expect(h.session.webRequest.onBeforeRequest).toHaveBeenCalledWith({ urls: ['https://hosted-return.pos.invalid/*'] }, expect.any(Function));
    expect([...h.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const options = (h.deps.createWindow as unknown as { mock: { calls: [{ webPreferences: Record<string, unknown> }][] } }).mock.calls[0]![0];
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, devTools: false, preload: '/x/preload.cjs' });
    expect(h.win.loadURL).toHaveBeenCalledWith('app://pos/index.html');
    // The registered handlers talk to this core, for this window only.
    await expect(h.ipcHandlers.get('session.status')!(invokeEvent(h.win.webContents, h.win.webContents.mainFrame), {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(h.core.dispatch).toHaveBeenCalledWith('session.status', {}, { sessionKey: 'window:3', origin: 'window:3' });
  });

  it('a second launch focuses the first window', async () => {
    const h = harness();
    runLifecycle(h.deps);
    await h.started();
    h.appHandlers['second-instance']!();
    expect(h.win.restore).toHaveBeenCalled();
    expect(h.win.focus).toHaveBeenCalled();
  });

  it('hardens every WebContents the app creates', () => {
    const h = harness();
    runLifecycle(h.deps);
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    h.appHandlers['web-contents-created']!({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']));
  });

  it('quitting waits for the core to close, then quits', async () => {
    const h = harness();
    runLifecycle(h.deps);
    await h.started();
    const event = { preventDefault: vi.fn() };
    h.appHandlers['will-quit']!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.core.close).toHaveBeenCalledTimes(1);
    expect(h.app.quit).toHaveBeenCalled();
    const again = { preventDefault: vi.fn() };
    h.appHandlers['will-quit']!(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('a core that cannot open is shown to the user and the app quits, with no window', async () => {
    const h = harness({ openFails: true });
    runLifecycle(h.deps);
    await h.started();
    expect(h.deps.fatal).toHaveBeenCalledWith(expect.any(String), 'keyring gone');
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.deps.createWindow).not.toHaveBeenCalled();
    expect(h.ipcHandlers.size).toBe(0);
  });
});

describe('the card page origin follows the gateway account', () => {
  it('frames may go to the current account card page only, asked at every navigation', async () => {
    const h = harness();
    let origin = 'http://127.0.0.1:4000';
    (h.deps as { openCore: unknown }).openCore = vi.fn(async () => ({ core: h.core, gatewayOrigin: 'http://127.0.0.1:4000', currentGatewayOrigin: () => origin }));
    runLifecycle(h.deps);
    await h.started();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    h.appHandlers['web-contents-created']!({}, contents);
    const frameNav = contents.on.mock.calls.find((c) => c[0] === 'will-frame-navigate')![1] as (e: { url: string; isMainFrame: boolean; preventDefault: () => void }) => void;
    const allowed = (url: string) => {
      const preventDefault = vi.fn();
      frameNav({ url, isMainFrame: false, preventDefault });
      return preventDefault.mock.calls.length === 0;
    };
    expect(allowed('http://127.0.0.1:4000/FortAPI/paymentPage')).toBe(true);
    expect(allowed('https://sbcheckout.payfort.com/FortAPI/paymentPage')).toBe(false);
    origin = 'https://sbcheckout.payfort.com'; // the admin switched to the APS test environment
    expect(allowed('https://sbcheckout.payfort.com/FortAPI/paymentPage')).toBe(true);
    expect(allowed('http://127.0.0.1:4000/FortAPI/paymentPage')).toBe(false);
    origin = 'https://checkout.payfort.com'; // and went live
    expect(allowed('https://checkout.payfort.com/FortAPI/paymentPage')).toBe(true);
    expect(allowed('https://sbcheckout.payfort.com/FortAPI/paymentPage')).toBe(false);
  });
});
