/**
 * Deterministic whole-core simulation (issue 15; FoundationDB's simulator / TigerBeetle's VOPR):
 * one seed drives everything of a run, and the same seed replays it exactly (byte-identical event
 * trace, see `traceHash`):
 *
 *   - virtual time (sim-scheduler.ts): the core's clock and every timer of the simulated parts
 *     (background resolver, forwarder, connectivity, recurring runner, sync notify) run on it;
 *     events due at the same millisecond run in an order drawn from the seed;
 *   - the gateway (sim-gateway.ts): the sandbox's own logic in-process behind the APS adapter's
 *     transport seam, with seeded latency, lost requests and replies, duplicated requests,
 *     injected faults and offline periods;
 *   - the station: the real payments core on a real encrypted SQLite ledger file; orderly
 *     restarts, and crashes at any event (every in-memory object dropped, the ledger file
 *     reopened as it is on disk, the start-up sweep run);
 *   - the clerk: charges, captures, voids, refunds, status checks, retries and dismissals of
 *     held operations, recurring schedules, running concurrently with the resolver, the
 *     forwarder and the recurring runner (nothing waits for them between steps).
 *
 * After every event the ledger is compared with the gateway's ground truth (checkInvariants):
 * no money moved twice, every final operation agrees with what the gateway did, totals within
 * the rules; at the end, with the gateway healthy, every operation is final or held for a person
 * and every payment equals the gateway after reconciliation.
 *
 * Test support and `npm run simulate` (scripts/simulate.ts), not product code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channels, type ChannelName, type OutputOf, type ParsedInputOf } from '../../../shared/contract';
import { ApsGateway } from '../../gateway/aps';
import type { FaultKind } from '../../gateway/sandbox';
import { DEFAULT_MERCHANT } from '../../gateway/sandbox/merchants';
import type { Clock, Timer } from '../clock';
import type { CallContext } from '../context';
import { openLedger, type Db } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import { silentLogger, type CoreDeps } from '../deps';
import { CoreEvents } from '../events';
import { useIdSource } from '../ledger/sql';
import { insertUser } from '../people/users-repo';
import { prng } from '../prng';
import { hashSecret } from '../people/secrets';
import { createRecurringFeature, type RecurringFeature } from '../recurring';
import { MemorySettingsStore } from '../settings/defaults';
import { Connectivity, createSyncFeature, type SyncFeature } from '../sync';
import { createPaymentsFeature, type PaymentsFeature } from './index';
import { operationsOf, type OperationRow, type OperationState } from './operation-log';
import { getPaymentRow, type PaymentRow } from './payments-repo';
import { SimGateway, type NetworkProfile } from './sim-gateway';
import { SimScheduler } from './sim-scheduler';

const KIND: Record<string, string> = { authorize: 'AUTHORIZATION', purchase: 'PURCHASE', capture: 'CAPTURE', void: 'VOID_AUTHORIZATION', refund: 'REFUND' };
const FAULTS: FaultKind[] = ['timeout_after_commit', 'timeout_before_commit', 'reset_after_commit', 'reset_before_commit', 'http_500', 'http_503', 'truncated', 'bad_signature', 'latency'];
/** Faults hit maintenance more often: their ambiguity (no reference of their own for captures) is where the verdicts are hardest. */
const COMMANDS = ['AUTHORIZATION', 'PURCHASE', 'CAPTURE', 'CAPTURE', 'CAPTURE', 'VOID_AUTHORIZATION', 'VOID_AUTHORIZATION', 'REFUND', 'REFUND', 'REFUND', 'CHECK_STATUS', 'CHECK_STATUS'];
/** The adapter's timeout (virtual milliseconds). */
const TIMEOUT_MS = 2_000;
const OPEN: readonly OperationState[] = ['pending', 'sent', 'unknown'];
const START = '2026-03-02T08:00:00.000Z';
const NETWORK: NetworkProfile = { maxLatencyMs: 400, requestLoss: 20, replyLoss: 20, duplicate: 30 };
const PASSPHRASE = 'simulation passphrase';

export interface SimulationOptions {
  seed: number;
  steps?: number;
  /** Called with each step's description (the CLI prints them with --verbose). */
  onStep?: (i: number, what: string) => void;
  /** Per mille of steps that crash the station (default 60). */
  crashRate?: number;
}

