import { createHash } from 'node:crypto';

/**
 * The page the hosted card frame lands on after the gateway is done. It renders inside our own
 * window's frame, so it says only "received" or the failure message: no card data, no script.
 */

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:0;display:flex;align-items:center;justify-content:center;min-height:100vh;background:#fff;color:#1b1b1b}
p{margin:0;padding:1rem;text-align:center}.ok{color:#0a6b2d}.bad{color:#a4161a}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const HOSTED_RETURN_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  // Only our own app page may frame it.
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function hostedReturnPage(ok: boolean, message: string): string {
  const text = ok ? 'Card received — you can continue.' : message.slice(0, 300) || 'The card was not accepted.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${ok ? 'Card received' : 'Card not accepted'}</title>
<style>${STYLE}</style></head>
<body><p class="${ok ? 'ok' : 'bad'}" role="status">${escapeHtml(text)}</p></body></html>`;
}

// No gateway field has these names; dropping them keeps them away from any object handling later.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The gateway's fields arrive as a form post or a query string. Only the first value of each
 * name counts, names and values are bounded, and nothing ends up on an object prototype.
 */
export function returnParams(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let n = 0;
  for (const [k, v] of search) {
    if (n >= 100) break;
    if (k.length > 100 || v.length > 4000 || k in out || RESERVED.has(k)) continue;
    out[k] = v;
    n++;
  }
  // A plain object again for the core (null-prototype objects surprise some code), built safely.
  return Object.fromEntries(Object.entries(out));
}
