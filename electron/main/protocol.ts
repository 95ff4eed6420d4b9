import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, APP_UNLOCK_PATH, HOSTED_RETURN_ORIGIN } from './origins';

/**
 * Privileges of app://. `standard` gives it real origins and relative URL resolution, `secure`
 * makes it a secure context (like https), `supportFetchAPI` lets the page fetch its own assets.
 * `codeCache` keeps V8's compiled code of the bundle between window loads, as http(s) pages get
 * by default (custom schemes do not): without it every start parses and compiles the whole
 * bundle again (docs/decisions/electron-shell.md). No `bypassCSP`, no `corsEnabled`, no `stream`:
 * nothing here needs them. Must be registered before the app is ready.
 */
export const APP_SCHEME_PRIVILEGES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
] as const;

/**
 * The Content-Security-Policy of every document served from app://pos. No inline script, no
 * eval, nothing from the network except the gateway's card page in a frame. frame-src also names
 * the reserved return origin: after the card is typed, the gateway's page posts the result to the
 * return URL inside that frame, and CSP checks that frame navigation before the main process
 * intercepts it (hosted-return.ts), so it must be allowed here. It never reaches the network.
 * form-action is the gateway's origin: the page posts the signed tokenization form into the frame.
 */
export function buildCsp(gatewayOrigin: string): string {
  const gateway = normaliseOrigin(gatewayOrigin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    `frame-src ${gateway} ${HOSTED_RETURN_ORIGIN}`,
    `form-action ${gateway}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The unlock page's policy (app://pos/unlock.html, shown before the ledger is open): its own
 * script and styles, and nothing else. No frames, no form posts (the form is handled by script and
 * never submitted), no fetch: the passphrase leaves the page only through the preload's IPC.
 */
export const UNLOCK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "font-src 'self'",
  "frame-src 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** An origin safe to put in a CSP source list: http(s), no path, no wildcard, no quotes. */
function normaliseOrigin(origin: string): string {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    throw new TypeError(`Not a gateway origin: ${origin}`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    // Plain http is only acceptable for the embedded sandbox on this machine.
    throw new TypeError(`The gateway origin must be https (or http on loopback): ${origin}`);
  }
  return u.origin;
}

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps an app://pos/… URL to a file under root, or null. Refuses other hosts, encoded slashes and
 * backslashes, NUL, dot segments and anything that resolves outside root (path traversal).
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST) return null;
  const raw = u.pathname;
  if (/%2f|%5c|%00/i.test(raw) || raw.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((seg) => seg === '..' || seg === '.')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const full = path.resolve(base, rel);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}

export interface AppProtocolOptions {
  /** dist/renderer */
  root: string;
  /** Read per request so a gateway change is reflected in the next document. */
  getGatewayOrigin: () => string;
  readFileImpl?: (file: string) => Promise<Buffer>;
}

/** The app:// request handler, separate from protocol.handle so a test can call it directly. */
export function createAppRequestHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const read = opts.readFileImpl ?? ((f: string) => readFile(f));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppPath(opts.root, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    let body: Buffer;
    try {
      body = await read(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    };
    if (type.startsWith('text/html')) {
      const unlockPage = file === path.resolve(opts.root, APP_UNLOCK_PATH.slice(1));
      headers['Content-Security-Policy'] = unlockPage ? UNLOCK_CSP : buildCsp(opts.getGatewayOrigin());
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** Serves dist/renderer on app://pos. Call after the app is ready. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, opts: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(opts));
}
