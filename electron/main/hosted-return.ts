import type { OnBeforeRequestListenerDetails, Session, UploadData } from 'electron';
import { HOSTED_RETURN_ORIGIN, HOSTED_RETURN_URL } from './origins';

/**
 * The hosted card page's return, taken in the main process. The gateway's page sends the
 * cardholder's frame to HOSTED_RETURN_URL (a form POST, or a GET with a query string). A session
 * webRequest filter catches that request before it is sent, cancels it (the host is under
 * `.invalid` and would never resolve anyway), and hands the fields to the core, which verifies
 * the gateway's signature and keeps the token. The renderer only learns, through the contract
 * event 'hosted.returned', that a session has a result; it then asks payments.hostedResult and
 * gets a card handle with brand and last 4, never a token and never a card number.
 */

/** Far more than any gateway return (APS sends ~20 short fields); anything bigger is not one. */
export const MAX_RETURN_BYTES = 64 * 1024;

export class HostedReturnParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostedReturnParseError';
  }
}

/**
 * application/x-www-form-urlencoded bytes → fields. A repeated field is refused rather than
 * resolved: the signature covers one value per name, and which copy a verifier would read is
 * exactly the ambiguity an attacker would use.
 */
export function parseUrlEncoded(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(body)) {
    if (name === '') continue;
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new HostedReturnParseError(`Repeated field: ${name}`);
    out[name] = value;
  }
  // A plain object again so callers can spread or serialise it normally.
  return { ...out };
}

export interface HostedReturnRequest {
  url: string;
  method: string;
  uploadData?: Pick<UploadData, 'bytes' | 'file' | 'blobUUID'>[] | null;
}

/** Whether a request is for the reserved return URL (exact origin and path; any query). */
export function isHostedReturnUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.origin === HOSTED_RETURN_ORIGIN && `${u.origin}${u.pathname}` === HOSTED_RETURN_URL;
  } catch {
    return false;
  }
}

/**
 * The fields of a hosted-page return: the urlencoded body of a POST, or the query string of a
 * GET. Files, blobs, oversized bodies and a POST with no bytes are refused.
 */
export function parseHostedReturn(req: HostedReturnRequest): Record<string, string> {
  if (!isHostedReturnUrl(req.url)) throw new HostedReturnParseError('Not the hosted return URL');
  const method = req.method.toUpperCase();
  if (method === 'GET') {
    const query = new URL(req.url).search.slice(1);
    if (query.length > MAX_RETURN_BYTES) throw new HostedReturnParseError('Return too large');
    return parseUrlEncoded(query);
  }
  if (method !== 'POST') throw new HostedReturnParseError(`Unexpected method ${req.method}`);
  const parts = req.uploadData ?? [];
  if (parts.length === 0) throw new HostedReturnParseError('Empty return');
  if (parts.some((p) => p.file || p.blobUUID || !p.bytes)) throw new HostedReturnParseError('Unexpected upload in return');
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  if (total > MAX_RETURN_BYTES) throw new HostedReturnParseError('Return too large');
  const body = Buffer.concat(parts.map((p) => p.bytes)).toString('utf8');
  return parseUrlEncoded(body);
}

export interface HostedReturnResult {
  /** null when the return matched no hosted session we started. */
  sessionId: string | null;
  ok: boolean;
  message: string;
}

export interface InterceptOptions {
  /** The core's acceptHostedReturn: verifies the signature, stores the token, emits the event. */
  accept: (params: Record<string, string>) => Promise<HostedReturnResult>;
  /** Only returns arriving in our window are taken; other WebContents ids are just cancelled. */
  isOurWebContents: (webContentsId: number | undefined) => boolean;
  /** Never gets field values (the return holds the token name); only outcomes. */
  log?: (msg: string, detail?: Record<string, unknown>) => void;
}

/**
 * Builds the onBeforeRequest listener. Every request to the reserved origin is cancelled,
 * whatever happens next: the return must never reach any network.
 */
export function createHostedReturnListener(opts: InterceptOptions) {
  return (
    details: Pick<OnBeforeRequestListenerDetails, 'url' | 'method' | 'uploadData' | 'webContentsId' | 'resourceType'>,
    callback: (response: { cancel: boolean }) => void,
  ): void => {
    callback({ cancel: true });
    // Only a frame navigation carries the return; a fetch or an image to that URL is not one.
    if (details.resourceType !== 'subFrame' || !isHostedReturnUrl(details.url)) {
      opts.log?.('hosted return refused', { reason: 'not a frame navigation to the return URL', resourceType: details.resourceType });
      return;
    }
    if (!opts.isOurWebContents(details.webContentsId)) {
      opts.log?.('hosted return refused', { reason: 'not our window' });
      return;
    }
    let params: Record<string, string>;
    try {
      params = parseHostedReturn(details);
    } catch (err) {
      opts.log?.('hosted return refused', { reason: err instanceof Error ? err.message : 'unreadable' });
      return;
    }
    opts.accept(params).then(
      (r) => opts.log?.('hosted return taken', { sessionId: r.sessionId, ok: r.ok }),
      () => opts.log?.('hosted return failed', {}),
    );
  };
}

/** Installs the interceptor on the window's session (one onBeforeRequest listener per session). */
export function interceptHostedReturn(ses: Pick<Session, 'webRequest'>, opts: InterceptOptions): void {
  ses.webRequest.onBeforeRequest({ urls: [`${HOSTED_RETURN_ORIGIN}/*`] }, createHostedReturnListener(opts));
}
