import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreEvents } from '../core/events';
import type { Dispatch } from '../core/dispatch';
import { startWebServer, type WebCore, type WebServer } from './server';
import { raw } from './test-helpers';

const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstu';
const GATEWAY = 'http://127.0.0.1:5999';

const dispatch = vi.fn<Dispatch>(async (channel, input) => ({ ok: true, value: { channel, input } }));
const acceptHostedReturn = vi.fn<WebCore['acceptHostedReturn']>(async (params) =>
  params.signature === 'good' ? { sessionId: 's1', ok: true, message: 'ok' } : { sessionId: null, ok: false, message: 'The card page answered <b>badly</b>' },
);
const events = new CoreEvents();
let server: WebServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'web-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>POS</title>');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir, '..', 'outside-secret.txt'), 'nope');
  server = await startWebServer({ core: { dispatch, events, acceptHostedReturn }, staticDir, port: 0, gatewayOrigin: GATEWAY, secret: SECRET });
});
afterAll(() => server.close());
beforeEach(() => {
  dispatch.mockClear();
  acceptHostedReturn.mockClear();
});

const host = () => `127.0.0.1:${server.port}`;
const goodHeaders = () => ({ Host: host(), 'Content-Type': 'application/json', 'X-Pos-Secret': SECRET, 'X-Pos-Session': 'tab_1' });
const callRaw = (headers: Record<string, string>, body = '{}', path = '/api/call/session.status') =>
  raw({ port: server.port, method: 'POST', path, headers, body });

