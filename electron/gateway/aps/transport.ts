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

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Node's fetch wraps the socket error in `cause`; surface its code for the operator, never the body. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const code = (cause as { code?: unknown }).code;
    const msg = (cause as { message?: unknown }).message;
    return [err.message, typeof code === 'string' ? code : undefined, typeof msg === 'string' ? msg : undefined]
      .filter(Boolean)
      .join(': ');
  }
  return err.message;
}

export async function httpExchange(req: HttpRequest): Promise<TransportResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  // One signal for the headers AND the body: a server that sends headers then stalls is a timeout too.
  const signal = AbortSignal.timeout(req.timeoutMs);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      // A redirect from a payment API is not an answer; surface its 3xx as a non-2xx status.
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch (err) {
    if (isTimeout(err) || signal.aborted) return { kind: 'timeout', detail: `no response within ${req.timeoutMs} ms`, durationMs: elapsed() };
    return { kind: 'network', detail: describe(err), durationMs: elapsed() };
  }
  try {
    const body = req.method === 'HEAD' ? '' : await res.text();
    return { kind: 'response', status: res.status, body, durationMs: elapsed() };
  } catch (err) {
    if (isTimeout(err) || signal.aborted) return { kind: 'timeout', detail: `body not complete within ${req.timeoutMs} ms`, durationMs: elapsed() };
    return { kind: 'truncated', status: res.status, detail: describe(err), durationMs: elapsed() };
  }
}
