import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as tlsServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { englishText, operationText, technicalText } from '../shared/contract/messages';

/**
 * Technical details inside sentences (a socket, device or TLS error) are said from the catalogue
 * (issue #17): matched by shape from what Node, undici, pg and our printer link really write.
 * The errors here are real ones, made on this machine.
 */

function errorOf(run: (done: (e: NodeJS.ErrnoException) => void) => void): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve) => run(resolve));
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('technical details as sentence keys', () => {
  it('a refused connection, as Node, fetch (undici, through the APS transport\'s wording) and the printer link write it', async () => {
    const port = await closedPort();
    const e = await errorOf((done) => connect({ host: '127.0.0.1', port }).on('error', done));
    expect(e.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(technicalText(e.message)).toEqual({ key: 'tech.refused', params: { detail: `ECONNREFUSED 127.0.0.1:${port}` } });
    const f = await fetch(`http://127.0.0.1:${port}/`).catch((x: Error & { cause: NodeJS.ErrnoException }) => x);
    const transport = `${(f as Error).message}: ${(f as Error & { cause: NodeJS.ErrnoException }).cause.code}: ${(f as Error & { cause: NodeJS.ErrnoException }).cause.message}`;
    expect(technicalText(transport)).toEqual({ key: 'tech.refused', params: { detail: `ECONNREFUSED 127.0.0.1:${port}` } });
    expect(technicalText(`ECONNREFUSED 127.0.0.1:${port}`)?.key).toBe('tech.refused');
    expect(englishText(technicalText(e.message)!)).toBe(`Connection refused: ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('a host name that does not resolve', async () => {
    const e = await errorOf((done) => connect({ host: 'no-such-host.invalid', port: 9100 }).on('error', done));
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(e.code);
    expect(technicalText(e.message)).toEqual({ key: 'tech.notFound', params: { detail: `${e.code} no-such-host.invalid` } });
  });

  it('TLS: a self-signed certificate (code or words), another host\'s certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tech-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=shop.example', '-addext', 'subjectAltName=DNS:shop.example'], { stdio: 'ignore' });
      const server = tlsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (s) => s.end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      try {
        const self = await errorOf((done) => tlsConnect({ host: '127.0.0.1', port, servername: 'shop.example' }).on('error', done));
        expect(self.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
        expect(technicalText(`${self.code}: ${self.message}`)?.key).toBe('tech.tlsSelfSigned');
        // pg passes on the message alone.
        expect(technicalText(self.message)).toEqual({ key: 'tech.tlsSelfSigned', params: { detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
        const name = await errorOf((done) => tlsConnect({ host: '127.0.0.1', port, servername: 'other.example', ca: readFileSync(join(dir, 'c.pem')) }).on('error', done));
        expect(name.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
        expect(technicalText(`${name.code}: ${name.message}`)?.key).toBe('tech.tlsName');
      } finally {
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the printer link\'s own wording and a USB device', () => {
    expect(technicalText('no answer from 10.0.0.9:9100 in 5000 ms')).toEqual({ key: 'tech.noAnswerIn', params: { target: '10.0.0.9:9100', ms: 5000 } });
    expect(technicalText('connection closed by 10.0.0.9:9100')).toEqual({ key: 'tech.closedBy', params: { target: '10.0.0.9:9100' } });
    expect(technicalText('ENOENT /dev/usb/lp0')).toEqual({ key: 'tech.noDevice', params: { detail: 'ENOENT /dev/usb/lp0' } });
    expect(technicalText('writing to /dev/usb/lp0: no progress in 5000 ms')).toEqual({ key: 'tech.deviceStalled', params: { target: '/dev/usb/lp0', ms: 5000 } });
    expect(technicalText('the printer reports no paper')).toEqual({ key: 'tech.paperOut' });
    // Not a shape we know: shown as written.
    expect(technicalText('password authentication failed for user "pos"')).toBeNull();
  });

  it('inside a stored note: the runner\'s "not sent" says its socket error as a sentence too (old rows alike)', () => {
    const t = operationText({ message: 'Not sent: the gateway could not be reached (fetch failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4100). Queued.', responseCode: null, type: 'capture' });
    expect(t).toEqual({ key: 'note.notSentQueued', params: { detail: { sentence: 'tech.refused', params: { detail: 'ECONNREFUSED 127.0.0.1:4100' } } } });
    expect(englishText(t!)).toBe('Not sent: the gateway could not be reached (Connection refused: ECONNREFUSED 127.0.0.1:4100). Queued.');
  });
});
