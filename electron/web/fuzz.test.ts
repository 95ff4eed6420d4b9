import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_NAMES, channels, ERROR_CODES, type ChannelName } from '../../shared/contract';
import { createCore, type Core } from '../core/app';
import { ManualClock } from '../core/clock';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import { MemorySettingsStore } from '../core/settings/defaults';
import { offlineGateway } from '../gateway/offline-gateway';
import { ledgerDigest } from './fuzz-support';
import { startWebServer, type WebServer } from './server';

/**
 * Thousands of hostile payloads through web mode's HTTP binding (the same dispatcher Electron's
 * IPC uses), to every channel, without a session and with an admin's. Each must be answered with a
 * typed error envelope or a result valid for the channel's output schema; the server must stay
 * up; and nothing a refused call sends may change the ledger or the settings.
 *
 * Mutating channels only ever get payloads their input schema refuses (a valid one would be an
 * accepted change, which is not what this test is about); read-only channels get everything.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 50); // per channel and per session kind
const SECRET = 'fuzz-secret-abcdefghijklmnopqrstuvwxyz012345';
const ADMIN_SESSION = 'fuzz_admin';
const ERROR_CODE_SET = new Set<string>(ERROR_CODES);
/**
 * Channels the contract marks read-only whose accepted calls still append to the audit log
 * (checking the log is itself recorded). Anything else read-only that writes fails the test.
 */
const AUDITED_READS = new Set<string>(['audit.verify', 'gateway.test']);

let dir: string;
let core: Core;
let server: WebServer;
let sent = 0;
const outcomes = new Map<string, number>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
  core = await createCore({
    dataDir: dir,
    protector: new PassphraseKeyProtector('fuzz tests passphrase', { N: 1 << 12 }),
    gateway: offlineGateway,
    clock: new ManualClock(),
    settings: new MemorySettingsStore(),
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    validateOutput: true,
  });
  server = await startWebServer({ core, staticDir: dir, port: 0, gatewayOrigin: 'http://127.0.0.1:9', secret: SECRET });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(channelPath: string, body: string, session: string): Promise<{ status: number; json: unknown }> {
  sent++;
  const res = await fetch(`${server.url}/api/call/${channelPath}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': SECRET, 'X-Pos-Session': session },
    body,
  });
  const json = (await res.json()) as { ok: boolean; error?: { code: string } };
  const key = `${res.status} ${json.ok ? 'ok' : json.error?.code}${json.error?.code === 'INTERNAL' ? ` ${channelPath}` : ''}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  return { status: res.status, json };
}

/** The answer is an envelope: a typed error, or a value the contract allows for this channel. */
function expectEnvelope(channel: string, status: number, json: unknown): void {
  expect([200, 400, 413], `HTTP ${status} for ${channel}`).toContain(status);
  const env = json as { ok: unknown; value?: unknown; error?: { code: unknown; message: unknown } };
  expect(typeof env.ok).toBe('boolean');
  if (env.ok === true) {
    expect(status).toBe(200);
    expect(Object.hasOwn(channels, channel)).toBe(true);
    const out = channels[channel as ChannelName].output.safeParse(env.value);
    expect(out.success, `${channel} returned an invalid value`).toBe(true);
  } else {
    expect(ERROR_CODE_SET.has(String(env.error?.code)), `code ${String(env.error?.code)}`).toBe(true);
    expect(typeof env.error?.message).toBe('string');
    // INTERNAL means a handler threw or broke the output contract: a bug, not an answer.
    expect(env.error?.code, `INTERNAL from ${channel}: ${String(env.error?.message)}`).not.toBe('INTERNAL');
  }
}

// --- payloads (as request bodies: some are JSON no JS object literal can express) -------------

const HUGE = 'x'.repeat(300 * 1024); // over the 256 KB body limit
const BIG = 'é'.repeat(20_000);
const jsonText = (v: unknown) => JSON.stringify(v) ?? 'null';

function fieldsOf(channel: ChannelName): string[] {
  const input = channels[channel].input as unknown as { shape?: Record<string, unknown> };
  return input.shape ? Object.keys(input.shape) : [];
}

const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, -1, 0, 1e308, -0.5, 9_999_999_999_999, '', ' ', '0', 'NaN', [], {}, BIG),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
);

