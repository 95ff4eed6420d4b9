import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Request checks of web mode. The server listens on loopback only, but any web page the user
 * visits can still reach 127.0.0.1: the Host check defeats DNS rebinding (a hostile name resolving
 * to 127.0.0.1 sends its own Host), the Origin check refuses cross-site requests, and the
 * per-launch secret proves the caller got the URL we printed.
 */

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison; hashing first makes the lengths equal without leaking them. */
export function secretMatches(given: string | undefined, secret: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 200) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** No Origin header (same-origin GET, curl) is fine; a present one must be ours. */
export function originAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  for (const h of hosts) if (origin === `http://${h}`) return true;
  return false;
}

/** The page's per-tab id: short and plain, so it can be a map key and a log field. */
export const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v; // a repeated header is ambiguous: treat it as absent
}
