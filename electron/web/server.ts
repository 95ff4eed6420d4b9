import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractErrorShape, Envelope } from '../../shared/contract';
import type { Dispatch } from '../core/dispatch';
import { inputLimit } from '../core/dispatch';
import type { CoreEvents } from '../core/events';
import { BodyTooLarge, readBody } from './body';
import { allowedHosts, header, hostAllowed, newSecret, originAllowed, secretMatches, SESSION_ID } from './guards';
import { HOSTED_RETURN_CSP, hostedReturnPage, returnParams } from './hosted-return';
import { createCallSockets } from './socket';
import { EventHub } from './sse';
import { commonHeaders, serveStatic } from './static';

/**
 * Web mode's HTTP binding of the contract: the same dispatcher as Electron's IPC, reached by
 * `POST /api/call/<channel>` on loopback. Refusals of the request itself (no secret, foreign Host
 * or Origin, wrong content type, too big) get an HTTP error status; everything the dispatcher
 * answers, success or typed error, is HTTP 200 with the Envelope as JSON.
 */

/** What web mode needs of the core (createCore's Core satisfies it). */
export interface WebCore {
  dispatch: Dispatch;
  events: CoreEvents;
  acceptHostedReturn(params: Record<string, string>): Promise<{ sessionId: string | null; ok: boolean; message: string }>;
}