export interface SimulationReport {
  seed: number;
  steps: number;
  payments: number;
  operations: number;
  restarts: number;
  crashes: number;
  offlinePeriods: number;
  faults: number;
  events: number;
  /** Every step and every event, with its virtual time: equal for equal seeds. */
  trace: string[];
  /** sha256 of `trace`. */
  traceHash: string;
}

/** One life of the station process: everything in memory, gone at a crash. */
interface Station {
  generation: number;
  db: Db;
  deps: CoreDeps;
  feature: PaymentsFeature;
  sync: SyncFeature;
  recurring: RecurringFeature;
}

interface World {
  sched: SimScheduler;
  gw: SimGateway;
  dir: string;
  st: Station;
  generation: number;
  clerk: CallContext;
  supervisor: CallContext;
  cardId: string;
  customerId: string;
  payments: string[];
  /** Last state seen of every operation: final states must never change (except the named exit). */
  seen: Map<string, OperationState>;
  inFlight: Set<Promise<unknown>>;
  /** Ledger + gateway version the invariants were last checked at. */
  checked?: string;
}

/** A station's view of virtual time: its timers die with it (a crashed process schedules nothing). */
function stationClock(w: Pick<World, 'sched' | 'generation'>, generation: number): Clock {
  const dead: Timer = { clear() {} };
  return {
    now: () => w.sched.now(),
    setTimer: (fn, ms) => (w.generation === generation ? w.sched.setTimer(fn, ms) : dead),
  };
}

async function call<K extends ChannelName>(st: Station, name: K, input: unknown, ctx: CallContext): Promise<OutputOf<K>> {
  const parsed = channels[name].input.parse(input) as ParsedInputOf<typeof name>;
  const handler = st.feature.handlers[name] as unknown as (i: unknown, c: CallContext) => unknown;
  return channels[name].output.parse(await handler(parsed, ctx)) as OutputOf<K>;
}

/** Opens the ledger file as it is on disk and starts the station as app.ts does (sweep, sync, recurring). */
async function boot(w: World, first: boolean): Promise<void> {
  const generation = ++w.generation;
  const clock = stationClock(w, generation);
  const db = await openLedger({ dir: w.dir, protector: new PassphraseKeyProtector(PASSPHRASE, { N: 1 << 12 }) });
  const aps = new ApsGateway({
    paymentApiUrl: 'http://sandbox.sim/FortAPI/paymentApi',
    paymentPageUrl: 'http://sandbox.sim/FortAPI/paymentPage',
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    timeoutMs: TIMEOUT_MS,
    language: 'en',
    isSandbox: true,
    name: 'sandbox',
    // A dead process sends nothing: its calls never leave (and never settle).
    exchange: (req) => (w.generation === generation ? w.gw.exchange(req) : new Promise(() => undefined)),
  });
  const conn = new Connectivity(aps, { timers: clock, onlineProbeMs: 10_000 });
  const deps: CoreDeps = {
    db,
    gateway: conn.gateway,
    clock,
    station: 'D1',
    settings: new MemorySettingsStore({
      stationName: 'D1',
      refundApprovalLimit: 9_999_999_999,
      offlineCharges: { enabled: true, perCharge: 1_000_000, totalOutstanding: 10_000_000, maxCount: 500, maxAgeHours: 168 },
    }),
    events: new CoreEvents(),
    log: silentLogger,
    hostedReturnUrl: 'http://127.0.0.1:9/hosted-return',
  };
  const feature = createPaymentsFeature(deps, { retryDelaysMs: [500, 1_000, 2_000, 4_000, 8_000, 16_000], captureResendGraceMs: 3 * TIMEOUT_MS });
  if (first) {
    const at = w.sched.now().toISOString();
    const [clerkHash, supHash] = [await hashSecret('111111'), await hashSecret('246810')];
    const clerk = insertUser(db, { name: 'Clara Clerk', role: 'clerk', secretHash: clerkHash }, at);
    const sup = insertUser(db, { name: 'Sam Supervisor', role: 'supervisor', secretHash: supHash }, at);
    w.clerk = { sessionKey: 'k1', origin: 'test', user: { id: clerk.id, name: clerk.name, role: 'clerk' } };
    w.supervisor = { sessionKey: 'k2', origin: 'test', user: { id: sup.id, name: sup.name, role: 'supervisor' } };
  }
  const sync = createSyncFeature(deps, feature.service, conn, { notifyMs: 100, resolveDelaysMs: [0, 500, 2_000, 6_000], passDelayMs: { min: 1_000, max: 30_000 } });
  const recurring = createRecurringFeature(deps, feature, { timeZone: 'UTC', tickMs: 3_600_000 });
  w.st = { generation, db, deps, feature, sync, recurring };
  await w.sched.runUntil(feature.recover());
  sync.start();
  await w.sched.runUntil(recurring.start());
  w.sched.note(`station up (life ${generation})`);
}

