/**
 * One desk of the shop soak test (shop.soak.test.ts), as its own process: the assembled core
 * (createCore, the same composition as the app) on its own ledger directory, the test's sandbox
 * gateway over HTTP and the test's PostgreSQL. The test SIGKILLs it at random moments and starts
 * it again on the same ledger; the start-up sweep then finishes what it left.
 *
 * Run with: node --import tsx soak-station.ts, environment:
 *   SOAK_DIR, SOAK_PASSPHRASE              ledger directory and its passphrase (low key cost)
 *   SOAK_NAME, SOAK_PIN                    station name, its admin's PIN
 *   SOAK_API_URL, SOAK_PAGE_URL            the sandbox
 *   SOAK_PG_PORT, SOAK_PG_DB               the shop server (127.0.0.1, user pos)
 *   SOAK_MODE   join   set up the admin, join the shop, push everything, exit 0
 *               work   random operations (seeded by SOAK_SEED) until killed
 *               final  no new work: recover, sync, report; SIGTERM closes it cleanly
 *   SOAK_CRASH  gw-sent | gw-reply | push-acked: SIGKILL itself at the SOAK_CRASH_AT-th time
 *               a money call is on the wire / has been answered (not yet recorded) / a push
 *               has been stored by the server (not yet acknowledged in the ledger)
 *
 * Protocol: one JSON object per stdout line: ready (with the start-up sweep's report), did
 * (a finished request and its outcome), refused (a contract refusal's code), status (every
 * 300 ms), error (anything else: the test fails on it).
 */
import type { ChannelName } from '../../../shared/contract';
import { ApsGateway } from '../../gateway/aps';
import type { Gateway } from '../../gateway/types';
import { DEFAULT_MERCHANT } from '../../gateway/sandbox';
import { createCore, type Core } from '../app';
import { PassphraseKeyProtector } from '../db/key-protector';
import type { Logger } from '../deps';
import { prng } from '../prng';
import { MemorySettingsStore } from '../settings';
import { ShopServer } from './server-client';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** A contract refusal (not an internal error) of a call the loop needed. */
class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const crash = process.env.SOAK_CRASH ?? '';
const crashAt = Number(process.env.SOAK_CRASH_AT ?? 1);

function die(where: string): never {
  say({ t: 'crash', where });
  process.kill(process.pid, 'SIGKILL');
  // The signal is delivered on the way out of the kill call; nothing after it may run.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('unreachable');
}

const MONEY_CALLS = new Set(['authorize', 'purchase', 'capture', 'voidAuthorization', 'refund']);

/** The APS adapter with the crash points around its money calls. */
function crashingGateway(inner: Gateway): Gateway {
  let calls = 0;
  return new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (typeof prop !== 'string' || !MONEY_CALLS.has(prop)) return fn.bind(target);
      return async (...args: unknown[]) => {
        const n = ++calls;
        if (crash === 'gw-sent' && n === crashAt) {
          const p = fn.apply(target, args);
          setTimeout(() => die(`gw-sent ${prop}`), 2);
          return p;
        }
        const out = await fn.apply(target, args);
        if (crash === 'gw-reply' && n === crashAt) die(`gw-reply ${prop}`);
        return out;
      };
    },
  });
}

if (crash === 'push-acked') {
  const push = ShopServer.prototype.push;
  let pushes = 0;
  ShopServer.prototype.push = async function (this: ShopServer, ...args: Parameters<ShopServer['push']>) {
    const out = await push.apply(this, args);
    if (++pushes === crashAt) die('push-acked');
    return out;
  };
}

