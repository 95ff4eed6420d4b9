import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from './log-redaction';

describe('log redaction', () => {
  it('censors secrets and card fields at the top level and one level down', () => {
    let out = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { out += chunk.toString(); done(); } });
    const log = pino({ base: undefined, redact: LOG_REDACTION }, sink);
    log.info({ access_code: 'ACCESS-SECRET-1', request: { requestPhrase: 'PHRASE-SECRET-2', card_number: '4111111111111111', merchant_reference: 'ref-1' }, pin: '123456' }, 'call');
    expect(out).toContain('ref-1');
    for (const secret of ['ACCESS-SECRET-1', 'PHRASE-SECRET-2', '4111111111111111', '123456']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});