/** The process dies now: nothing of it runs again; what is on disk is what the next life finds. */
async function crash(w: World): Promise<void> {
  w.generation++;
  const dropped = w.sched.crashStation();
  w.st.db.close();
  w.sched.note(`CRASH (${dropped} station events dropped)`);
  w.inFlight.clear();
  // What the dead process still had in its microtask queue fails on the closed ledger; drop what it scheduled meanwhile.
  await w.sched.drain();
  w.sched.crashStation();
  await boot(w, false);
}

/** An orderly stop (what is in flight finishes or stays unfinished in the log) and a start. */
async function restart(w: World): Promise<void> {
  const st = w.st;
  await w.sched.runUntil(Promise.allSettled([...w.inFlight]));
  await w.sched.runUntil(st.recurring.close());
  await w.sched.runUntil(st.sync.close());
  await w.sched.runUntil(st.feature.close());
  w.generation++;
  w.sched.crashStation(); // nothing of the stopped process is left to run
  st.db.close();
  w.sched.note('orderly restart');
  await boot(w, false);
}

/** A screen call, not awaited: it runs alongside whatever comes next. Refusals are expected outcomes; a crash ends it. */
function launch(w: World, p: Promise<unknown>): void {
  const generation = w.generation;
  const tracked = p.catch((e: unknown) => {
    if (w.generation !== generation) return; // the process it ran in is gone
    const name = (e as { name?: string })?.name;
    if (name !== 'ContractError') throw e;
  });
  w.inFlight.add(tracked);
  void tracked.finally(() => w.inFlight.delete(tracked));
}

function paymentRows(w: World): PaymentRow[] {
  return w.payments.map((id) => getPaymentRow(w.st.db, id)!);
}

const amountOf = (o: { type: string; amount: number | null }): number => (o.type === 'void' ? 0 : (o.amount ?? 0));

/**
 * The invariants, checked after every event with work in flight, against the gateway's ground
 * truth (what its store says it did):
 * - totals within the payment rules;
 * - per kind of operation (charge, capture, void, refund): what the ledger counts as succeeded
 *   happened at the gateway, and the gateway did nothing the ledger did not ask for (succeeded ≤
 *   applied ≤ succeeded + still open, in count and in amount): no money moved twice;
 * - a succeeded refund is at the gateway under its own maintenance reference, a declined one is not;
 *   a succeeded charge is at the gateway, a declined one is not;
 * - a payment with nothing open or queued equals the gateway exactly (operations and totals), and
 *   its log explains its totals;
 * - nothing lost: every operation seen is still there; a final state never changes, except
 *   DECLINED → NEEDS_ATTENTION (and then back to DECLINED by a dismissal).
 */
