import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels } from '../../shared/contract';
import { createCore, type Core } from '../core/app';
import { ManualClock } from '../core/clock';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import { MemorySettingsStore } from '../core/settings/defaults';
import { offlineGateway } from '../gateway/offline-gateway';
import { startWebServer, type WebServer } from './server';

/**
 * Gateway secrets go in and never come out: random access codes, SHA phrases and API keys are
 * saved through the web binding (the same dispatcher as Electron's IPC), then every read channel,
 * the test and save channels (accepted and refused) and the event stream are asked, and no answer
 * may contain any of them; nor may the ledger file, its WAL or settings.json in clear.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const SECRET = 'gateway-fuzz-secret-abcdefghijklmnopqrstuvwxyz';
const SESSION = 'gateway_fuzz_admin';
let dir: string;
let core: Core;
let server: WebServer;
let deadUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-fuzz-'));
  core = await createCore({
    dataDir: dir,
    protector: new PassphraseKeyProtector('gateway fuzz passphrase', { N: 1 << 12 }),
    gateway: offlineGateway,
    clock: new ManualClock(),
    settings: new MemorySettingsStore(),
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    validateOutput: true,
    gatewayAccounts: { allowUrlOverride: true, testTimeoutMs: 1000 },
  });
  server = await startWebServer({ core, staticDir: dir, port: 0, gatewayOrigin: 'http://127.0.0.1:9', secret: SECRET });
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  await new Promise<void>((r) => srv.close(() => r()));
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(channel: string, body: unknown): Promise<string> {
  const res = await fetch(`${server.url}/api/call/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': SECRET, 'X-Pos-Session': SESSION },
    body: JSON.stringify(body),
  });
  return res.text();
}

// Long enough that a hit is never a coincidence; the characters APS phrases may hold.
const accessCode = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/);
const phrase = fc.stringMatching(/^[A-Za-z0-9!?#$%&*+.@_-]{14,40}$/);

describe('gateway secrets never reach the screen', () => {
  it('no channel answer (read, test, save accepted or refused) contains a saved or typed secret', async () => {
    expect(await post('session.setup', { name: 'Fuzz Admin', pin: '24681357' })).toContain('"ok":true');
    const readChannels = CHANNEL_NAMES.filter((c) => !channels[c].mutates && channels[c].input.safeParse({}).success);
    expect(readChannels).toEqual(expect.arrayContaining(['gateway.get', 'session.status', 'settings.get', 'audit.list']));
    const seen: string[] = [];
    await fc.assert(
      fc.asyncProperty(accessCode, phrase, phrase, phrase, async (code, req, resp, apiKey) => {
        const secrets = [code, req, resp, apiKey];
        seen.push(...secrets);
        const account = {
          environment: 'test', merchantIdentifier: 'FUZZMID', accessCode: code, requestPhrase: req, responsePhrase: resp, shaType: 'HMAC-SHA512', currencies: ['AED'],
          confirmation: { url: `${deadUrl}/confirm`, templateId: '15be8861-597a-4b7b-a0aa-b7486ba3de7e', apiKey },
          urlOverride: { paymentApiUrl: `${deadUrl}/FortAPI/paymentApi`, paymentPageUrl: `${deadUrl}/FortAPI/paymentPage` },
        };
        const answers = [
          await post('gateway.test', account),
          await post('gateway.save', account),
          // Refused saves: a bad field beside good secrets, and production with an override.
          await post('gateway.save', { ...account, merchantIdentifier: 'not valid!' }),
          await post('gateway.save', { ...account, environment: 'production' }),
          await post('gateway.switch', { environment: 'production', pin: '24681357', confirmation: 'GO LIVE' }),
        ];
        for (const c of readChannels) answers.push(await post(c, {}));
        expect(answers[1]).toContain('"ok":true');
        for (const a of answers) for (const s of secrets) expect(a.includes(s), `a secret in ${a.slice(0, 120)}`).toBe(false);
      }),
      { numRuns: RUNS, seed: 20261204 },
    );
    // At rest: only inside the encrypted ledger.
    await core.close();
    for (const f of ['ledger.db', 'ledger.db-wal', 'settings.json'].map((n) => join(dir, n)).filter((n) => existsSync(n))) {
      const bytes = readFileSync(f);
      for (const s of seen) expect(bytes.includes(Buffer.from(s)), `${s} in ${f}`).toBe(false);
    }
  }, 60_000);
});
