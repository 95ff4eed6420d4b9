import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpExchange } from './transport';

// The fault cases (stalls, resets, refused, cut bodies) are in gateway.test.ts; these are what the
// transport itself promises: what goes on the wire, and connections reused.
describe('httpExchange on node:http', () => {
  let server: Server;
  let url: string;
  const seen: { method: string; headers: IncomingHttpHeaders; body: string; socket: number }[] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, ++nextSocket);
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, headers: req.headers, body, socket: sockets.get(req.socket)! });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the body with its length, the caller headers and a user agent; returns the whole body', async () => {
    const body = JSON.stringify({ name: 'عميل', amount: 1250 });
    const r = await httpExchange({ method: 'POST', url, headers: { 'content-type': 'application/json; charset=utf-8' }, body, timeoutMs: 2000 });
    expect(r).toMatchObject({ kind: 'response', status: 200, body: JSON.stringify({ echo: body }) });
    const last = seen.at(-1)!;
    expect(last.body).toBe(body);
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(last.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(last.headers['user-agent']).toMatch(/moto-pos/);
  });

  it('reuses one kept-alive connection for requests one after another', async () => {
    for (let i = 0; i < 3; i++) expect((await httpExchange({ method: 'POST', url, body: '{}', timeoutMs: 2000 })).kind).toBe('response');
    const last3 = seen.slice(-3).map((s) => s.socket);
    expect(new Set(last3).size).toBe(1);
  });

  it('HEAD has no body; a URL it cannot send to is a network failure, not a throw', async () => {
    expect(await httpExchange({ method: 'HEAD', url, timeoutMs: 2000 })).toMatchObject({ kind: 'response', status: 200, body: '' });
    expect((await httpExchange({ method: 'GET', url: 'ftp://127.0.0.1/x', timeoutMs: 2000 })).kind).toBe('network');
    expect((await httpExchange({ method: 'GET', url: 'not a url', timeoutMs: 2000 })).kind).toBe('network');
  });
});
