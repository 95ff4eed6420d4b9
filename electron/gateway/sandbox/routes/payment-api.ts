import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalid } from '../codes';
import { DEFAULT_LATENCY_MS, DEFAULT_TIMEOUT_HOLD_MS, type FaultRegistry } from '../faults';
import { mediaType, parseForm, parseJsonObject, readBody, sendJson } from '../http';
import { handleApiBody, rejectBody, type ApiContext, type ApiResponse } from '../payment-api';
import type { FaultSpec, SandboxLogger } from '../types';

/**
 * POST /FortAPI/paymentApi: transport around handleApiBody. This is where "gateway down" and the
 * injected faults happen, on either side of the commit: a *_before_commit fault never reaches
 * handleApiBody; an *_after_commit one (and truncated / bad_signature) lets the operation be
 * applied and then spoils the reply.
 */

export interface PaymentApiDeps {
  ctx: ApiContext;
  faults: FaultRegistry;
  isReachable(): boolean;
  /** Aborted when the server closes: held requests stop waiting and their sockets are destroyed. */
  shutdown: AbortSignal;
  logger?: SandboxLogger;
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted by shutdown: stop waiting
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export async function handlePaymentApi(deps: PaymentApiDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Gateway down: the connection dies before anything is read or applied.
  if (!deps.isReachable()) {
    req.socket.destroy();
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, invalid('073'));
    return;
  }
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') reply(deps, res, invalid('073'), 'too large');
    else req.socket.destroy();
    return;
  }
  const type = mediaType(req);
  const parsed = parseJsonObject(body.text);
  if (type !== 'application/json') {
    const fields = parsed ?? (type === 'application/x-www-form-urlencoded' ? parseForm(body.text) : undefined);
    reply(deps, res, rejectBody(deps.ctx, fields, invalid('073')), 'wrong content type');
    return;
  }
  if (!parsed) {
    reply(deps, res, invalid('073'), 'not a JSON object');
    return;
  }

  const fault = deps.faults.take({
    command: str(parsed['command']) ?? str(parsed['query_command']) ?? str(parsed['service_command']),
    merchantReference: str(parsed['merchant_reference']),
    merchantIdentifier: str(parsed['merchant_identifier']),
  });
  if (fault) deps.logger?.warn({ fault: fault.kind, merchantReference: parsed['merchant_reference'] }, 'sandbox fault injected');

  if (fault && (await beforeCommit(deps, fault, req, res))) return;
  if (deps.shutdown.aborted) {
    req.socket.destroy();
    return;
  }

  const response = handleApiBody(deps.ctx, parsed);
  deps.logger?.info(
    {
      command: parsed['command'] ?? parsed['query_command'] ?? parsed['service_command'],
      merchantReference: parsed['merchant_reference'],
      responseCode: response['response_code'],
    },
    'paymentApi',
  );

  if (fault) await afterCommit(deps, fault, req, res, response);
  else sendJson(res, 200, response);
}

/** Runs the part of a fault that happens before the commit; true when the request is finished. */
async function beforeCommit(deps: PaymentApiDeps, fault: FaultSpec, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'latency':
      await pause(fault.delayMs ?? DEFAULT_LATENCY_MS, deps.shutdown);
      return false;
    case 'timeout_before_commit':
      await pause(fault.delayMs ?? DEFAULT_TIMEOUT_HOLD_MS, deps.shutdown);
      req.socket.destroy();
      return true;
    case 'reset_before_commit':
      await pause(fault.delayMs ?? 0, deps.shutdown);
      req.socket.destroy();
      return true;
    case 'http_500':
    case 'http_503': {
      // 5xx happen in front of the gateway (load balancer): nothing is applied.
      await pause(fault.delayMs ?? 0, deps.shutdown);
      const code = fault.kind === 'http_500' ? 500 : 503;
      const text = `<html><body><h1>${code} ${code === 500 ? 'Internal Server Error' : 'Service Temporarily Unavailable'}</h1></body></html>`;
      res.writeHead(code, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
      res.end(text);
      return true;
    }
    default:
      return false;
  }
}

async function afterCommit(deps: PaymentApiDeps, fault: FaultSpec, req: IncomingMessage, res: ServerResponse, response: ApiResponse): Promise<void> {
  switch (fault.kind) {
    case 'timeout_after_commit':
      await pause(fault.delayMs ?? DEFAULT_TIMEOUT_HOLD_MS, deps.shutdown);
      req.socket.destroy();
      return;
    case 'reset_after_commit':
      await pause(fault.delayMs ?? 0, deps.shutdown);
      req.socket.destroy();
      return;
    case 'truncated': {
      // Announce the full length, send half, cut the connection.
      await pause(fault.delayMs ?? 0, deps.shutdown);
      const text = JSON.stringify(response);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      return;
    }
    case 'bad_signature': {
      await pause(fault.delayMs ?? 0, deps.shutdown);
      const sig = response['signature'] ?? '';
      // Flip the first hex digit: same shape, wrong value.
      const bad = sig ? `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}` : '0'.repeat(64);
      sendJson(res, 200, { ...response, signature: bad });
      return;
    }
    default:
      // latency: the delay already happened before the commit.
      sendJson(res, 200, response);
  }
}

function reply(deps: PaymentApiDeps, res: ServerResponse, response: ApiResponse, why: string): void {
  deps.logger?.info({ responseCode: response['response_code'], why }, 'paymentApi refused');
  sendJson(res, 200, response);
}