describe('web mode: /api/call', () => {
  it('answers a good call with the envelope and the per-tab session key', async () => {
    const res = await callRaw({ ...goodHeaders(), Origin: `http://${host()}` }, '{"a":1}');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { channel: 'session.status', input: { a: 1 } } });
    expect(dispatch).toHaveBeenCalledWith('session.status', { a: 1 }, { sessionKey: 'web:tab_1', origin: 'web:127.0.0.1' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('accepts localhost as a Host too', async () => {
    const res = await callRaw({ ...goodHeaders(), Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    expect(res.status).toBe(200);
  });

  const refusals: [string, (h: Record<string, string>) => Record<string, string>, number, string?][] = [
    ['no secret', ({ 'X-Pos-Secret': _s, ...h }) => h, 401],
    ['a wrong secret', (h) => ({ ...h, 'X-Pos-Secret': `${SECRET}x` }), 401],
    ['an empty secret', (h) => ({ ...h, 'X-Pos-Secret': '' }), 401],
    ['a foreign Origin', (h) => ({ ...h, Origin: 'http://evil.example' }), 403],
    ['an Origin on another port', (h) => ({ ...h, Origin: 'http://127.0.0.1:1' }), 403],
    ['the string "null" as Origin', (h) => ({ ...h, Origin: 'null' }), 403],
    ['a foreign Host (DNS rebinding)', (h) => ({ ...h, Host: `evil.example:${server.port}` }), 421],
    ['a Host without the port', (h) => ({ ...h, Host: '127.0.0.1' }), 421],
    ['a form content type', (h) => ({ ...h, 'Content-Type': 'application/x-www-form-urlencoded' }), 415],
    ['text/plain (a "simple" CORS request)', (h) => ({ ...h, 'Content-Type': 'text/plain' }), 415],
    ['no session header', ({ 'X-Pos-Session': _s, ...h }) => h, 400],
    ['a malformed session header', (h) => ({ ...h, 'X-Pos-Session': 'a b/c' }), 400],
    ['a too long session header', (h) => ({ ...h, 'X-Pos-Session': 'a'.repeat(65) }), 400],
  ];

  it.each(refusals)('refuses a call with %s without reaching the core', async (_what, change, status) => {
    const res = await callRaw(change(goodHeaders()));
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses an oversized body with 413, declared or streamed', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(300 * 1024) });
    const declared = await callRaw(goodHeaders(), big);
    expect(declared.status).toBe(413);
    const chunked = await raw({ port: server.port, method: 'POST', path: '/api/call/session.status', headers: { ...goodHeaders(), 'Transfer-Encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('lets a bulk file past the default limit on bulk.preview only, up to its own limit', async () => {
    const file = JSON.stringify({ kind: 'capture', rows: [{ reference: 'x'.repeat(300 * 1024) }] });
    expect((await callRaw(goodHeaders(), file, '/api/call/bulk.preview')).status).toBe(200);
    expect(dispatch).toHaveBeenCalledTimes(1);
    const tooBig = JSON.stringify({ kind: 'capture', rows: [{ reference: 'x'.repeat(9 * 1024 * 1024) }] });
    expect((await callRaw(goodHeaders(), tooBig, '/api/call/bulk.preview')).status).toBe(413);
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('refuses a body that is not JSON, and GET on a call', async () => {
    expect((await callRaw(goodHeaders(), '{nope')).status).toBe(400);
    expect((await raw({ port: server.port, path: '/api/call/session.status', headers: goodHeaders() })).status).toBe(405);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('hands odd channel names to the dispatcher as they are (it answers "Unknown channel")', async () => {
    await callRaw(goodHeaders(), '{}', '/api/call/__proto__');
    await callRaw(goodHeaders(), '{}', '/api/call/%E0%A4%A');
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['__proto__', '']);
  });
});

describe('web mode: events', () => {
  it('streams core events to an EventSource with the secret, and refuses one without it', async () => {
    expect((await raw({ port: server.port, path: `/api/events?s=tab_1`, headers: { Host: host() } })).status).toBe(401);
    expect((await raw({ port: server.port, path: `/api/events?k=${SECRET}&s=tab_1`, headers: { Host: host(), Origin: 'http://evil.example' } })).status).toBe(403);

    const ac = new AbortController();
    const res = await fetch(`${server.url}/api/events?k=${SECRET}&s=tab_1`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const first = await reader.read();
    text += decoder.decode(first.value);
    events.emit('hosted.returned', { sessionId: 'abc' });
    while (!text.includes('hosted.returned')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('event: hosted.returned\ndata: {"sessionId":"abc"}\n\n');
    ac.abort();
  });
});

describe('web mode: hosted card return', () => {
  it('passes the posted form fields to the core and answers a small page without card data', async () => {
    const res = await raw({
      port: server.port,
      method: 'POST',
      path: '/hosted/return',
      // The gateway's page posts cross-origin and without our secret.
      headers: { Host: host(), 'Content-Type': 'application/x-www-form-urlencoded', Origin: GATEWAY },
      body: 'signature=good&merchant_reference=R1&card_number=400555******0001&__proto__=x',
    });
    expect(res.status).toBe(200);
    expect(acceptHostedReturn).toHaveBeenCalledWith({ signature: 'good', merchant_reference: 'R1', card_number: '400555******0001' });
    expect(Object.getPrototypeOf(acceptHostedReturn.mock.calls[0]![0])).toBe(Object.prototype);
    expect(res.body).toContain('Card received');
    expect(res.body).not.toContain('0001');
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });

  it('takes query parameters on GET, escapes the failure message, still checks Host', async () => {
    const res = await raw({ port: server.port, path: '/hosted/return?signature=bad&x=1', headers: { Host: host() } });
    expect(acceptHostedReturn).toHaveBeenCalledWith({ signature: 'bad', x: '1' });
    expect(res.body).toContain('The card page answered &lt;b&gt;badly&lt;/b&gt;');
    const rebound = await raw({ port: server.port, path: '/hosted/return?signature=good', headers: { Host: 'evil.example' } });
    expect(rebound.status).toBe(421);
    expect(acceptHostedReturn).toHaveBeenCalledTimes(1);
  });
});

describe('web mode: the page', () => {
  it('serves index.html with the CSP that allows the gateway frame and form only', async () => {
    const res = await raw({ port: server.port, path: '/', headers: { Host: host() } });
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`frame-src ${GATEWAY} http://${host()}/hosted/return`);
    expect(csp).toContain(`form-action ${GATEWAY}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets and nothing outside the static folder', async () => {
    expect((await raw({ port: server.port, path: '/assets/app.js', headers: { Host: host() } })).headers['content-type']).toMatch(/javascript/);
    for (const path of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/assets/..%2f..%2foutside-secret.txt', '/assets', '/%00']) {
      const res = await raw({ port: server.port, path, headers: { Host: host() } });
      expect(res.status, path).toBe(404);
    }
  });
});