function payloadFor(channel: ChannelName): fc.Arbitrary<string> {
  const keys = [...fieldsOf(channel), '__proto__', 'constructor', 'prototype', 'toString', ''];
  return fc.oneof(
    // any JSON at all
    fc.jsonValue({ maxDepth: 4 }).map(jsonText),
    // the channel's own field names with wrong types, plus pollution keys
    fc.dictionary(fc.constantFrom(...keys), wrongValue, { maxKeys: 6 }).map(jsonText),
    // prototype pollution written as raw JSON (JSON.parse makes these own properties)
    fc.constantFrom(
      '{"__proto__":{"admin":true,"role":"admin"}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `{"__proto__":null,"${fieldsOf(channel)[0] ?? 'id'}":"x"}`,
    ),
    // deeply nested arrays and objects
    fc.integer({ min: 50, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.integer({ min: 50, max: 3000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
    // big strings in every field; over the limit now and then
    fc.constant(jsonText(Object.fromEntries(fieldsOf(channel).map((k) => [k, BIG])))),
    fc.constant(`{"q":"${HUGE}"}`),
  );
}

/** Mutating channels only get what their schema refuses (before or after the body limit). */
function refusedBySchema(channel: ChannelName, body: string): boolean {
  if (Buffer.byteLength(body) > 256 * 1024) return true;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return true;
  }
  return !channels[channel].input.safeParse(value).success;
}

const wrongChannelName = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Payments.capture', 'payments.', '.capture', 'payments.capture.extra', 'payments/capture', '..%2f..%2fetc', 'payments.capture%00', 'session.status ', 'x'.repeat(5000)),
  fc.constantFrom(...CHANNEL_NAMES).map((c) => c.toUpperCase()),
);

describe('fuzz: every channel through the web binding', () => {
  it('answers every payload with a typed error or a valid result, and refused calls change nothing', async () => {
    const setup = await post('session.setup', JSON.stringify({ name: 'Fuzz Admin', pin: '24681357' }), ADMIN_SESSION);
    expect(setup.json).toMatchObject({ ok: true, value: { role: 'admin' } });
    const settingsBefore = JSON.stringify(core.deps.settings.get());
    let digest = ledgerDigest(core.db);
    const started = Date.now();

    let noSessionIndex = 0;
    for (const channel of CHANNEL_NAMES) {
      const def = channels[channel];
      for (const session of ['none', 'admin'] as const) {
        // With no session, a channel above 'none' refuses everything: any payload will do.
        const anyPayloadIsRefused = session === 'none' && def.minRole !== 'none';
        const onlyInvalid = def.mutates && !anyPayloadIsRefused;
        const arb = onlyInvalid ? payloadFor(channel).filter((b) => refusedBySchema(channel, b)) : payloadFor(channel);
        await fc.assert(
          fc.asyncProperty(arb, async (body) => {
            // A fresh, never signed-in tab each time for the no-session runs.
            const key = session === 'admin' ? ADMIN_SESSION : `anon_${noSessionIndex++}`;
            const { status, json } = await post(encodeURIComponent(channel), body, key);
            expectEnvelope(channel, status, json);
            // Every refused call leaves the ledger exactly as it was. An accepted call of a
            // read-only channel may too, except the ones known to write an audit entry.
            const now = ledgerDigest(core.db);
            const accepted = (json as { ok: boolean }).ok;
            if (!accepted || !AUDITED_READS.has(channel)) {
              expect(now, `ledger changed by ${channel} (${session} session, ${accepted ? 'accepted' : 'refused'}): ${body.slice(0, 200)}`).toBe(digest);
            }
            digest = now;
            if (anyPayloadIsRefused && status === 200) {
              // Refused before the schema is even looked at: no session, or not plain/small data.
              const { error } = json as { error: { code: string; fields?: unknown } };
              expect(['UNAUTHENTICATED', 'VALIDATION']).toContain(error.code);
              expect(error.fields).toBeUndefined();
            }
          }),
          { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20260115) + CHANNEL_NAMES.indexOf(channel) },
        );
      }
    }

    await fc.assert(
      fc.asyncProperty(wrongChannelName, fc.jsonValue({ maxDepth: 2 }), fc.boolean(), async (name, input, admin) => {
        fc.pre(!Object.hasOwn(channels, name));
        const { status, json } = await post(encodeURIComponent(name), jsonText(input), admin ? ADMIN_SESSION : 'anon_x');
        expect(status).toBe(200);
        expect(json).toEqual({ ok: false, error: { code: 'VALIDATION', message: 'Unknown channel' } });
      }),
      { numRuns: RUNS * 10 },
    );

    // Still alive, still signed in, nothing changed.
    const status = await post('session.status', '{}', ADMIN_SESSION);
    expect(status.json).toMatchObject({ ok: true, value: { user: { name: 'Fuzz Admin' }, locked: false } });
    expect(ledgerDigest(core.db)).toBe(digest);
    expect(JSON.stringify(core.deps.settings.get())).toBe(settingsBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(sent).toBeGreaterThan(2000);
    console.info(`fuzz: ${sent} calls in ${Date.now() - started} ms`, Object.fromEntries([...outcomes].sort()));
  }, 180_000); // thousands of HTTP calls: ~10-20 s alone, more beside the crash and soak tests
});
