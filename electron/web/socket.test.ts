import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { CALL_SOCKET_PATH, CALL_SOCKET_PROTOCOL, parseCallAnswer, parseCallFrame } from '../../shared/contract/call-socket';
import type { Dispatch } from '../core/dispatch';
import { CoreEvents } from '../core/events';
import { startWebServer, type WebCore, type WebServer } from './server';

const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstu';
const GATEWAY = 'http://127.0.0.1:5999';

const dispatch = vi.fn<Dispatch>(async (channel, input) => {
  const wait = (input as { waitMs?: number } | null)?.waitMs ?? 0;
  if (wait) await new Promise((r) => setTimeout(r, wait));
  if (channel === 'boom') throw new Error('handler crashed');
  return { ok: true, value: { channel, input } };
});
const core: WebCore = { dispatch, events: new CoreEvents(), acceptHostedReturn: async () => ({ sessionId: null, ok: false, message: '' }) };
let server: WebServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'web-socket-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>POS</title>');
  server = await startWebServer({ core, staticDir, port: 0, gatewayOrigin: GATEWAY, secret: SECRET });
});
afterAll(() => server.close());
beforeEach(() => dispatch.mockClear());

interface Opened {
  ws: WebSocket;
  call(i: number, c: string, d: unknown): Promise<unknown>;
}

/** Opens a call socket as the page does; resolves with the HTTP status when the upgrade is refused. */
function connect(opts: { port?: number; protocols?: string[]; host?: string; origin?: string; path?: string } = {}): Promise<Opened | number> {
  const port = opts.port ?? server.port;
  const protocols = opts.protocols ?? [CALL_SOCKET_PROTOCOL, `k.${SECRET}`, 's.tab_1'];
  const headers: Record<string, string> = { Host: opts.host ?? `127.0.0.1:${port}`, Origin: opts.origin ?? `http://127.0.0.1:${port}` };
  const ws = new WebSocket(`ws://127.0.0.1:${port}${opts.path ?? CALL_SOCKET_PATH}`, protocols, { headers });
  const answers = new Map<number, (v: unknown) => void>();
  ws.on('message', (data) => {
    const a = parseCallAnswer(String(data));
    if (a) answers.get(a.i)?.(a.e);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () =>
      resolve({
        ws,
        call: (i, c, d) =>
          new Promise((r) => {
            answers.set(i, r);
            ws.send(JSON.stringify({ i, c, d }));
          }),
      }),
    );
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function opened(opts?: Parameters<typeof connect>[0]): Promise<Opened> {
  const c = await connect(opts);
  if (typeof c === 'number') throw new Error(`upgrade refused with ${c}`);
  return c;
}

const closed = (ws: WebSocket) => new Promise<number>((r) => ws.once('close', (code) => r(code)));

describe('web mode: the call socket', () => {
  it('answers a call with the dispatcher envelope, under the tab session and version protocol', async () => {
    const { ws, call } = await opened();
    expect(ws.protocol).toBe(CALL_SOCKET_PROTOCOL);
    expect(await call(1, 'session.status', { a: 1 })).toEqual({ ok: true, value: { channel: 'session.status', input: { a: 1 } } });
    expect(dispatch).toHaveBeenCalledWith('session.status', { a: 1 }, expect.objectContaining({ sessionKey: 'web:tab_1' }));
    ws.close();
  });

  it('answers calls in flight together by their number, whichever finishes first', async () => {
    const { ws, call } = await opened();
    const slow = call(7, 'a.slow', { waitMs: 60 });
    const fast = call(8, 'a.fast', { waitMs: 1 });
    const order: string[] = [];
    await Promise.all([slow.then(() => order.push('slow')), fast.then(() => order.push('fast'))]);
    expect(order).toEqual(['fast', 'slow']);
    expect(await slow).toMatchObject({ ok: true, value: { channel: 'a.slow' } });
    ws.close();
  });

  it('answers INTERNAL when the handler throws, without closing the socket', async () => {
    const { ws, call } = await opened();
    expect(await call(1, 'boom', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong' } });
    expect(await call(2, 'session.status', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('refuses the upgrade without the secret, from a foreign origin or host, without the version, or with a bad session id', async () => {
    const port = server.port;
    expect(await connect({ protocols: [CALL_SOCKET_PROTOCOL, 's.tab_1'] })).toBe(401);
    expect(await connect({ protocols: [CALL_SOCKET_PROTOCOL, 'k.wrong-secret', 's.tab_1'] })).toBe(401);
    expect(await connect({ origin: 'http://evil.example' })).toBe(403);
    expect(await connect({ host: `evil.example:${port}` })).toBe(421);
    expect(await connect({ protocols: [`k.${SECRET}`, 's.tab_1'] })).toBe(400);
    expect(await connect({ protocols: [CALL_SOCKET_PROTOCOL, `k.${SECRET}`, 's.bad!id'] })).toBe(400);
    expect(await connect({ path: '/api/other' })).toBe(404);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('closes the socket on a frame that is not a call, and calls nothing', async () => {
    for (const bad of ['not json', '[]', '{"i":0,"c":"session.status"}', '{"i":1,"c":"bad channel"}', '{"i":1.5,"c":"session.status"}']) {
      const { ws } = await opened();
      const code = closed(ws);
      ws.send(bad);
      expect(await code).toBe(1008);
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses the upgrade with 503 until the core is ready', async () => {
    let ready!: (c: WebCore) => void;
    const starting = await startWebServer({ core: new Promise<WebCore>((r) => (ready = r)), staticDir, port: 0, gatewayOrigin: GATEWAY, secret: SECRET });
    try {
      expect(await connect({ port: starting.port })).toBe(503);
      ready(core);
      await new Promise((r) => setTimeout(r, 0));
      const { ws, call } = await opened({ port: starting.port });
      expect(await call(1, 'session.status', {})).toMatchObject({ ok: true });
      ws.close();
    } finally {
      await starting.close();
    }
  });

  it('drops open sockets when the server closes', async () => {
    const other = await startWebServer({ core, staticDir, port: 0, gatewayOrigin: GATEWAY, secret: SECRET });
    const { ws } = await opened({ port: other.port });
    const code = closed(ws);
    await other.close();
    expect(await code).toBe(1006);
  });
});

describe('call frames', () => {
  it('reads a call and refuses anything else', () => {
    expect(parseCallFrame('{"i":3,"c":"payments.capture","d":{"amount":100}}')).toEqual({ i: 3, c: 'payments.capture', d: { amount: 100 } });
    expect(parseCallFrame('{"i":3,"c":"session.status"}')).toEqual({ i: 3, c: 'session.status', d: {} });
    for (const bad of ['', 'null', '"x"', '{"c":"a"}', '{"i":-1,"c":"a"}', `{"i":1,"c":"${'a'.repeat(101)}"}`, '{"i":1,"c":"__proto__ x"}']) expect(parseCallFrame(bad), bad).toBeNull();
  });

  it('reads an answer only when it carries an envelope', () => {
    expect(parseCallAnswer('{"i":1,"e":{"ok":true,"value":2}}')).toEqual({ i: 1, e: { ok: true, value: 2 } });
    for (const bad of ['{"i":1}', '{"i":1,"e":{"value":2}}', '{"e":{"ok":true}}', 'x']) expect(parseCallAnswer(bad), bad).toBeNull();
  });
});
