import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small HTTP helpers shared by the routes. */

/** Largest request body the sandbox reads (APS requests are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Past this many bytes the sender is abusive: the connection is cut instead of answered. */
const HARD_LIMIT_BYTES = 16 * 1024 * 1024;

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads the body as UTF-8 text up to `limit` bytes. A larger body is drained (not buffered) so the
 * client still receives a proper error reply instead of a reset mid-upload.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_LIMIT_BYTES) {
        req.destroy();
        return;
      }
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, reason: 'too_large' } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ ok: false, reason: 'aborted' });
    });
  });
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export interface HtmlOptions {
  /** CSP frame-ancestors sources; the page may be framed by these. */
  frameAncestors?: string[];
  /** Extra CSP form-action sources (e.g. the merchant's return_url origin). */
  formAction?: string[];
}

/**
 * HTML pages carry a strict CSP: no inline script (scripts come from /FortAPI/static/), inline
 * <style> only, no external resources. Framing is limited by frame-ancestors, never by
 * X-Frame-Options, so the POS window on 127.0.0.1 can host the card form in an iframe.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, opts: HtmlOptions = {}): void {
  const ancestors = opts.frameAncestors?.length ? opts.frameAncestors.join(' ') : "'self'";
  const formAction = ["'self'", ...(opts.formAction ?? [])].join(' ');
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors ${ancestors}; base-uri 'none'`,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/** Parses a JSON object body; undefined when the text is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Form fields as a plain object; the last value wins for repeated names. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}
