import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP exchange, with every way it can go wrong turned into a value. Nothing here throws: the
 * caller must be able to record "we do not know" (pending) for any fault, and an unhandled throw in
 * the middle of a payment is exactly the kind of fault that must not exist. No retries here either:
 * resending is the core's decision, after check status.
 */
export type TransportResult =
  /** The whole body arrived (it may still be unparsable: that is for the caller to judge). */
  | { kind: 'response'; status: number; body: string; durationMs: number }
  /** No answer within the time limit: the gateway may have acted. */
  | { kind: 'timeout'; detail: string; durationMs: number }
  /** The connection failed before a response status arrived (refused, reset, DNS, TLS). */
  | { kind: 'network'; detail: string; durationMs: number }
  /** The status arrived but the body was cut off (reset or early close mid-body). */
  | { kind: 'truncated'; status: number; detail: string; durationMs: number };

export interface HttpRequest {
  method: 'GET' | 'POST' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** A socket error's code with its message for the operator (never the body). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return [typeof code === 'string' ? code : undefined, err.message].filter(Boolean).join(': ');
}

// Kept-alive connections to the gateway, reused across requests (a payment API call is small: the
// handshake would cost more than the exchange). Node's own clients rather than fetch: fetch costs
// about three times the CPU per exchange (streams, structured clones), and the forwarder is bound
// by this process's CPU (docs/decisions/gateway-transport.md).
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

const USER_AGENT = 'moto-pos (APS client)';

export function httpExchange(req: HttpRequest): Promise<TransportResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol ${url.protocol}`);
  } catch (err) {
    return Promise.resolve({ kind: 'network', detail: describe(err), durationMs: elapsed() });
  }
  return new Promise<TransportResult>((resolve) => {
    let settled = false;
    const settle = (r: TransportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    // fetch sent a user agent; a gateway's firewall may refuse a request without one.
    const headers: Record<string, string | number> = { 'user-agent': USER_AGENT, ...req.headers };
    if (body) headers['content-length'] = body.length;
    // The status line, then the body: `status` is set once the headers arrived (a fault after it is truncation).
    let status: number | null = null;
    // One timer for the headers AND the body: a server that sends headers then stalls is a timeout too.
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', detail: `${status === null ? 'no response' : 'body not complete'} within ${req.timeoutMs} ms`, durationMs: elapsed() });
      request.destroy();
    }, req.timeoutMs);
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: req.method, headers, agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'] }, (res) => {
      status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      // A redirect from a payment API is not an answer: its 3xx is surfaced as a non-2xx status (never followed).
      res.on('end', () => {
        if (res.complete) settle({ kind: 'response', status: status!, body: req.method === 'HEAD' ? '' : Buffer.concat(chunks).toString('utf8'), durationMs: elapsed() });
        else settle({ kind: 'truncated', status: status!, detail: 'connection closed before the end of the body', durationMs: elapsed() });
      });
      res.on('aborted', () => settle({ kind: 'truncated', status: status!, detail: 'connection closed before the end of the body', durationMs: elapsed() }));
      res.on('error', (err) => settle({ kind: 'truncated', status: status!, detail: describe(err), durationMs: elapsed() }));
    });
    request.on('error', (err) => {
      if (status === null) settle({ kind: 'network', detail: describe(err), durationMs: elapsed() });
      else settle({ kind: 'truncated', status, detail: describe(err), durationMs: elapsed() });
    });
    request.end(body);
  });
}
