/**
 * Seeded whole-core simulation (issue 15): one seed drives every choice of a run: the user's
 * actions at the screen (charges, captures, voids, refunds, check status, retries and dismissals
 * of held operations, recurring schedules), the sandbox's faults and latencies, offline and online
 * periods, the station's clock and restarts; the unknown-outcome resolver, the forwarder and the
 * recurring runner run concurrently with the screen's calls (nothing waits for them between
 * steps). Every invariant is checked after every step; at the end, with the gateway healthy, every
 * operation must be final or explained and every payment equal to the sandbox.
 *
 * Test support and `npm run simulate` (scripts/simulate.ts), not product code. The choices are a
 * pure function of the seed (the action log of a seed is the same on every run: `trace`), so a
 * failing seed replays the same actions; the real sandbox is reached over real HTTP, so the exact
 * interleaving of replies with the station's own timers can still differ from run to run.
 */
import assert from 'node:assert/strict';
import type { FaultKind } from '../../gateway/sandbox';
import { createRecurringFeature, type RecurringFeature } from '../recurring';
import { startSyncHarness, type SyncHarness } from '../sync/test-support';
import { operationsOf, type OperationRow, type OperationState } from './operation-log';
import { getPaymentRow, type PaymentRow } from './payments-repo';

/** mulberry32: small, fast, good enough to drive choices; the whole run derives from one 32-bit seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KIND: Record<string, string> = { authorize: 'AUTHORIZATION', purchase: 'PURCHASE', capture: 'CAPTURE', void: 'VOID_AUTHORIZATION', refund: 'REFUND' };
const FAULTS: FaultKind[] = ['timeout_after_commit', 'timeout_before_commit', 'reset_after_commit', 'reset_before_commit', 'http_500', 'http_503', 'truncated', 'bad_signature', 'latency'];
const COMMANDS = ['AUTHORIZATION', 'PURCHASE', 'CAPTURE', 'VOID_AUTHORIZATION', 'REFUND', 'CHECK_STATUS'];
const TIMEOUT_MS = 200;
const OPEN: readonly OperationState[] = ['pending', 'sent', 'unknown'];

export interface SimulationOptions {
  seed: number;
  steps?: number;
  /** Called with each step's description (the CLI prints them with --verbose). */
  onStep?: (i: number, what: string) => void;
}

export interface SimulationReport {
  seed: number;
  steps: number;
  payments: number;
  operations: number;
  restarts: number;
  offlinePeriods: number;
  faults: number;
  /** Every choice the seed made, in order: equal for equal seeds. */
  trace: string[];
}

interface World {
  sh: SyncHarness;
  recurring: RecurringFeature;
  cardId: string;
  customerId: string;
  payments: string[];
  /** Last state seen of every operation: final states must never change (except the named exit). */
  seen: Map<string, OperationState>;
  inFlight: Set<Promise<unknown>>;
}

/** A screen call, not awaited: it runs alongside whatever comes next. Refusals are expected outcomes. */
function launch(w: World, p: Promise<unknown>): void {
  const tracked = p.catch((e: unknown) => {
    const name = (e as { name?: string })?.name;
    if (name !== 'ContractError') throw e;
  });
  w.inFlight.add(tracked);
  void tracked.finally(() => w.inFlight.delete(tracked));
}

function paymentRows(w: World): PaymentRow[] {
  return w.payments.map((id) => getPaymentRow(w.sh.h.db, id)!);
}

/**
 * The invariants, checked after every step with work still in flight:
 * - totals within the payment rules (the ledger's CHECKs say so too);
 * - no money moved twice: never more applied at the gateway than we asked for;
 * - the operation log and the payment's totals agree (sum of succeeded operations);
 * - a payment with nothing open or queued equals the sandbox exactly (totals and operations);
 * - nothing lost: every operation seen is still there; a final state never changes, except
 *   DECLINED → NEEDS_ATTENTION (and then back to DECLINED by a dismissal).
 */
