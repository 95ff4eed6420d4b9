import type { App, BrowserWindow, BrowserWindowConstructorOptions, IpcMain, Protocol, Session } from 'electron';
import type { Dispatch } from '../core/dispatch';
import type { CoreEvents } from '../core/events';
import type { HostedReturnResult } from './hosted-return';
import { interceptHostedReturn } from './hosted-return';
import { forwardEvents, registerIpc } from './ipc';
import { APP_ENTRY_URL, HOSTED_RETURN_URL } from './origins';
import { UnlockCancelledError } from './passphrase';
import type { PassphrasePrompt } from './passphrase';
import { handleAppProtocol } from './protocol';
import { createUnlockWindow } from './unlock';
import { buildWindowOptions, hardenSession, hardenWebContents } from './window';

/** What the shell needs of the core (electron/core/app.ts createCore's result). */
export interface ShellCore {
  dispatch: Dispatch;
  events: CoreEvents;
  acceptHostedReturn(params: Record<string, string>): Promise<HostedReturnResult>;
  close(): void | Promise<void>;
}

export interface OpenedCore {
  core: ShellCore;
  /** Origin of the gateway's hosted card page: the only origin the window may frame. */
  gatewayOrigin: string;
  /**
   * The same, asked at every check: it follows the gateway account the station is on (Settings →
   * Gateway). The renderer reloads after a switch so the page's CSP is rebuilt from it.
   */
  currentGatewayOrigin?: () => string;
}

export interface LifecycleDeps {
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit' | 'whenReady' | 'isPackaged'>;
  protocol: Pick<Protocol, 'handle'>;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  getSession: () => Session;
  createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  /** preload: the POS window's; unlockPreload: the unlock window's (window.unlock only). */
  paths: { preload: string; unlockPreload: string; rendererRoot: string };
  /**
   * Opens the ledger (choosing the key protector), starts the gateway, builds the core. When the
   * key needs a passphrase it calls askPassphrase, which shows the unlock window.
   */
  openCore: (hostedReturnUrl: string, askPassphrase: PassphrasePrompt) => Promise<OpenedCore>;
  /** Fatal start-up problems (e.g. the keychain is gone); shown to the user, then the app quits. */
  fatal: (title: string, detail: string) => void;
  log: (msg: string, detail?: Record<string, unknown>) => void;
  /** Tests: the clock of the unlock window's retry delay. */
  now?: () => number;
  /** The station's locale (settings), for the unlock window's language. */
  stationLocale?: () => string | null;
}

export interface Running {
  getWindow(): BrowserWindow | null;
}

/**
 * The main process's lifecycle, with Electron passed in so tests drive it with fakes. main.ts
 * only supplies the real modules. Order matters: the lock first (a second instance must not touch
 * the ledger), hardening before any WebContents loads, the core before the window asks for it.
 */
export function runLifecycle(deps: LifecycleDeps): Running | null {
  const { app } = deps;
  // One instance per user profile: two processes on one SQLite ledger and one outbox would
  // forward queued refunds twice.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  let window: BrowserWindow | null = null;
  let core: ShellCore | null = null;
  let gatewayOrigin: (() => string) | null = null;
  let closing: Promise<void> | null = null;
  const getWindow = () => (window && !window.isDestroyed() ? window : null);
  // Shown only if the ledger key needs a passphrase; its IPC exists only while it asks.
  const unlock = createUnlockWindow({
    ipcMain: deps.ipcMain,
    createWindow: deps.createWindow,
    preloadPath: deps.paths.unlockPreload,
    isPackaged: app.isPackaged,
    log: deps.log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.stationLocale ? { stationLocale: deps.stationLocale } : {}),
  });

  app.on('second-instance', () => {
    const w = getWindow() ?? unlock.getWindow();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.focus();
  });

  // Every WebContents, expected or not, gets the same navigation/new-window/webview limits.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, () => gatewayOrigin?.() ?? null));

  app.on('window-all-closed', () => app.quit());

  // Closing the core (WAL checkpoint, sandbox server) is async: hold the quit until it is done.
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    closing ??= Promise.resolve()
      .then(() => core?.close())
      .catch((e: unknown) => deps.log('core close failed', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        core = null;
        app.quit();
      });
  });

  void app.whenReady().then(async () => {
    const ses = deps.getSession();
    hardenSession(ses);
    handleAppProtocol(deps.protocol, {
      root: deps.paths.rendererRoot,
      getGatewayOrigin: () => gatewayOrigin?.() ?? 'https://gateway.invalid',
    });

    let opened: OpenedCore;
    try {
      opened = await deps.openCore(HOSTED_RETURN_URL, unlock.prompt);
    } catch (e) {
      // Closing the unlock window is "do not start": no error box for that.
      if (!(e instanceof UnlockCancelledError)) deps.fatal('The point of sale could not start', e instanceof Error ? e.message : String(e));
      unlock.close();
      app.quit();
      return;
    }
    core = opened.core;
    const fixedOrigin = opened.gatewayOrigin;
    gatewayOrigin = opened.currentGatewayOrigin ?? (() => fixedOrigin);
    const live = opened.core;

    interceptHostedReturn(ses, {
      accept: (params) => live.acceptHostedReturn(params),
      isOurWebContents: (id) => id !== undefined && getWindow()?.webContents.id === id,
      log: deps.log,
    });
    registerIpc({
      ipcMain: deps.ipcMain,
      getWindow,
      dispatch: live.dispatch,
      onRefused: (channel, reason) => deps.log('ipc call refused', { channel, reason }),
    });
    forwardEvents(live.events, getWindow);

    window = deps.createWindow(buildWindowOptions({ preloadPath: deps.paths.preload, isPackaged: app.isPackaged }));
    // The unlock window (if any) stays until the main window can be shown, so there is never a
    // moment without a window (which would quit the app) or with nothing on screen.
    window.once('ready-to-show', () => {
      window?.show();
      unlock.close();
    });
    window.on('closed', () => {
      window = null;
    });
    try {
      await window.loadURL(APP_ENTRY_URL);
    } finally {
      unlock.close();
    }
  });

  return { getWindow };
}