async function main(): Promise<void> {
  const name = env('SOAK_NAME');
  const pin = env('SOAK_PIN');
  const mode = env('SOAK_MODE');
  let sweep: unknown = null;
  const log: Logger = {
    info(obj, msg) {
      if (msg === 'payments recovery sweep') sweep = obj;
    },
    warn() {},
    error(obj, msg) {
      say({ t: 'log-error', msg, obj });
    },
    debug() {},
  };
  const pageUrl = env('SOAK_PAGE_URL');
  const gateway = crashingGateway(
    new ApsGateway({
      paymentApiUrl: env('SOAK_API_URL'),
      paymentPageUrl: pageUrl,
      accessCode: DEFAULT_MERCHANT.accessCode,
      merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
      requestPhrase: DEFAULT_MERCHANT.requestPhrase,
      responsePhrase: DEFAULT_MERCHANT.responsePhrase,
      shaType: DEFAULT_MERCHANT.shaType,
      timeoutMs: 4_000,
      language: 'en',
      isSandbox: true,
      name: 'APS sandbox (soak)',
    }),
  );
  const core: Core = await createCore({
    dataDir: env('SOAK_DIR'),
    protector: new PassphraseKeyProtector(env('SOAK_PASSPHRASE'), { N: 1 << 12 }),
    gateway,
    station: name,
    settings: new MemorySettingsStore({ stationName: name, refundApprovalLimit: 9_999_999_999 }),
    log,
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    gatewayAccounts: { embeddedPageOrigin: new URL(pageUrl).origin },
    // Shorter than the product's (60 s lease, 10 s presence): a killed desk's lease lapses within the test.
    shop: { connectTimeoutMs: 1_000, pollMs: 100, heartbeatMs: 1_000, retryMs: [200, 500, 1_000], leaseMs: 5_000, presentMs: 3_000 },
  });
  const ctx = { sessionKey: `soak:${name}`, origin: 'soak' };
  const call = async (ch: ChannelName, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> => {
    const r = await core.dispatch(ch, input, ctx);
    if (r.ok) return { ok: true, value: r.value };
    return { ok: false, code: r.error.code, message: r.error.message };
  };
  const must = async <T,>(ch: ChannelName, input: unknown): Promise<T> => {
    const r = await call(ch, input);
    if (!r.ok) throw r.code === 'INTERNAL' ? new Error(`${ch}: ${r.message}`) : new Refused(r.code);
    return r.value as T;
  };

  const db = core.db;
  if (mode === 'join') {
    await must('session.setup', { name: `Admin of ${name}`, pin });
    await must('shop.connect', { host: '127.0.0.1', port: Number(env('SOAK_PG_PORT')), database: env('SOAK_PG_DB'), username: 'pos', password: 'trust-needs-none', tls: 'disable' });
    for (let i = 0; i < 200 && (db.prepare('SELECT COUNT(*) AS n FROM shop_outbox').get() as { n: number }).n > 0; i++) await new Promise((r) => setTimeout(r, 50));
    await core.close();
    say({ t: 'joined' });
    return;
  }
  const me = db.prepare('SELECT id FROM users WHERE name = ?').get(`Admin of ${name}`) as { id: string } | undefined;
  if (!me) throw new Error(`no admin for ${name} in this ledger`);
  await must('session.login', { userId: me.id, pin });
  say({ t: 'ready', sweep });

  const status = setInterval(() => {
    void (async () => {
      const s = (await call('shop.status', {})) as { ok: boolean; value?: { state: string } };
      const q = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      say({
        t: 'status',
        state: s.ok ? s.value!.state : 'error',
        waiting: q('SELECT COUNT(*) AS n FROM shop_outbox'),
        deferred: q('SELECT COUNT(*) AS n FROM shop_deferred'),
        pulled: q('SELECT pulled_seq AS n FROM shop_state'),
        open: q(`SELECT COUNT(*) AS n FROM operations WHERE state IN ('pending', 'sent', 'unknown', 'queued')`),
        conflicts: q('SELECT COUNT(*) AS n FROM shop_conflicts'),
      });
    })();
  }, 300);
  process.on('SIGTERM', () => {
    clearInterval(status);
    void core.close().then(() => process.exit(0));
  });
  if (mode === 'final') return;

  // The same SOAK_SEED picks the same operations (how they interleave depends on timing).
  const rnd = prng(Number(env('SOAK_SEED')));
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const amount = () => (10 + Math.floor(rnd() * 190)) * 100; // ends in 00: never a sandbox magic amount
  const outcome = (kind: string, paymentId: string, r: Awaited<ReturnType<typeof call>>, amountSent: number | null) => {
    if (r.ok) say({ t: 'did', kind, paymentId, amount: amountSent, outcome: (r.value as { outcome: string }).outcome });
    else if (r.code === 'INTERNAL') say({ t: 'error', kind, paymentId, code: r.code, message: r.message });
    else say({ t: 'refused', kind, code: r.code });
  };

  const hostedCard = async (orderId: string): Promise<string> => {
    const form = await must<{ sessionId: string; action: string; fields: Record<string, string> }>('payments.hostedForm', { orderId, save: true });
    const body = new URLSearchParams({ ...form.fields, card_number: '4005550000000001', expiry_date: '3005', card_security_code: '123', card_holder_name: 'Soak Holder' });
    const res = await fetch(`${form.action}?method=get`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(), redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 303 || !location) throw new Error(`hosted page: expected 303, got ${res.status}`);
    const back = await core.acceptHostedReturn(Object.fromEntries(new URL(location).searchParams));
    if (!back.ok) throw new Error(`hosted return refused: ${back.message}`);
    return form.sessionId;
  };

  for (;;) {
    const r = rnd();
    try {
      if (r < 0.25) {
        const order = await must<{ id: string }>('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Soak', quantity: 1, unitPrice: amount(), taxRateBp: 0 }], newCustomer: { name: `Soak ${Math.floor(rnd() * 1e6)}`, email: '', phone: '' } });
        const handle = await hostedCard(order.id);
        const res = await call('payments.charge', { orderId: order.id, mode: rnd() < 0.5 ? 'purchase' : 'authorize', source: { kind: 'new_card', handle, save: true } });
        outcome('charge', res.ok ? (res.value as { payment: { id: string } }).payment.id : '', res, null);
      } else if (r < 0.45) {
        const cards = db.prepare(`SELECT id, customer_id FROM cards WHERE status = 'active' ORDER BY id`).all() as { id: string; customer_id: string }[];
        if (!cards.length) continue;
        const card = pick(cards);
        const order = await must<{ id: string }>('orders.create', { channel: 'phone', currency: 'USD', customerId: card.customer_id, lines: [{ description: 'Soak again', quantity: 1, unitPrice: amount(), taxRateBp: 0 }] });
        const res = await call('payments.charge', { orderId: order.id, mode: rnd() < 0.5 ? 'purchase' : 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
        outcome('charge', res.ok ? (res.value as { payment: { id: string } }).payment.id : '', res, null);
      } else {
        // Any desk's payment: the guard (the payment's lease) decides.
        const open = db.prepare(`SELECT id, kind, authorized, captured, refunded, voided FROM payments WHERE method = 'card' AND open_ops = 0 AND status IN ('authorized', 'partially_captured', 'captured', 'partially_refunded') ORDER BY id`).all() as { id: string; kind: string; authorized: number; captured: number; refunded: number; voided: number }[];
        if (!open.length) {
          await new Promise((res) => setTimeout(res, 20));
          continue;
        }
        const p = pick(open);
        const auth = p.kind === 'authorization' && p.voided === 0 && p.captured < p.authorized && p.refunded === 0;
        if (auth && p.captured === 0 && rnd() < 0.2) {
          outcome('void', p.id, await call('payments.void', { paymentId: p.id, reason: 'soak' }), null);
        } else if (auth && rnd() < 0.6) {
          const left = p.authorized - p.captured;
          const amt = Math.min(left, Math.max(100, Math.floor((left * rnd()) / 100) * 100));
          outcome('capture', p.id, await call('payments.capture', { paymentId: p.id, amount: amt }), amt);
        } else if (p.captured > p.refunded) {
          const amt = Math.min(p.captured - p.refunded, 100 * (1 + Math.floor(rnd() * 20)));
          outcome('refund', p.id, await call('payments.refund', { paymentId: p.id, amount: amt, reason: 'soak' }), amt);
        }
      }
    } catch (e) {
      if (e instanceof Refused) say({ t: 'refused', kind: 'setup', code: e.code });
      else say({ t: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`soak station failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