export function checkInvariants(w: World, always = true): void {
  const db = w.st.db;
  const sb = w.gw.control;
  // After an event that wrote nothing to the ledger and processed nothing at the gateway (a probe,
  // a timer with nothing to do), every check would repeat the last one.
  const version = `${w.generation}:${(db.prepare('SELECT total_changes() AS n').get() as { n: number }).n}:${w.gw.processed}`;
  if (!always && version === w.checked) return;
  w.checked = version;
  for (const p of paymentRows(w)) {
    const name = w.gw.name(p.reference);
    assert.ok(p.captured <= p.authorized, `${name}: captured > authorized`);
    assert.ok(p.refunded <= p.captured, `${name}: refunded > captured`);
    if (p.voided) assert.equal(p.captured, 0, `${name}: voided yet captured`);
    const ops = operationsOf(db, p.id);
    const gw = sb.order(p.reference);
    const applied = (gw?.operations ?? []).filter((o) => o.applied);
    for (const kind of ['charge', 'capture', 'void', 'refund']) {
      const of = (t: string) => (kind === 'charge' ? t === 'authorize' || t === 'purchase' : t === kind);
      const gwOf = (k: string) => (kind === 'charge' ? k === 'AUTHORIZATION' || k === 'PURCHASE' : k === KIND[kind]);
      const done = ops.filter((o) => of(o.type) && o.state === 'succeeded');
      const open = ops.filter((o) => of(o.type) && OPEN.includes(o.state));
      const at = applied.filter((o) => gwOf(o.kind));
      const sum = (xs: { amount: number | null; type: string }[]) => xs.reduce((a, o) => a + amountOf(o), 0);
      const atSum = at.reduce((a, o) => a + (kind === 'void' ? 0 : o.amount), 0);
      assert.ok(done.length <= at.length && sum(done) <= atSum, `${name}: the ledger counts ${done.length} ${kind}(s) of ${sum(done)} as succeeded, the gateway applied ${at.length} of ${atSum}`);
      assert.ok(at.length <= done.length + open.length && atSum <= sum(done) + sum(open), `${name}: the gateway applied ${at.length} ${kind}(s) of ${atSum}, more than the ledger asked for (${done.length} succeeded, ${open.length} open): money moved twice`);
    }
    for (const o of ops) {
      if (o.type === 'refund' && (o.state === 'succeeded' || o.state === 'declined')) {
        const there = applied.some((a) => a.kind === 'REFUND' && a.maintenanceReference === o.reference);
        assert.equal(there, o.state === 'succeeded', `${name}: refund ${w.gw.name(o.reference, 'M')} is ${o.state} in the ledger but ${there ? 'applied' : 'not applied'} at the gateway`);
      }
      if ((o.type === 'authorize' || o.type === 'purchase') && (o.state === 'succeeded' || o.state === 'declined')) {
        const there = applied.some((a) => a.kind === KIND[o.type]);
        assert.equal(there, o.state === 'succeeded', `${name}: ${o.type} is ${o.state} in the ledger but ${there ? 'applied' : 'not applied'} at the gateway`);
      }
    }
    const open = ops.filter((o) => OPEN.includes(o.state)).length;
    const queued = ops.filter((o) => o.state === 'queued').length;
    if (open === 0 && queued === 0) {
      const succeeded = ops.filter((o) => o.state === 'succeeded' && KIND[o.type]);
      assert.deepEqual(
        applied.map((o) => `${o.kind}:${o.amount}`),
        succeeded.map((o) => `${KIND[o.type]}:${amountOf(o)}`),
        `${name}: operations at the gateway`,
      );
      assert.deepEqual([p.authorized, p.captured, p.refunded], [gw?.authorizedAmount ?? 0, gw?.capturedAmount ?? 0, gw?.refundedAmount ?? 0], `${name}: totals`);
      const sum = (types: string[]) => succeeded.filter((o) => types.includes(o.type)).reduce((a, o) => a + (o.amount ?? 0), 0);
      assert.equal(p.captured, sum(['purchase', 'capture']), `${name}: captured = purchases + captures`);
      assert.equal(p.refunded, sum(['refund']), `${name}: refunded = refunds`);
    }
    for (const o of ops) checkMove(w, o);
  }
  const count = (db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n;
  assert.ok(count >= w.seen.size, 'operations lost');
}

function checkMove(w: World, o: OperationRow): void {
  const before = w.seen.get(o.id);
  if (before === 'succeeded') assert.equal(o.state, 'succeeded', `${o.id} left SUCCEEDED`);
  if (before === 'declined' && o.state !== 'declined') assert.equal(o.state, 'needs_attention', `${o.id} left DECLINED`);
  w.seen.set(o.id, o.state);
}

/** A customer with a card on file (the sandbox's tokenization, then a first charge), with a calm network. */
async function firstCard(w: World): Promise<void> {
  const st = w.st;
  const order = await w.sched.runUntil(call(st, 'orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Sim Customer', email: 'sim@example.com', phone: '' }, lines: [{ description: 'first', quantity: 1, unitPrice: 1_000, taxRateBp: 0 }] }, w.clerk));
  const form = await w.sched.runUntil(call(st, 'payments.hostedForm', {}, w.clerk));
  const returned = await w.sched.runUntil(st.feature.acceptHostedReturn(w.gw.tokenizationReturn(form.fields)));
  if (!returned.ok) throw new Error(`hosted return refused: ${returned.message}`);
  const r = await w.sched.runUntil(call(st, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle: form.sessionId, save: true } }, w.clerk));
  if (!r.cardSaved) throw new Error(`the first charge did not save the card: ${r.outcome} ${r.message}`);
  w.cardId = r.cardSaved.id;
  w.customerId = order.customerId!;
  w.payments.push(r.payment.id);
}

