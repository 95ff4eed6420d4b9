import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../shared/contract';
import type { Dispatch } from '../electron/core/dispatch';
import { CoreEvents } from '../electron/core/events';
import { startWebServer, type WebServer } from '../electron/web/server';

// The screen's web transport (renderer/platform/web-transport.ts) against the real web server:
// Node 24's own fetch and WebSocket; the page's window and sessionStorage are the only stand-ins.
const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstu';

let server: WebServer;
let release: (() => void) | null = null;
const dispatch = vi.fn<Dispatch>(async (channel, input) => {
  if (channel === 'payments.capture') await new Promise<void>((r) => (release = r)); // held until the test lets go
  return { ok: true, value: { channel, size: JSON.stringify(input).length } };
});
let httpCalls: string[] = [];
const realFetch = globalThis.fetch;

async function transport(): Promise<Transport> {
  vi.resetModules(); // a fresh socket per test: the transport keeps one per page
  const { createWebTransport } = await import('../renderer/platform/web-transport');
  return createWebTransport();
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

beforeEach(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'web-transport-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  server = await startWebServer({ core: { dispatch, events: new CoreEvents(), acceptHostedReturn: async () => ({ sessionId: null, ok: false, message: '' }) }, staticDir, port: 0, gatewayOrigin: 'http://127.0.0.1:5999', secret: SECRET });
  const store = new Map<string, string>([['pos.web.secret', SECRET]]);
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
  vi.stubGlobal('window', { location: { href: `${server.url}/`, hash: '', pathname: '/', search: '' }, history: { state: null, replaceState: () => undefined } });
  httpCalls = [];
  // Counts the calls that went over HTTP; each still goes to the real server.
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    httpCalls.push(String(url));
    return realFetch(new URL(url, `${server.url}/`), init);
  });
  dispatch.mockClear();
});
afterEach(async () => {
  release?.();
  release = null;
  vi.unstubAllGlobals();
  await server.close();
});

describe('web transport: the call socket', () => {
  it('answers the first call over HTTP while the socket opens, and the next ones over the socket', async () => {
    const t = await transport();
    expect(await t.call('session.status', {})).toEqual({ ok: true, value: { channel: 'session.status', size: 2 } });
    expect(httpCalls).toEqual(['/api/call/session.status']);
    await new Promise((r) => setTimeout(r, 100)); // the socket opens
    expect(await t.call('settings.get', { a: 1 })).toEqual({ ok: true, value: { channel: 'settings.get', size: 7 } });
    expect(await t.call('sync.status', {})).toMatchObject({ ok: true });
    expect(httpCalls).toHaveLength(1);
    expect(dispatch.mock.calls.map((c) => [c[0], c[2].sessionKey])).toEqual([
      ['session.status', expect.stringMatching(/^web:/)],
      ['settings.get', dispatch.mock.calls[0]![2].sessionKey],
      ['sync.status', dispatch.mock.calls[0]![2].sessionKey],
    ]);
  });

  it('sends a large input (a file of rows) over HTTP', async () => {
    const t = await transport();
    await t.call('session.status', {});
    await new Promise((r) => setTimeout(r, 100));
    const rows = 'x'.repeat(70 * 1024);
    expect(await t.call('bulk.preview', { rows })).toMatchObject({ ok: true, value: { channel: 'bulk.preview' } });
    expect(httpCalls).toEqual(['/api/call/session.status', '/api/call/bulk.preview']);
  });

  it('answers a call cut off by the server stopping "not answering", and never sends it again', async () => {
    const t = await transport();
    await t.call('session.status', {});
    await new Promise((r) => setTimeout(r, 100));
    const capture = t.call('payments.capture', { paymentId: 'p1', amount: 100 });
    await until(() => release !== null); // the core has the call
    void server.close();
    expect(await capture).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('not answering') } });
    expect(dispatch.mock.calls.filter((c) => c[0] === 'payments.capture')).toHaveLength(1);
    expect(httpCalls).toEqual(['/api/call/session.status']);
  });
});
