/**
 * Electron entry point (bundled to dist-electron/main.cjs). It only supplies the real Electron
 * modules and paths to runLifecycle (lifecycle.ts), which is unit-tested with fakes.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import pino from 'pino';
import { runLifecycle } from './lifecycle';
import { openDesktopCore } from './open-core';
import { APP_SCHEME_PRIVILEGES } from './protocol';
import { ElectronSettingsStore } from './settings-store';

// Both must happen before 'ready': the scheme's privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

const log = pino(
  { level: app.isPackaged ? 'info' : 'debug', base: undefined },
  pino.destination({ dest: path.join(app.getPath('userData'), 'logs', 'main.log'), mkdir: true, sync: false }),
);

/**
 * Where safeStorage cannot protect the key (Linux without a keyring) the ledger needs a
 * passphrase. Until the screen has a passphrase prompt, it comes from POS_PASSPHRASE, as in web
 * mode; without it the app explains and quits rather than storing the key unprotected.
 */
async function askPassphrase(reason: string): Promise<string> {
  const fromEnv = process.env.POS_PASSPHRASE;
  if (fromEnv && fromEnv.length >= 8) return fromEnv;
  throw new Error(
    `This system has no usable keyring (${reason}), so the ledger key needs a passphrase. ` +
      'Start the app with POS_PASSPHRASE set (at least 8 characters), or unlock a keyring (GNOME Keyring, KWallet).',
  );
}

runLifecycle({
  app,
  protocol,
  ipcMain,
  getSession: () => session.defaultSession,
  createWindow: (options) => new BrowserWindow(options),
  paths: {
    // main.cjs and preload.cjs sit side by side in dist-electron/; the screen in dist/renderer/.
    preload: path.join(__dirname, 'preload.cjs'),
    rendererRoot: path.join(__dirname, '..', 'dist', 'renderer'),
  },
  openCore: (hostedReturnUrl) =>
    openDesktopCore({
      userData: app.getPath('userData'),
      hostedReturnUrl,
      safeStorage,
      settings: new ElectronSettingsStore(),
      log,
      askPassphrase,
    }),
  fatal: (title, detail) => dialog.showErrorBox(title, detail),
  log: (msg, detail) => log.info(detail ?? {}, msg),
});
