import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { APP_ORIGIN, HOSTED_RETURN_ORIGIN, originOf } from './origins';
import { localeSwitch } from '../../shared/unlock/api';

export interface WindowOptionsInput {
  /** Absolute path of dist-electron/preload.cjs. */
  preloadPath: string;
  /** app.isPackaged: devtools only exist in development builds. */
  isPackaged: boolean;
}

/**
 * The main window's options, pure so a test can pin every security-relevant preference. Anything
 * not listed keeps Electron's (secure) default; the list is explicit anyway so a future default
 * change or a careless edit shows up in review and in the test.
 */
export function buildWindowOptions({ preloadPath, isPackaged }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 680,
    show: false, // shown on 'ready-to-show' so a half-painted window never flashes
    title: 'MOTO Point of Sale',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false, // card holder names and customer data are not sent to a spelling service
      // Middle-click would otherwise try to open links in a new window (denied anyway, see below).
      disableBlinkFeatures: 'Auxclick',
      devTools: !isPackaged,
    },
  };
}

/**
 * The unlock window (unlock.ts): small and fixed, the very same webPreferences as the main window
 * (buildWindowOptions) except its own preload, which exposes only `window.unlock`.
 */
export function buildUnlockWindowOptions({ preloadPath, isPackaged, locale }: WindowOptionsInput & { locale?: string | null }): BrowserWindowConstructorOptions {
  const main = buildWindowOptions({ preloadPath, isPackaged });
  // The station's locale, for the page's language (read back by the unlock preload); nothing else.
  const args = localeSwitch(locale);
  return {
    ...main,
    webPreferences: { ...main.webPreferences, ...(args.length ? { additionalArguments: args } : {}) },
    width: 520,
    height: 680,
    minWidth: 420,
    minHeight: 480,
    useContentSize: true,
    resizable: true,
    maximizable: false,
    fullscreenable: false,
    center: true,
    title: 'Unlock — MOTO Point of Sale',
    backgroundColor: '#f5f6f8',
  };
}

export interface NavigationTarget {
  url: string;
  isMainFrame: boolean;
}

/**
 * Where a frame of our window may go. The main frame stays on app://pos. Sub-frames may show the
 * gateway's hosted card page and may be sent to the reserved return URL (which the main process
 * intercepts before any request is made; see hosted-return.ts). Everything else is refused.
 */
export function isNavigationAllowed(target: NavigationTarget, gatewayOrigin: string | null): boolean {
  const origin = originOf(target.url);
  if (target.isMainFrame) return origin === APP_ORIGIN;
  if (target.url === 'about:blank') return true; // an iframe before its first load
  return origin !== null && (origin === gatewayOrigin || origin === HOSTED_RETURN_ORIGIN);
}

type PreventableNavigation = { preventDefault(): void; url: string; isMainFrame: boolean };

/**
 * Hardens one WebContents: navigation limited by isNavigationAllowed, no new windows, no
 * <webview>. Registered for every WebContents the app creates (app 'web-contents-created'), so a
 * WebContents we did not expect is just as locked down.
 */
export function hardenWebContents(contents: WebContents, getGatewayOrigin: () => string | null): void {
  const guard = (event: PreventableNavigation) => {
    if (!isNavigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, getGatewayOrigin())) event.preventDefault();
  };
  // will-navigate covers the main frame (renderer-initiated), will-frame-navigate every frame,
  // will-redirect server redirects of any frame: together no path leaves the allow-list.
  contents.on('will-navigate', (event) => guard(event));
  contents.on('will-frame-navigate', (event) => guard(event));
  contents.on('will-redirect', (event) => guard(event));
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The session refuses every permission (camera, notifications, clipboard read, HID, serial…):
 * a point-of-sale screen needs none, and the gateway's frame must not get any either.
 */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // No downloads: nothing in the app downloads, so anything that tries is refused.
  ses.on('will-download', (event) => event.preventDefault());
}
