import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { createHostedReturnListener, HostedReturnParseError, interceptHostedReturn, isHostedReturnUrl, MAX_RETURN_BYTES, parseHostedReturn, parseUrlEncoded } from './hosted-return';
import { HOSTED_RETURN_URL } from './origins';

const body = (s: string) => [{ bytes: Buffer.from(s, 'utf8') }];

describe('parseUrlEncoded / parseHostedReturn', () => {
  it('turns a urlencoded POST body into fields', () => {
    const params = parseHostedReturn({
      url: HOSTED_RETURN_URL,
      method: 'POST',
      uploadData: body('service_command=TOKENIZATION&merchant_reference=TOK-1&token_name=abc%2B1&card_holder_name=J%C3%BCrgen+M&signature=f00'),
    });
    expect(params).toEqual({ service_command: 'TOKENIZATION', merchant_reference: 'TOK-1', token_name: 'abc+1', card_holder_name: 'Jürgen M', signature: 'f00' });
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });

  it('joins a body split across several upload parts', () => {
    const parts = [{ bytes: Buffer.from('a=1&b=') }, { bytes: Buffer.from('2') }];
    expect(parseHostedReturn({ url: HOSTED_RETURN_URL, method: 'POST', uploadData: parts })).toEqual({ a: '1', b: '2' });
  });

  it('reads a GET return from the query string', () => {
    expect(parseHostedReturn({ url: `${HOSTED_RETURN_URL}?status=18&merchant_reference=T-2`, method: 'GET' })).toEqual({ status: '18', merchant_reference: 'T-2' });
  });

  it('refuses repeated fields, files, blobs, empty and oversized bodies, other URLs and methods', () => {
    const bad: Parameters<typeof parseHostedReturn>[0][] = [
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: body('signature=a&signature=b') },
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: [{ bytes: Buffer.alloc(0), file: '/etc/passwd' }] },
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: [{ bytes: Buffer.alloc(0), blobUUID: 'u' }] },
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: [] },
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: null },
      { url: HOSTED_RETURN_URL, method: 'POST', uploadData: body(`a=${'x'.repeat(MAX_RETURN_BYTES)}`) },
      { url: HOSTED_RETURN_URL, method: 'PUT', uploadData: body('a=1') },
      { url: 'https://hosted-return.pos.invalid/other', method: 'GET' },
      { url: 'https://evil.example/return', method: 'GET' },
    ];
    for (const req of bad) expect(() => parseHostedReturn(req), JSON.stringify(req.url)).toThrow(HostedReturnParseError);
  });

  it('puts nothing on a prototype', () => {
    const p = parseUrlEncoded('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.hasOwn(p, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(p, '__proto__')?.value).toBe('x');
    expect(p.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('recognises only the reserved return URL', () => {
    expect(isHostedReturnUrl(HOSTED_RETURN_URL)).toBe(true);
    expect(isHostedReturnUrl(`${HOSTED_RETURN_URL}?a=1`)).toBe(true);
    expect(isHostedReturnUrl('http://hosted-return.pos.invalid/return')).toBe(false);
    expect(isHostedReturnUrl('https://hosted-return.pos.invalid/return/x')).toBe(false);
    expect(isHostedReturnUrl('https://hosted-return.pos.invalid.evil.example/return')).toBe(false);
  });
});

describe('hosted return interceptor', () => {
  const details = (over: Record<string, unknown> = {}) => ({
    url: HOSTED_RETURN_URL,
    method: 'POST',
    resourceType: 'subFrame' as const,
    webContentsId: 7,
    uploadData: body('merchant_reference=TOK-1&signature=s'),
    ...over,
  });

  it('cancels the request and hands the fields to the core', async () => {
    const accept = vi.fn(async () => ({ sessionId: 's1', ok: true, message: 'ok' }));
    const cb = vi.fn();
    createHostedReturnListener({ accept, isOurWebContents: (id) => id === 7 })(details(), cb);
    expect(cb).toHaveBeenCalledWith({ cancel: true });
    expect(accept).toHaveBeenCalledWith({ merchant_reference: 'TOK-1', signature: 's' });
  });

  it('cancels but ignores returns from another window, from non-frame requests and unreadable ones', () => {
    const accept = vi.fn(async () => ({ sessionId: 's1', ok: true, message: 'ok' }));
    const log = vi.fn();
    const listener = createHostedReturnListener({ accept, isOurWebContents: (id) => id === 7, log });
    for (const d of [details({ webContentsId: 8 }), details({ webContentsId: undefined }), details({ resourceType: 'xhr' }), details({ resourceType: 'image', method: 'GET' }), details({ uploadData: body('a=1&a=2') }), details({ url: 'https://hosted-return.pos.invalid/favicon.ico' })]) {
      const cb = vi.fn();
      listener(d, cb);
      expect(cb).toHaveBeenCalledWith({ cancel: true });
    }
    expect(accept).not.toHaveBeenCalled();
    // The log never carries field values (the token name is in there).
    expect(JSON.stringify(log.mock.calls)).not.toContain('TOK-1');
  });

  it('is installed on the session for the reserved origin only', () => {
    const onBeforeRequest = vi.fn();
    interceptHostedReturn({ webRequest: { onBeforeRequest } } as never, { accept: vi.fn(), isOurWebContents: () => true });
    expect(onBeforeRequest).toHaveBeenCalledWith({ urls: ['https://hosted-return.pos.invalid/*'] }, expect.any(Function));
  });
});
