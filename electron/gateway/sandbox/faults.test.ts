import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from './server';
import { M, api, charge, responseSignatureOk, signRequest, tokenName } from './test-support';
import type { SandboxHandle } from './types';

let sb: SandboxHandle;
let visa: string;

beforeAll(async () => {
  sb = await startSandbox();
  visa = await tokenName(sb);
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.control.clearFaults();
  sb.control.setReachable(true);
});

function purchaseBody(amount = '1000'): { body: string; reference: string } {
  const req = signRequest({ ...charge('PURCHASE', visa, amount), access_code: M.accessCode, merchant_identifier: M.merchantIdentifier, language: 'en' });
  return { body: JSON.stringify(req), reference: req['merchant_reference'] as string };
}

/** Posts with a client timeout; resolves to what the client saw. */
async function send(body: string, timeoutMs = 2_000): Promise<{ kind: 'response'; status: number; text: string } | { kind: 'error'; name: string }> {
  try {
    const res = await fetch(sb.paymentApiUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
    return { kind: 'response', status: res.status, text: await res.text() };
  } catch (e) {
    return { kind: 'error', name: (e as Error).name };
  }
}

describe('faults', () => {
  it('latency delays the reply, then processes normally', async () => {
    sb.control.injectFault({ kind: 'latency', delayMs: 150 });
    const { body } = purchaseBody();
    const started = Date.now();
    const res = await send(body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.kind === 'response' && JSON.parse(res.text).status).toBe('14');
  });

  it('timeout_before_commit: no reply, nothing applied', async () => {
    sb.control.injectFault({ kind: 'timeout_before_commit', delayMs: 5_000 });
    const { body, reference } = purchaseBody();
    const count = sb.control.operationCount();
    expect((await send(body, 200)).kind).toBe('error');
    expect(sb.control.order(reference)).toBeUndefined();
    expect(sb.control.operationCount()).toBe(count);
  });

  it('timeout_after_commit: no reply, but the charge IS applied', async () => {
    sb.control.injectFault({ kind: 'timeout_after_commit', delayMs: 5_000, match: { command: 'PURCHASE' } });
    const { body, reference } = purchaseBody();
    expect((await send(body, 200)).kind).toBe('error');
    expect(sb.control.order(reference)).toMatchObject({ status: 'captured', capturedAmount: 1000 });
    const status = await api(sb, { query_command: 'CHECK_STATUS', merchant_reference: reference });
    expect(status).toMatchObject({ transaction_status: '14', captured_amount: '1000' });
  });

  it('timeout with a short hold closes the connection without a reply', async () => {
    sb.control.injectFault({ kind: 'timeout_after_commit', delayMs: 50 });
    const { body, reference } = purchaseBody();
    expect((await send(body, 2_000)).kind).toBe('error');
    expect(sb.control.order(reference)).toBeDefined();
  });

  it.each(['http_500', 'http_503'] as const)('%s: 5xx reply, nothing applied', async (kind) => {
    sb.control.injectFault({ kind });
    const { body, reference } = purchaseBody();
    const res = await send(body);
    expect(res.kind === 'response' && res.status).toBe(kind === 'http_500' ? 500 : 503);
    expect(sb.control.order(reference)).toBeUndefined();
  });

  it('reset_before_commit: connection reset, nothing applied', async () => {
    sb.control.injectFault({ kind: 'reset_before_commit' });
    const { body, reference } = purchaseBody();
    expect((await send(body)).kind).toBe('error');
    expect(sb.control.order(reference)).toBeUndefined();
  });

  it('reset_after_commit: connection reset, the charge IS applied', async () => {
    sb.control.injectFault({ kind: 'reset_after_commit' });
    const { body, reference } = purchaseBody();
    expect((await send(body)).kind).toBe('error');
    expect(sb.control.order(reference)?.status).toBe('captured');
  });

  it('truncated: half a JSON body then the connection is cut; applied', async () => {
    sb.control.injectFault({ kind: 'truncated' });
    const { body, reference } = purchaseBody();
    const res = await send(body);
    if (res.kind === 'response') expect(() => JSON.parse(res.text)).toThrow();
    expect(sb.control.order(reference)?.status).toBe('captured');
  });

  it('bad_signature: a complete reply whose signature does not verify; applied', async () => {
    sb.control.injectFault({ kind: 'bad_signature' });
    const { body, reference } = purchaseBody();
    const res = await send(body);
    expect(res.kind).toBe('response');
    const json = JSON.parse((res as { text: string }).text) as Record<string, string>;
    expect(json['status']).toBe('14');
    expect(responseSignatureOk(json)).toBe(false);
    expect(sb.control.order(reference)?.status).toBe('captured');
  });

  it('match, times and probability', async () => {
    sb.control.injectFault({ kind: 'http_503', match: { command: 'CAPTURE' } });
    expect((await send(purchaseBody().body)).kind).toBe('response');
    sb.control.clearFaults();
    sb.control.injectFault({ kind: 'http_500', times: 2 });
    expect(await send(purchaseBody().body)).toMatchObject({ status: 500 });
    expect(await send(purchaseBody().body)).toMatchObject({ status: 500 });
    expect(await send(purchaseBody().body)).toMatchObject({ status: 200 });
    sb.control.injectFault({ kind: 'http_500', probability: 0, times: -1 });
    expect(await send(purchaseBody().body)).toMatchObject({ status: 200 });
    sb.control.clearFaults();
    const { body, reference } = purchaseBody();
    sb.control.injectFault({ kind: 'http_500', times: -1, match: { merchantReference: reference } });
    expect(await send(body)).toMatchObject({ status: 500 });
    expect(await send(body)).toMatchObject({ status: 500 });
    expect(await send(purchaseBody().body)).toMatchObject({ status: 200 });
    expect(() => sb.control.injectFault({ kind: 'nonsense' as never })).toThrow();
  });

  it('unreachable: every paymentApi connection is destroyed; controls still work', async () => {
    sb.control.setReachable(false);
    const { body, reference } = purchaseBody();
    expect((await send(body)).kind).toBe('error');
    expect(sb.control.order(reference)).toBeUndefined();
    expect((await fetch(`${sb.url}/__sandbox/health`)).status).toBe(200);
    sb.control.setReachable(true);
    expect(await send(body)).toMatchObject({ status: 200 });
  });

  it('close() does not hang on a held request', async () => {
    const other = await startSandbox();
    other.control.injectFault({ kind: 'timeout_before_commit' }); // default 30 s hold
    const pending = fetch(other.paymentApiUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('control endpoints over HTTP', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('faults, reachability, clock, orders, health', async () => {
    expect((await post('/__sandbox/faults', { kind: 'http_503', times: 1 })).status).toBe(201);
    expect((await post('/__sandbox/faults', { kind: 'bogus' })).status).toBe(400);
    expect(((await (await fetch(`${sb.url}/__sandbox/faults`)).json()) as { faults: unknown[] }).faults).toHaveLength(1);
    expect(await send(purchaseBody().body)).toMatchObject({ status: 503 });
    await post('/__sandbox/faults', { kind: 'http_503', times: -1 });
    expect((await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(await send(purchaseBody().body)).toMatchObject({ status: 200 });

    expect((await post('/__sandbox/reachable', { reachable: false })).status).toBe(200);
    expect((await send(purchaseBody().body)).kind).toBe('error');
    expect(((await (await fetch(`${sb.url}/__sandbox/health`)).json()) as { reachable: boolean }).reachable).toBe(false);
    await post('/__sandbox/reachable', { reachable: true });
    expect((await post('/__sandbox/reachable', { reachable: 'no' })).status).toBe(400);

    const before = new Date(((await (await fetch(`${sb.url}/__sandbox/clock`)).json()) as { now: string }).now).getTime();
    const advanced = (await (await post('/__sandbox/clock', { advanceMs: 3_600_000 })).json()) as { now: string };
    expect(new Date(advanced.now).getTime() - before).toBeGreaterThanOrEqual(3_600_000);
    const set = (await (await post('/__sandbox/clock', { set: '2031-01-02T03:04:05.000Z' })).json()) as { now: string };
    expect(Math.abs(new Date(set.now).getTime() - Date.parse('2031-01-02T03:04:05.000Z'))).toBeLessThan(1_000);
    expect(Math.abs(sb.control.clock.now().getTime() - Date.parse('2031-01-02T03:04:05.000Z'))).toBeLessThan(1_000);
    sb.control.clock.set(new Date());
    expect((await post('/__sandbox/clock', { set: 'yesterday' })).status).toBe(400);

    const { body, reference } = purchaseBody('1234');
    await send(body);
    const one = (await (await fetch(`${sb.url}/__sandbox/orders?merchant_reference=${reference}`)).json()) as { orders: { merchantReference: string; capturedAmount: number; operations: unknown[] }[] };
    expect(one.orders).toHaveLength(1);
    expect(one.orders[0]).toMatchObject({ merchantReference: reference, capturedAmount: 1234 });
    expect(one.orders[0]?.operations).toHaveLength(1);
    const all = (await (await fetch(`${sb.url}/__sandbox/orders`)).json()) as { orders: unknown[]; operationCount: number };
    expect(all.orders.length).toBeGreaterThan(1);
    expect(all.operationCount).toBe(sb.control.operationCount());
  });
});
