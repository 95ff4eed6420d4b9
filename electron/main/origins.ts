/**
 * The two addresses the Electron shell owns. Kept in one module so the window hardening, the
 * protocol handler, the CSP, the IPC sender check and the hosted-return interceptor cannot drift.
 */

/** The renderer is served from this privileged custom scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/**
 * The unlock page (a second Vite entry, dist/renderer/unlock.html), shown in its own window with
 * its own preload before the ledger is open (unlock.ts).
 */
export const APP_UNLOCK_PATH = '/unlock.html';
export const APP_UNLOCK_URL = `${APP_ORIGIN}${APP_UNLOCK_PATH}`;

/**
 * The hosted card page's return_url. The real gateway only accepts an https return_url, so we
 * reserve one under `.invalid` (RFC 6761: guaranteed never to resolve, so nothing on the network
 * can ever answer for it) and intercept it in the main process before any request leaves.
 */
export const HOSTED_RETURN_ORIGIN = 'https://hosted-return.pos.invalid';
export const HOSTED_RETURN_URL = `${HOSTED_RETURN_ORIGIN}/return`;

/** The origin of a URL, or null when it does not parse. `app://pos/x` → `app://pos`. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // For non-special schemes WHATWG URL reports origin "null"; rebuild it from the parts, which
    // is what Chromium does for a scheme registered as `standard`.
    if (u.protocol === `${APP_SCHEME}:`) return u.host ? `${APP_SCHEME}://${u.host.toLowerCase()}` : null;
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  return originOf(url) === APP_ORIGIN;
}