export function checkInvariants(w: World): void {
  const { db, sb } = w.sh.h;
  for (const p of paymentRows(w)) {
    assert.ok(p.captured <= p.authorized, `${p.reference}: captured > authorized`);
    assert.ok(p.refunded <= p.captured, `${p.reference}: refunded > captured`);
    if (p.voided) assert.equal(p.captured, 0, `${p.reference}: voided yet captured`);
    const ops = operationsOf(db, p.id);
    const succeeded = ops.filter((o) => o.state === 'succeeded' && KIND[o.type]);
    const open = ops.filter((o) => OPEN.includes(o.state)).length;
    const queued = ops.filter((o) => o.state === 'queued').length;
    const gw = sb.control.order(p.reference);
    const applied = (gw?.operations ?? []).filter((o) => o.applied).map((o) => `${o.kind}:${o.amount}`);
    assert.ok(applied.length <= succeeded.length + open, `${p.reference}: more applied at the gateway (${applied.join(', ')}) than asked`);
    if (open === 0 && queued === 0) {
      assert.deepEqual(applied, succeeded.map((o) => `${KIND[o.type]}:${o.type === 'void' ? 0 : o.amount}`), `${p.reference}: operations at the gateway`);
      assert.deepEqual([p.authorized, p.captured, p.refunded], [gw?.authorizedAmount ?? 0, gw?.capturedAmount ?? 0, gw?.refundedAmount ?? 0], `${p.reference}: totals`);
      // The log explains the totals.
      const sum = (types: string[]) => succeeded.filter((o) => types.includes(o.type)).reduce((a, o) => a + (o.amount ?? 0), 0);
      assert.equal(p.captured, sum(['purchase', 'capture']), `${p.reference}: captured = purchases + captures`);
      assert.equal(p.refunded, sum(['refund']), `${p.reference}: refunded = refunds`);
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

async function settleAll(w: World): Promise<void> {
  while (w.inFlight.size > 0) await Promise.allSettled([...w.inFlight]);
  await w.sh.h.feature.service.settle();
}

/** A customer with a card on file, through the hosted page; resolved even if a slow machine left the first charge unknown. */
async function firstCard(sh: SyncHarness): Promise<{ cardId: string; customerId: string; paymentId: string }> {
  const { h } = sh;
  const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Sim Customer', email: 'sim@example.com', phone: '' }, lines: [{ description: 'first', quantity: 1, unitPrice: 1_000, taxRateBp: 0 }] });
  const handle = await h.hostedCard();
  const r = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  let cardId = r.cardSaved?.id;
  for (let round = 0; !cardId && round < 20; round++) {
    await h.feature.service.settle();
    h.advance(4 * TIMEOUT_MS);
    await h.call('payments.checkStatus', { paymentId: r.payment.id });
    cardId = (h.db.prepare('SELECT saved_card_id AS id FROM payments WHERE id = ?').get(r.payment.id) as { id: string | null }).id ?? undefined;
  }
  if (!cardId) throw new Error(`the first charge never resolved: ${r.outcome} ${r.message}`);
  return { cardId, customerId: order.customerId!, paymentId: r.payment.id };
}

/** Runs one seed. Throws (with the seed in the message) when an invariant breaks. */
export async function simulate(opts: SimulationOptions): Promise<SimulationReport> {
  const random = rng(opts.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const steps = opts.steps ?? 60;
  const report: SimulationReport = { seed: opts.seed, steps, payments: 0, operations: 0, restarts: 0, offlinePeriods: 0, faults: 0, trace: [] };
  const sh = await startSyncHarness({
    timeoutMs: TIMEOUT_MS,
    captureResendGraceMs: 3 * TIMEOUT_MS,
    settings: { refundApprovalLimit: 9_999_999_999, offlineCharges: { enabled: true, perCharge: 1_000_000, totalOutstanding: 10_000_000, maxCount: 500, maxAgeHours: 168 } },
  });
  const first = await firstCard(sh);
  const w: World = {
    sh,
    recurring: createRecurringFeature(sh.h.deps, sh.h.feature, { timeZone: 'UTC', tickMs: 3_600_000 }),
    cardId: first.cardId,
    customerId: first.customerId,
    payments: [first.paymentId],
    seen: new Map(),
    inFlight: new Set(),
  };
  await w.recurring.start();
  const note = (i: number, what: string) => {
    report.trace.push(what);
    opts.onStep?.(i, what);
  };
  const recordPayment = (p: Promise<{ payment: { id: string } }>) =>
    launch(
      w,
      p.then((r) => {
        w.payments.push(r.payment.id);
      }),
    );
  let offline = false;
  try {
    for (let i = 0; i < steps; i++) {
      const h = w.sh.h;
      // Three draws every step, whatever happens: the choices stay a pure function of the seed.
      const roll = random();
      const pickDraw = random();
      const target = w.payments[Math.floor(pickDraw * w.payments.length)]!;
      const permille = int(1, 1200);
      const on = `payment@${pickDraw.toFixed(3)}`;
      if (roll < 0.18) {
        const mode = random() < 0.6 ? 'authorize' : 'purchase';
        const declined = random() < 0.1;
        const plain = int(1, 400) * 100;
        const amount = declined ? 10_029 : plain; // 10_029: the sandbox declines it
        note(i, `charge ${mode} ${amount}`);
        const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', customerId: w.customerId, lines: [{ description: 'sim', quantity: 1, unitPrice: amount, taxRateBp: 0 }] });
        recordPayment(h.call('payments.charge', { orderId: order.id, mode, source: { kind: 'card_on_file', cardId: w.cardId } }));
      } else if (roll < 0.33) {
        const p = getPaymentRow(h.db, target)!;
        const amount = Math.max(1, Math.round(((p.authorized - p.captured) * permille) / 1000));
        note(i, `capture ${permille}‰ of what remains on ${on}`);
        launch(w, h.call('payments.capture', { paymentId: target, amount }));
      } else if (roll < 0.46) {
        const p = getPaymentRow(h.db, target)!;
        const amount = Math.max(1, Math.round(((p.captured - p.refunded) * permille) / 1000));
        note(i, `refund ${permille}‰ of what remains on ${on}`);
        launch(w, h.call('payments.refund', { paymentId: target, amount, reason: 'simulation' }));
      } else if (roll < 0.51) {
        note(i, `void ${on}`);
        launch(w, h.call('payments.void', { paymentId: target }));
      } else if (roll < 0.56) {
        note(i, `check status ${on}`);
        launch(w, h.call('payments.checkStatus', { paymentId: target }));
      } else if (roll < 0.7) {
        const kind = pickOf(FAULTS);
        const command = pickOf(COMMANDS);
        const delayMs = int(10, 3 * TIMEOUT_MS);
        note(i, `fault ${kind} on ${command}${kind === 'latency' ? ` ${delayMs} ms` : ''}`);
        report.faults++;
        h.sb.control.injectFault({ kind, match: { command }, times: 1, ...(kind === 'latency' ? { delayMs } : {}) });
      } else if (roll < 0.76) {
        offline = !offline;
        note(i, offline ? 'go offline' : 'go online');
        if (offline) {
          report.offlinePeriods++;
          h.sb.control.setReachable(false);
          await w.sh.sync.connectivity.probe();
        } else {
          h.sb.control.setReachable(true);
          await w.sh.sync.connectivity.probe();
        }
      } else if (roll < 0.82) {
        const ms = int(1, 4) * TIMEOUT_MS;
        note(i, `clock +${ms} ms`);
        h.advance(ms);
      } else if (roll < 0.86) {
        const action = random() < 0.5 ? 'retry' : 'dismiss';
        const held = h.db.prepare(`SELECT id, type FROM operations WHERE state = 'needs_attention' ORDER BY id LIMIT 1`).get() as { id: string; type: string } | undefined;
        note(i, `${action} the oldest held operation, if any`);
        if (held) launch(w, w.sh.sync.resolve(held.id, action, { id: h.supervisor.user!.id, name: h.supervisor.user!.name }));
      } else if (roll < 0.9) {
        const recurringAmount = int(1, 50) * 100;
        note(i, `recurring: a daily schedule of 2 charges of ${recurringAmount}`);
        launch(
          w,
          w.recurring.service
            .create({ customerId: w.customerId, cardId: w.cardId, amount: recurringAmount, currency: 'USD', frequency: 'daily', startAt: null, endAt: null, count: 2, description: 'sim' }, { id: h.clerk.user!.id, name: h.clerk.user!.name })
            .then((d) => {
              for (const p of d.periods) if (p.paymentId) w.payments.push(p.paymentId);
            }),
        );
      } else if (roll < 0.95) {
        note(i, 'recurring runner pass');
        launch(
          w,
          w.recurring.service.pass().then(() => {
            const ids = h.db.prepare('SELECT payment_id FROM recurring_periods WHERE payment_id IS NOT NULL').all() as { payment_id: string }[];
            for (const { payment_id } of ids) if (!w.payments.includes(payment_id)) w.payments.push(payment_id);
          }),
        );
      } else {
        note(i, 'restart');
        report.restarts++;
        // The station stops (what is in flight finishes or is left unfinished in the log) and comes back.
        await settleAll(w);
        await w.recurring.close();
        await w.sh.restart();
        w.recurring = createRecurringFeature(w.sh.h.deps, w.sh.h.feature, { timeZone: 'UTC', tickMs: 3_600_000 });
        await w.recurring.start();
      }
      // Let the concurrent work make some progress (a few event-loop turns, not a settle).
      const pause = int(0, 30);
      await new Promise((r) => setTimeout(r, pause));
      checkInvariants(w);
    }
    await finish(w);
    report.payments = w.payments.length;
    report.operations = w.seen.size;
    return report;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    err.message = `simulation seed ${opts.seed} failed (replay: npm run simulate -- --seed ${opts.seed}): ${err.message}\n  last steps: ${report.trace.slice(-8).join(' | ')}`;
    throw err;
  } finally {
    await settleAll(w).catch(() => undefined);
    await w.recurring.close();
    await w.sh.close();
  }
}

/** The gateway healthy again: every operation final or held for a person, every payment equal to the sandbox. */
async function finish(w: World): Promise<void> {
  const { h } = w.sh;
  h.sb.control.clearFaults();
  h.sb.control.setReachable(true);
  await w.sh.sync.connectivity.probe();
  for (let round = 0; round < 15; round++) {
    await settleAll(w);
    await w.sh.drained(30_000);
    const open = paymentRows(w).filter((p) => p.open_ops > 0 || p.queued > 0);
    if (open.length === 0) break;
    h.advance(4 * TIMEOUT_MS);
    for (const p of open) await h.call('payments.checkStatus', { paymentId: p.id }).catch(() => undefined);
  }
  await settleAll(w);
  const unexplained = h.db.prepare(`SELECT id, type, state FROM operations WHERE state NOT IN ('succeeded', 'declined', 'needs_attention')`).all();
  assert.deepEqual(unexplained, [], 'every operation final or held for a person');
  // Reconciliation: check status of every payment, then the ledger equals the sandbox.
  for (const id of w.payments) await h.call('payments.checkStatus', { paymentId: id }).catch(() => undefined);
  await settleAll(w);
  checkInvariants(w);
  for (const p of paymentRows(w)) {
    const gw = h.sb.control.order(p.reference);
    assert.deepEqual([p.authorized, p.captured, p.refunded], [gw?.authorizedAmount ?? 0, gw?.capturedAmount ?? 0, gw?.refundedAmount ?? 0], `${p.reference}: totals after reconciliation`);
  }
}