/** Runs one seed. Throws (with the seed in the message) when an invariant breaks. */
export async function simulate(opts: SimulationOptions): Promise<SimulationReport> {
  const random = prng(opts.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const steps = opts.steps ?? 60;
  const crashRate = opts.crashRate ?? 60;
  const report: SimulationReport = { seed: opts.seed, steps, payments: 0, operations: 0, restarts: 0, crashes: 0, offlinePeriods: 0, faults: 0, events: 0, trace: [], traceHash: '' };
  const sched = new SimScheduler(prng(opts.seed ^ 0x5eed5eed), START);
  const gw = new SimGateway(sched, prng(opts.seed ^ 0x0a7e0a7e), { ...NETWORK, requestLoss: 0, replyLoss: 0, duplicate: 0 });
  let ids = 0;
  useIdSource((prefix) => `${prefix}_${sched.nowMs().toString(36).padStart(9, '0')}${(ids++).toString(36).padStart(7, '0')}`);
  const dir = mkdtempSync(join(tmpdir(), 'simulation-'));
  const w = { sched, gw, dir, generation: 0, payments: [], seen: new Map(), inFlight: new Set() } as unknown as World;
  let step = -1;
  const note = (what: string) => {
    sched.note(`step ${step}: ${what}`);
    opts.onStep?.(step, what);
  };
  let offline = false;
  let crashArmed: string | null = null;
  let crashAt: number | null = null;
  try {
    await boot(w, true);
    await firstCard(w);
    Object.assign(gw.profile, NETWORK);
    sched.afterEvent = () => checkInvariants(w, false);
    const recordPayment = (p: Promise<{ payment: { id: string } }>) =>
      launch(
        w,
        p.then((r) => {
          if (!w.payments.includes(r.payment.id)) w.payments.push(r.payment.id);
        }),
      );
    for (step = 0; step < steps; step++) {
      const st = w.st;
      // The same draws every step, whatever happens: the choices stay a pure function of the seed.
      const roll = random();
      const pickDraw = random();
      // Most actions go to a payment they can apply to (a capture to an authorization with something
      // left to capture...), so the interesting paths are exercised; the rest test the refusals.
      const fits = (test: (p: PaymentRow) => boolean): string => {
        const ok = paymentRows(w).filter(test);
        return ok.length > 0 && pickDraw < 0.85 ? ok[Math.floor((pickDraw / 0.85) * ok.length)]!.id : w.payments[Math.floor(pickDraw * w.payments.length)]!;
      };
      const capturable = fits((p) => p.authorized > p.captured && !p.voided);
      const refundable = fits((p) => p.captured > p.refunded);
      const voidable = fits((p) => p.authorized > 0 && p.captured === 0 && !p.voided);
      const target = w.payments[Math.floor(pickDraw * w.payments.length)]!;
      const permille = int(1, 1200);
      const on = (id: string) => `payment ${gw.name(getPaymentRow(st.db, id)!.reference)}`;
      const crashNow = random() * 1000 < crashRate;
      if (roll < 0.17) {
        const mode = random() < 0.6 ? 'authorize' : 'purchase';
        const declined = random() < 0.1;
        const amount = declined ? 10_029 : int(1, 400) * 100; // 10_029: the sandbox declines it
        note(`charge ${mode} ${amount}`);
        const order = await sched.runUntil(call(st, 'orders.create', { channel: 'phone', currency: 'USD', customerId: w.customerId, lines: [{ description: 'sim', quantity: 1, unitPrice: amount, taxRateBp: 0 }] }, w.clerk));
        recordPayment(call(st, 'payments.charge', { orderId: order.id, mode, source: { kind: 'card_on_file', cardId: w.cardId } }, w.clerk));
      } else if (roll < 0.32) {
        const p = getPaymentRow(st.db, capturable)!;
        const amount = Math.max(1, Math.round(((p.authorized - p.captured) * permille) / 1000));
        note(`capture ${permille}‰ of what remains on ${on(capturable)}`);
        launch(w, call(st, 'payments.capture', { paymentId: capturable, amount }, w.clerk));
      } else if (roll < 0.47) {
        const p = getPaymentRow(st.db, refundable)!;
        const amount = Math.max(1, Math.round(((p.captured - p.refunded) * permille) / 1000));
        note(`refund ${permille}‰ of what remains on ${on(refundable)}`);
        launch(w, call(st, 'payments.refund', { paymentId: refundable, amount, reason: 'simulation' }, w.clerk));
      } else if (roll < 0.52) {
        note(`void ${on(voidable)}`);
        launch(w, call(st, 'payments.void', { paymentId: voidable }, w.clerk));
      } else if (roll < 0.57) {
        note(`check status ${on(target)}`);
        launch(w, call(st, 'payments.checkStatus', { paymentId: target }, w.clerk));
      } else if (roll < 0.7) {
        const kind = pickOf(FAULTS);
        const command = pickOf(COMMANDS);
        const delayMs = int(10, 2 * TIMEOUT_MS);
        note(`fault ${kind} on ${command}${kind === 'latency' ? ` ${delayMs} ms` : ''}`);
        report.faults++;
        gw.control.injectFault({ kind, match: { command }, times: 1, ...(kind === 'latency' ? { delayMs } : {}) });
      } else if (roll < 0.76) {
        offline = !offline;
        note(offline ? 'gateway unreachable' : 'gateway reachable');
        if (offline) report.offlinePeriods++;
        gw.control.setReachable(!offline);
      } else if (roll < 0.8) {
        const ms = int(1, 120) * 60_000;
        note(`time passes: ${ms / 60_000} min`);
        await sched.runFor(ms);
      } else if (roll < 0.85) {
        const action = random() < 0.5 ? 'retry' : 'dismiss';
        const held = st.db.prepare(`SELECT id FROM operations WHERE state = 'needs_attention' ORDER BY seq LIMIT 1`).get() as { id: string } | undefined;
        note(`${action} the oldest held operation, if any`);
        if (held) launch(w, st.sync.resolve(held.id, action, { id: w.supervisor.user!.id, name: w.supervisor.user!.name }));
      } else if (roll < 0.89) {
        const recurringAmount = int(1, 50) * 100;
        note(`recurring: a daily schedule of 2 charges of ${recurringAmount}`);
        launch(
          w,
          st.recurring.service
            .create({ customerId: w.customerId, cardId: w.cardId, amount: recurringAmount, currency: 'USD', frequency: 'daily', startAt: null, endAt: null, count: 2, description: 'sim' }, { id: w.clerk.user!.id, name: w.clerk.user!.name })
            .then((d) => {
              for (const p of d.periods) if (p.paymentId && !w.payments.includes(p.paymentId)) w.payments.push(p.paymentId);
            }),
        );
      } else if (roll < 0.94) {
        note('recurring runner pass');
        launch(w, st.recurring.service.pass());
      } else {
        note('orderly restart');
        report.restarts++;
        await restart(w);
      }
      // Recurring periods make payments of their own: follow them.
      for (const { payment_id } of w.st.db.prepare('SELECT payment_id FROM recurring_periods WHERE payment_id IS NOT NULL ORDER BY id').all() as { payment_id: string }[]) {
        if (!w.payments.includes(payment_id)) w.payments.push(payment_id);
      }
      // The concurrent work runs for a while in virtual time (a crash may cut it anywhere).
      const span = int(0, 3 * TIMEOUT_MS);
      // Half the crashes wait for the gateway to commit a capture, void or refund (captures the
      // most: they have no reference of their own) and strike right after, its reply still on the
      // way: the window where a station that forgot what it sent would send it twice (charges are
      // guarded by their reference). The others strike at any moment of the step.
      const trapDraw = random();
      if (crashNow && trapDraw < 0.5) crashArmed = trapDraw < 0.25 ? 'CAPTURE' : trapDraw < 0.375 ? 'REFUND' : 'VOID_AUTHORIZATION';
      else if (crashNow) crashAt = int(0, span);
      const begin = sched.nowMs();
      if (crashArmed) {
        const command = crashArmed;
        const mark = gw.processedBy.get(command) ?? 0;
        if (await sched.runUntilAfter(() => (gw.processedBy.get(command) ?? 0) > mark, span)) {
          crashArmed = null;
          note(`crash just after the gateway committed a ${command}`);
          report.crashes++;
          await crash(w);
          checkInvariants(w);
        }
      } else if (crashAt !== null) {
        await sched.runFor(crashAt);
        note(`crash after ${crashAt} ms`);
        crashAt = null;
        report.crashes++;
        await crash(w);
        checkInvariants(w);
      }
      await sched.runFor(Math.max(0, span - (sched.nowMs() - begin)));
      checkInvariants(w);
    }
    step = steps;
    await finish(w);
    report.payments = w.payments.length;
    report.operations = w.seen.size;
    report.events = sched.ran;
    report.trace = sched.trace;
    report.traceHash = sched.traceHash();
    return report;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `simulation seed ${opts.seed} failed at step ${step} (replay: npm run simulate -- --seed ${opts.seed}${steps !== 60 ? ` --steps ${steps}` : ''}): ${err.message}\n  last events: ${sched.trace.slice(-12).join(' | ')}`;
    throw err;
  } finally {
    sched.afterEvent = null;
    await shutdown(w).catch(() => undefined);
    useIdSource(null);
    gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function shutdown(w: World): Promise<void> {
  if (!w.st) return;
  w.generation++;
  w.sched.crashStation();
  if (w.st.db.open) w.st.db.close();
  await w.sched.drain();
}

/** The gateway healthy again: every operation final or held for a person, every payment equal to the gateway. */
async function finish(w: World): Promise<void> {
  const { gw, sched } = w;
  gw.control.clearFaults();
  gw.control.setReachable(true);
  Object.assign(gw.profile, { requestLoss: 0, replyLoss: 0, duplicate: 0 });
  sched.note('finish: gateway healthy');
  for (let round = 0; round < 20; round++) {
    await sched.runUntil(Promise.allSettled([...w.inFlight]));
    await sched.runFor(60_000);
    const open = paymentRows(w).filter((p) => p.open_ops > 0 || p.queued > 0);
    if (open.length === 0) break;
    for (const p of open) launch(w, call(w.st, 'payments.checkStatus', { paymentId: p.id }, w.clerk));
  }
  await sched.runUntil(Promise.allSettled([...w.inFlight]));
  const unexplained = w.st.db.prepare(`SELECT id, type, state FROM operations WHERE state NOT IN ('succeeded', 'declined', 'needs_attention')`).all();
  assert.deepEqual(unexplained, [], 'every operation final or held for a person');
  const unhanded = w.st.db.prepare(`SELECT id, type FROM operations WHERE state = 'declined' AND forwarded = 1`).all();
  assert.deepEqual(unhanded, [], 'every refusal of a forwarded operation handed to a person');
  // Reconciliation: check status of every payment, then the ledger equals the gateway.
  for (const id of w.payments) await sched.runUntil(call(w.st, 'payments.checkStatus', { paymentId: id }, w.clerk).catch(() => undefined));
  checkInvariants(w);
  for (const p of paymentRows(w)) {
    const g = gw.control.order(p.reference);
    assert.deepEqual([p.authorized, p.captured, p.refunded], [g?.authorizedAmount ?? 0, g?.capturedAmount ?? 0, g?.refundedAmount ?? 0], `${gw.name(p.reference)}: totals after reconciliation`);
  }
  sched.note(`finish: ${w.payments.length} payments equal to the gateway`);
}
