/**
 * Test support (not a test file): a ledger in a temp dir, the real sandbox over HTTP, the APS
 * adapter, and the payments feature, with helpers to take a card through the hosted page.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName, OutputOf, ParsedInputOf } from '../../../shared/contract';
import { channels } from '../../../shared/contract';
import { ApsGateway } from '../../gateway/aps';
import { DEFAULT_MERCHANT, startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import type { Clock } from '../clock';
import type { CallContext } from '../context';
import { openLedger, type Db } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import type { CoreDeps, Logger } from '../deps';
import { CoreEvents } from '../events';
import { insertUser } from '../people/users-repo';
import { hashSecret } from '../people/secrets';
import { MemorySettingsStore } from '../settings/defaults';
import type { Settings } from '../../../shared/contract';
import { createPaymentsFeature, type PaymentsFeature, type PaymentsFeatureOptions } from './index';

/** Real time plus an offset tests can move (the sandbox clock is moved by the same amount). */
export class OffsetClock implements Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

export const FAST_KEY = { N: 1 << 12 };
export const PASSPHRASE = 'payments test passphrase';

export interface HarnessOptions extends PaymentsFeatureOptions {
  dir?: string;
  sandbox?: SandboxHandle;
  settings?: Partial<Settings>;
  timeoutMs?: number;
  log?: Logger;
}

export interface Harness {
  dir: string;
  sb: SandboxHandle;
  db: Db;
  deps: CoreDeps;
  feature: PaymentsFeature;
  clock: OffsetClock;
  clerk: CallContext;
  supervisor: CallContext & { pin: string };
  call<K extends ChannelName>(name: K, input: unknown, ctx?: CallContext): Promise<OutputOf<K>>;
  /** Takes a card through the hosted page; returns the card handle. */
  hostedCard(card?: { number?: string; cvv?: string; expiry?: string; holder?: string }): Promise<string>;
  advance(ms: number): void;
  /** Simulates a restart: stops the feature, closes and reopens the ledger, builds a new feature (no recover). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'payments-'));
  const ownSandbox = !opts.sandbox;
  const sb = opts.sandbox ?? (await startSandbox());
  const clock = new OffsetClock();
  const settings = new MemorySettingsStore({ stationName: 'D1', ...opts.settings });
  const gateway = new ApsGateway({
    paymentApiUrl: sb.paymentApiUrl,
    paymentPageUrl: sb.paymentPageUrl,
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs: opts.timeoutMs ?? 400,
    language: 'en',
    isSandbox: true,
    name: 'sandbox',
    ...(opts.log ? { logger: opts.log } : {}),
  });
  const protector = new PassphraseKeyProtector(PASSPHRASE, FAST_KEY);
  const open = async (): Promise<{ db: Db; deps: CoreDeps; feature: PaymentsFeature }> => {
    const db = await openLedger({ dir, protector });
    const deps: CoreDeps = {
      db,
      gateway,
      clock,
      station: 'D1',
      settings,
      events: new CoreEvents(),
      log: opts.log ?? { info() {}, warn() {}, error() {}, debug() {} },
      hostedReturnUrl: 'http://127.0.0.1:9/hosted-return',
    };
    const feature = createPaymentsFeature(deps, { retryDelaysMs: [20, 50, 100, 200, 400, 800], captureResendGraceMs: 2 * (opts.timeoutMs ?? 400), ...opts });
    return { db, deps, feature };
  };
  let cur = await open();
  const at = clock.now().toISOString();
  const existing = cur.db.prepare(`SELECT id, name, role FROM users ORDER BY created_at`).all() as { id: string; name: string; role: 'clerk' | 'supervisor' }[];
  const clerkUser = existing.find((u) => u.role === 'clerk') ?? insertUser(cur.db, { name: 'Clara Clerk', role: 'clerk', secretHash: await hashSecret('111111') }, at);
  const supUser = existing.find((u) => u.role === 'supervisor') ?? insertUser(cur.db, { name: 'Sam Supervisor', role: 'supervisor', secretHash: await hashSecret('246810') }, at);
  const clerk: CallContext = { sessionKey: 'k1', origin: 'test', user: { id: clerkUser.id, name: clerkUser.name, role: 'clerk' } };
  const supervisor = { sessionKey: 'k2', origin: 'test', user: { id: supUser.id, name: supUser.name, role: 'supervisor' as const }, pin: '246810' };

  const h: Harness = {
    dir,
    sb,
    get db() {
      return cur.db;
    },
    get deps() {
      return cur.deps;
    },
    get feature() {
      return cur.feature;
    },
    clock,
    clerk,
    supervisor,
    async call(name, input, ctx = clerk) {
      // Parse like the dispatcher does, so defaults apply and the handler gets ParsedInputOf<K>.
      const parsed = channels[name].input.parse(input) as ParsedInputOf<typeof name>;
      const handler = cur.feature.handlers[name] as unknown as (i: unknown, c: CallContext) => unknown;
      const out = await handler(parsed, ctx);
      return channels[name].output.parse(out) as OutputOf<typeof name>;
    },
    async hostedCard(card = {}) {
      const form = await h.call('payments.hostedForm', {});
      const number = card.number ?? '4005550000000001';
      const body = new URLSearchParams({
        ...form.fields,
        card_number: number,
        expiry_date: card.expiry ?? '3005',
        card_security_code: card.cvv ?? (number.length === 15 ? '1234' : '123'),
        card_holder_name: card.holder ?? 'Pat Holder',
      });
      const res = await fetch(`${form.action}?method=get`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        redirect: 'manual',
      });
      const location = res.headers.get('location');
      if (res.status !== 303 || !location) throw new Error(`hosted page: expected 303, got ${res.status}`);
      const params = Object.fromEntries(new URL(location).searchParams);
      const r = await cur.feature.acceptHostedReturn(params);
      if (!r.ok) throw new Error(`hosted return refused: ${r.message}`);
      return form.sessionId;
    },
    advance(ms) {
      clock.offset += ms;
      sb.control.clock.advance(ms);
    },
    async restart() {
      await cur.feature.close();
      cur.db.close();
      cur = await open();
    },
    async close() {
      await cur.feature.close();
      if (cur.db.open) cur.db.close();
      if (ownSandbox) await sb.close();
    },
  };
  return h;
}
