import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import type { Session, WebContents } from 'electron';
import { buildUnlockWindowOptions, buildWindowOptions, hardenSession, hardenWebContents, isNavigationAllowed } from './window';

const GATEWAY = 'https://sbcheckout.payfort.com';

describe('buildWindowOptions', () => {
  it('pins every security-relevant web preference', () => {
    const opts = buildWindowOptions({ preloadPath: '/app/dist-electron/preload.cjs', isPackaged: true });
    expect(opts.webPreferences).toEqual({
      preload: '/app/dist-electron/preload.cjs',
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
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(opts.show).toBe(false);
  });

  it('has devtools only in a development (unpackaged) build', () => {
    expect(buildWindowOptions({ preloadPath: '/p', isPackaged: false }).webPreferences?.devTools).toBe(true);
    expect(buildWindowOptions({ preloadPath: '/p', isPackaged: true }).webPreferences?.devTools).toBe(false);
  });

  it('sets nothing that loosens the defaults', () => {
    const prefs = buildWindowOptions({ preloadPath: '/p', isPackaged: true }).webPreferences as Record<string, unknown>;
    for (const k of ['enableBlinkFeatures', 'additionalArguments', 'partition', 'webgl', 'plugins', 'enableRemoteModule']) expect(prefs).not.toHaveProperty(k);
  });
});

describe('buildUnlockWindowOptions', () => {
  it('has exactly the main window web preferences, with its own preload', () => {
    for (const isPackaged of [true, false]) {
      const unlock = buildUnlockWindowOptions({ preloadPath: '/app/dist-electron/unlock-preload.cjs', isPackaged });
      const main = buildWindowOptions({ preloadPath: '/app/dist-electron/unlock-preload.cjs', isPackaged });
      expect(unlock.webPreferences).toEqual(main.webPreferences);
    }
  });

  it('hands the station locale to its preload, and nothing that is not a locale', () => {
    const unlock = buildUnlockWindowOptions({ preloadPath: '/p', isPackaged: true, locale: 'ar-KW' });
    const main = buildWindowOptions({ preloadPath: '/p', isPackaged: true });
    expect(unlock.webPreferences).toEqual({ ...main.webPreferences, additionalArguments: ['--pos-station-locale=ar-KW'] });
    for (const odd of ['', null, 'ar KW', '--inspect', 'ar-KW --no-sandbox', 'x'.repeat(40)]) {
      expect(buildUnlockWindowOptions({ preloadPath: '/p', isPackaged: true, locale: odd }).webPreferences, String(odd)).toEqual(main.webPreferences);
    }
  });

  it('is a small window, shown when painted', () => {
    const unlock = buildUnlockWindowOptions({ preloadPath: '/p', isPackaged: true });
    expect(unlock).toMatchObject({ width: 520, height: 680, show: false, maximizable: false, fullscreenable: false });
    expect(unlock.title).toMatch(/Unlock/);
  });
});

describe('isNavigationAllowed', () => {
  it('keeps the main frame on app://pos', () => {
    expect(isNavigationAllowed({ url: 'app://pos/index.html', isMainFrame: true }, GATEWAY)).toBe(true);
    for (const url of [`${GATEWAY}/FortAPI/paymentPage`, 'https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'http://127.0.0.1:9/', 'javascript:alert(1)', 'about:blank']) {
      expect(isNavigationAllowed({ url, isMainFrame: true }, GATEWAY), url).toBe(false);
    }
  });

  it('lets sub-frames show only the gateway card page and the reserved return URL', () => {
    expect(isNavigationAllowed({ url: `${GATEWAY}/FortAPI/paymentPage`, isMainFrame: false }, GATEWAY)).toBe(true);
    expect(isNavigationAllowed({ url: 'https://hosted-return.pos.invalid/return', isMainFrame: false }, GATEWAY)).toBe(true);
    expect(isNavigationAllowed({ url: 'about:blank', isMainFrame: false }, GATEWAY)).toBe(true);
    for (const url of ['https://evil.example/', 'http://sbcheckout.payfort.com/', 'https://sbcheckout.payfort.com.evil.example/', 'app://pos/index.html', 'file:///tmp/x', 'data:text/html,hi']) {
      expect(isNavigationAllowed({ url, isMainFrame: false }, GATEWAY), url).toBe(false);
    }
    expect(isNavigationAllowed({ url: `${GATEWAY}/x`, isMainFrame: false }, null)).toBe(false);
  });
});

type Handler = (...args: unknown[]) => unknown;

function fakeContents() {
  const on = new Map<string, Handler[]>();
  let openHandler: Handler | null = null;
  const contents = {
    on: vi.fn((name: string, fn: Handler) => {
      on.set(name, [...(on.get(name) ?? []), fn]);
      return contents;
    }),
    setWindowOpenHandler: vi.fn((fn: Handler) => {
      openHandler = fn;
    }),
  };
  const fire = (name: string, ...args: unknown[]) => (on.get(name) ?? []).forEach((fn) => fn(...args));
  return { contents: contents as unknown as WebContents, fire, openHandler: () => openHandler, on };
}

function navEvent(url: string, isMainFrame: boolean) {
  return { url, isMainFrame, preventDefault: vi.fn() };
}

describe('hardenWebContents', () => {
  it('prevents main-frame navigation and redirects away from app://pos', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, () => GATEWAY);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navEvent('https://evil.example/phish', true);
      f.fire(name, away);
      expect(away.preventDefault, name).toHaveBeenCalled();
      const home = navEvent('app://pos/index.html#/orders', true);
      f.fire(name, home);
      expect(home.preventDefault, name).not.toHaveBeenCalled();
    }
  });

  it('lets the card frame reach the gateway but not elsewhere', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, () => GATEWAY);
    const ok = navEvent(`${GATEWAY}/FortAPI/paymentPage`, false);
    f.fire('will-frame-navigate', ok);
    expect(ok.preventDefault).not.toHaveBeenCalled();
    const bad = navEvent('https://evil.example/', false);
    f.fire('will-frame-navigate', bad);
    f.fire('will-redirect', bad);
    expect(bad.preventDefault).toHaveBeenCalledTimes(2);
  });

  it('denies every new window and every <webview>', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, () => GATEWAY);
    const handler = f.openHandler();
    expect(handler).not.toBeNull();
    for (const url of ['app://pos/index.html', `${GATEWAY}/`, 'https://evil.example/']) expect(handler!({ url })).toEqual({ action: 'deny' });
    const attach = { preventDefault: vi.fn() };
    f.fire('will-attach-webview', attach, {}, { src: 'https://evil.example' });
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check, every device and every download', () => {
    const handlers: Record<string, Handler> = {};
    const ses = {
      setPermissionRequestHandler: vi.fn((fn: Handler) => (handlers.request = fn)),
      setPermissionCheckHandler: vi.fn((fn: Handler) => (handlers.check = fn)),
      setDevicePermissionHandler: vi.fn((fn: Handler) => (handlers.device = fn)),
      on: vi.fn((name: string, fn: Handler) => (handlers[name] = fn)),
    };
    hardenSession(ses as unknown as Session);
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      const cb = vi.fn();
      handlers.request!({}, perm, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect(handlers.check!({}, perm, 'app://pos', {})).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
    const dl = { preventDefault: vi.fn() };
    handlers['will-download']!(dl, {}, {});
    expect(dl.preventDefault).toHaveBeenCalled();
  });
});
