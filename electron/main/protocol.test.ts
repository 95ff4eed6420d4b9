import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { APP_SCHEME_PRIVILEGES, buildCsp, createAppRequestHandler, handleAppProtocol, resolveAppPath, UNLOCK_CSP } from './protocol';

describe('buildCsp', () => {
  it('is exactly the policy of the issue, framing only the gateway card page', () => {
    expect(buildCsp('https://sbcheckout.payfort.com')).toBe(
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        'frame-src https://sbcheckout.payfort.com https://hosted-return.pos.invalid',
        'form-action https://sbcheckout.payfort.com',
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
  });

  it('allows no inline script, no eval, no wildcard', () => {
    const csp = buildCsp('http://127.0.0.1:4455');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|blob:|https?:(?!\/\/)/);
    expect(csp).toContain('frame-src http://127.0.0.1:4455 ');
  });

  it('reduces the gateway to an origin and refuses anything else', () => {
    expect(buildCsp('https://checkout.payfort.com/FortAPI/paymentPage?x=1')).toContain('form-action https://checkout.payfort.com;');
    for (const bad of ['', 'not a url', "https://a.example 'unsafe-inline'", 'http://gateway.example', 'javascript:alert(1)', 'data:text/html,x']) {
      expect(() => buildCsp(bad), bad).toThrow(TypeError);
    }
  });
});

describe('UNLOCK_CSP', () => {
  it('gives the unlock page its own script and styles and nothing else: no frames, no form posts, no fetch', () => {
    expect(UNLOCK_CSP).toBe(
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'none'",
        "font-src 'self'",
        "frame-src 'none'",
        "form-action 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    expect(UNLOCK_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|blob:|https?:/);
  });
});

describe('app:// scheme', () => {
  it('is registered standard + secure + fetch + V8 code cache, with no CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });
});

describe('resolveAppPath', () => {
  const root = path.resolve('/srv/renderer');
  it('maps app://pos paths under the root', () => {
    expect(resolveAppPath(root, 'app://pos/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://pos/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://pos/assets/app-1.js?v=2#x')).toBe(path.join(root, 'assets/app-1.js'));
  });

  it('refuses path traversal, other hosts and odd encodings', () => {
    for (const url of [
      'app://pos/%2e%2e/%2e%2e/etc/passwd',
      'app://pos/..%2f..%2fetc/passwd',
      'app://pos/assets/..%5c..%5csecret',
      'app://pos/a%00.js',
      'app://pos/%E0%A4%A',
      'app://evil/index.html',
      'app://pos.evil/index.html',
      'file:///etc/passwd',
      'https://pos/index.html',
      'not a url',
    ]) {
      const got = resolveAppPath(root, url);
      if (got !== null) expect(got.startsWith(root + path.sep), url).toBe(true);
      else expect(got).toBeNull();
    }
    expect(resolveAppPath(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppPath(root, 'app://pos/..%2f..%2fetc/passwd')).toBeNull();
  });
});

describe('createAppRequestHandler', () => {
  let root: string;
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proto-'));
    root = path.join(dir, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>POS</title>');
    writeFileSync(path.join(root, 'unlock.html'), '<!doctype html><title>Unlock</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'top secret');
  });
  afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

  const handler = () => createAppRequestHandler({ root, getGatewayOrigin: () => 'https://sbcheckout.payfort.com' });

  it('serves documents with the CSP and assets without it', async () => {
    const doc = await handler()(new Request('app://pos/index.html'));
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(doc.headers.get('content-security-policy')).toBe(buildCsp('https://sbcheckout.payfort.com'));
    expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await doc.text()).toContain('<title>POS</title>');
    const js = await handler()(new Request('app://pos/assets/app.js'));
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBeNull();
  });

  it('serves the unlock page with its stricter policy', async () => {
    const doc = await handler()(new Request('app://pos/unlock.html'));
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-security-policy')).toBe(UNLOCK_CSP);
    expect(await doc.text()).toContain('<title>Unlock</title>');
    const viaQuery = await handler()(new Request('app://pos/unlock.html?x=1#y'));
    expect(viaQuery.headers.get('content-security-policy')).toBe(UNLOCK_CSP);
  });

  it('answers 404 for traversal, missing files and other hosts, 405 for writes', async () => {
    expect((await handler()(new Request('app://pos/..%2fsecret.txt'))).status).toBe(404);
    expect((await handler()(new Request('app://pos/nope.html'))).status).toBe(404);
    expect((await handler()(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handler()(new Request('app://pos/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('is what protocol.handle gets for the app scheme', () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, { root, getGatewayOrigin: () => 'https://a.example' });
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});
