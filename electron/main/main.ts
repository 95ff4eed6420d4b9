/**
 * Electron entry point (bundled to dist-electron/main.cjs). It only supplies the real Electron
 * modules and paths to runLifecycle (lifecycle.ts), which is unit-tested with fakes.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import pino from 'pino';
import { LOG_REDACTION } from '../gateway/log-redaction';
import { runLifecycle } from './lifecycle';
import { openDesktopCore } from './open-core';
import { takeEnvPassphrase, withEnvPassphrase } from './passphrase';
import { APP_SCHEME_PRIVILEGES } from './protocol';
import { ElectronSettingsStore } from './settings-store';

// Both must happen before 'ready': the scheme's privileges, and the sandbox for every renderer.
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

const log = pino(
  { level: app.isPackaged ? 'info' : 'debug', base: undefined, redact: LOG_REDACTION },
  pino.destination({ dest: path.join(app.getPath('userData'), 'logs', 'main.log'), mkdir: true, sync: false }),
);

/**
 * Where safeStorage cannot protect the key (Linux without a keyring) the ledger needs a
 * passphrase: the unlock window asks for it (lifecycle.ts, unlock.ts). POS_PASSPHRASE, read here
 * once and removed from the environment, answers instead for unattended starts.
 */
let envPassphrase = takeEnvPassphrase(process.env);

/**
 * `--gateway-config FILE` provisions the gateway account at start (docs/going-live.md); the APS
 * URL override exists only in development (`--dev-gateway-urls`, never in a packaged app).
 */
function gatewayFlags(argv: readonly string[], packaged: boolean): { gatewayConfigFile?: string; allowGatewayUrlOverride?: boolean } {
  const i = argv.indexOf('--gateway-config');
  const file = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--gateway-config='))?.slice('--gateway-config='.length);
  return { ...(file ? { gatewayConfigFile: path.resolve(file) } : {}), ...(!packaged && argv.includes('--dev-gateway-urls') ? { allowGatewayUrlOverride: true } : {}) };
}

// One settings store: the unlock window reads the station's locale from it before the ledger opens.
let settings: ElectronSettingsStore | undefined;
const stationSettings = () => (settings ??= new ElectronSettingsStore());

runLifecycle({
  app,
  protocol,
  ipcMain,
  getSession: () => session.defaultSession,
  createWindow: (options) => new BrowserWindow(options),
  paths: {
    // main.cjs and the preloads sit side by side in dist-electron/; the screens in dist/renderer/.
    preload: path.join(__dirname, 'preload.cjs'),
    unlockPreload: path.join(__dirname, 'unlock-preload.cjs'),
    rendererRoot: path.join(__dirname, '..', 'dist', 'renderer'),
  },
  openCore: (hostedReturnUrl, unlockWindow) => {
    const askPassphrase = withEnvPassphrase(envPassphrase, unlockWindow);
    envPassphrase = undefined;
    return openDesktopCore({
      userData: app.getPath('userData'),
      hostedReturnUrl,
      safeStorage,
      settings: stationSettings(),
      log,
      askPassphrase,
      ...gatewayFlags(process.argv, app.isPackaged),
    });
  },
  stationLocale: () => stationSettings().get().locale,
  fatal: (title, detail) => dialog.showErrorBox(title, detail),
  log: (msg, detail) => log.info(detail ?? {}, msg),
});