export interface WebServerOptions {
  /**
   * The core, or its promise: the server can listen first (so `--port 0` knows its port, which
   * the core needs for its hosted return URL) and answers 503 until the core is ready.
   */
  core: WebCore | Promise<WebCore>;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 = any free port. */
  port: number;
  /** Loopback only; anything else is refused (the secret travels in plain HTTP). */
  host?: '127.0.0.1' | 'localhost';
  /**
   * Origin of the gateway's hosted card page, e.g. http://127.0.0.1:5181: CSP frame-src and
   * form-action. A function follows the station's gateway account (asked for every page served).
   */
  gatewayOrigin: string | (() => string);
  /** Fixed secret (tests); a fresh random one per launch otherwise. */
  secret?: string;
  /** Body limit of /api/call; defaults to the dispatcher's input limit. */
  maxBodyBytes?: number;
  log?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export interface WebServer {
  /** http://<host>:<port> (no trailing slash, no secret). */
  url: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

const FORM_LIMIT = 64 * 1024;

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: ContractErrorShape['code'], message: string): void {
  // A refused request is not worth keeping the connection for (it may still be uploading).
  res.setHeader('Connection', 'close');
  sendJson(res, status, { ok: false, error: { code, message } });
}

function isJson(req: IncomingMessage): boolean {
  const type = header(req, 'content-type') ?? '';
  return /^application\/json\s*(;|$)/i.test(type);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') throw new Error('Web mode listens on loopback only');
  const originOption = opts.gatewayOrigin;
  const gatewayOrigin = (): string => new URL(typeof originOption === 'function' ? originOption() : originOption).origin;
  gatewayOrigin(); // a bad origin is a start-up error, not a broken page later
  const secret = opts.secret ?? newSecret();
  const hub = new EventHub();
  let core: WebCore | null = null;
  Promise.resolve(opts.core).then(
    (c) => {
      core = c;
      hub.subscribe(c.events);
    },
    () => undefined, // the shell reports its own start-up failure; we keep answering 503
  );
  let hosts = new Set<string>();

  async function apiCall(req: IncomingMessage, res: ServerResponse, channel: string, core: WebCore): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'VALIDATION', 'Use POST');
    if (!secretMatches(header(req, 'x-pos-secret'), secret)) return refuse(res, 401, 'BAD_SENDER', 'Missing or wrong secret');
    if (!isJson(req)) return refuse(res, 415, 'VALIDATION', 'Send application/json');
    const sessionId = header(req, 'x-pos-session');
    if (!sessionId || !SESSION_ID.test(sessionId)) return refuse(res, 400, 'VALIDATION', 'Missing or malformed X-Pos-Session');
    let body: Buffer;
    try {
      body = await readBody(req, opts.maxBodyBytes ?? inputLimit(channel));
    } catch (e) {
      if (e instanceof BodyTooLarge) return refuse(res, 413, 'VALIDATION', 'The input is too large');
      throw e;
    }
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'VALIDATION', 'The body is not valid JSON');
    }
    const envelope = await core.dispatch(channel, input, { sessionKey: `web:${sessionId}`, origin: `web:${req.socket.remoteAddress ?? '?'}` });
    sendJson(res, 200, envelope);
  }

  function events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') return refuse(res, 405, 'VALIDATION', 'Use GET');
    // EventSource cannot send headers: the secret comes in the query (loopback only, never logged).
    if (!secretMatches(url.searchParams.get('k') ?? undefined, secret)) return refuse(res, 401, 'BAD_SENDER', 'Missing or wrong secret');
    const s = url.searchParams.get('s');
    if (!s || !SESSION_ID.test(s)) return refuse(res, 400, 'VALIDATION', 'Missing or malformed session');
    hub.attach(res);
  }

  async function hostedReturn(req: IncomingMessage, res: ServerResponse, url: URL, core: WebCore): Promise<void> {
    // No secret here: the gateway's redirect cannot carry it. The core verifies the gateway's
    // signature over these fields, which is what makes them trustworthy.
    let params: Record<string, string>;
    if (req.method === 'GET') {
      params = returnParams(url.searchParams);
    } else if (req.method === 'POST') {
      const type = header(req, 'content-type') ?? '';
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return refuse(res, 415, 'VALIDATION', 'Send a form');
      try {
        params = returnParams(new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8')));
      } catch (e) {
        if (e instanceof BodyTooLarge) return refuse(res, 413, 'VALIDATION', 'Too large');
        throw e;
      }
    } else {
      return refuse(res, 405, 'VALIDATION', 'Use GET or POST');
    }
    let ok = false;
    let message = 'The card could not be received. Try again.';
    try {
      const result = await core.acceptHostedReturn(params);
      ok = result.ok;
      message = result.message;
    } catch (e) {
      opts.log?.error({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'hosted return failed');
    }
    const html = hostedReturnPage(ok, message);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': HOSTED_RETURN_CSP,
      'X-Frame-Options': 'SAMEORIGIN',
      'Cache-Control': 'no-store',
    });
    res.end(html);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    commonHeaders(res);
    // DNS rebinding: a hostile name pointing at 127.0.0.1 still carries its own Host.
    if (!hostAllowed(req, hosts)) return refuse(res, 421, 'BAD_SENDER', 'Unknown host');
    const self = `http://${header(req, 'host')!.toLowerCase()}`;
    const url = new URL(req.url ?? '/', self);
    const path = url.pathname;

    const needsCore = path === '/hosted/return' || path.startsWith('/api/call/');
    if (needsCore && !core) {
      res.setHeader('Retry-After', '1');
      return refuse(res, 503, 'INTERNAL', 'Starting up: try again in a moment');
    }
    if (path === '/hosted/return') return hostedReturn(req, res, url, core!);
    if (!originAllowed(req, hosts)) return refuse(res, 403, 'BAD_SENDER', 'Foreign origin');
    if (path.startsWith('/api/call/')) {
      let channel: string;
      try {
        channel = decodeURIComponent(path.slice('/api/call/'.length));
      } catch {
        channel = '';
      }
      return apiCall(req, res, channel, core!);
    }
    if (path === '/api/events') return events(req, res, url);
    if (path.startsWith('/api/')) return refuse(res, 404, 'VALIDATION', 'Not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'VALIDATION', 'Method not allowed');
    return serveStatic(opts.staticDir, path, res, { self, gatewayOrigin: gatewayOrigin() });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.log?.error({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'web request failed');
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', 'Something went wrong');
      else res.destroy();
    });
  });
  const sockets = createCallSockets({ hosts: () => hosts, secret, core: () => core, log: opts.log });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    if (!sockets.upgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  // Slow or half-sent requests must not pin connections (SSE responses are not affected).
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port);

  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    secret,
    close() {
      closed ??= new Promise<void>((resolve) => {
        hub.close();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
