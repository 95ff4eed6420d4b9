import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

/**
 * The renderer's built files (dist/renderer), served read-only. Only regular files below the
 * static root; anything else is a 404 (no directory listings, no path escapes).
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface CspInput {
  /** Our own origin as the browser sees it (http://127.0.0.1:<port> or http://localhost:<port>). */
  self: string;
  /** The hosted card page's origin: the only thing the app may frame or post a form to. */
  gatewayOrigin: string;
}

/**
 * The app page's policy. frame-src also names our /hosted/return path: the gateway sends the card
 * frame back there, and a frame navigation is checked against frame-src (a path given in a source
 * is ignored after a redirect, but still keeps everything else of ours out of frames).
 */
export function appCsp({ self, gatewayOrigin }: CspInput): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${gatewayOrigin} ${self}/hosted/return`,
    `form-action ${gatewayOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function commonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** Resolves a URL path to a file under root, or null when it escapes root or is odd. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(join(base, rel));
  if (full !== base && !full.startsWith(base + sep)) return null;
  return full;
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, csp: CspInput): Promise<void> {
  const file = resolveStatic(root, urlPath);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    const missingApp = urlPath === '/' || urlPath === '/index.html';
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(missingApp ? 'The screen is not built: run `npm run web` without --no-build (or `npx vite build`).' : 'Not found');
    return;
  }
  const body = await readFile(file);
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = { 'Content-Type': type, 'Content-Length': String(body.length) };
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = appCsp(csp);
    headers['X-Frame-Options'] = 'DENY';
    headers['Cache-Control'] = 'no-store';
  } else {
    // Vite names built assets by content hash; everything else is re-checked.
    headers['Cache-Control'] = urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  }
  res.writeHead(200, headers);
  res.end(body);
}
