import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway, Outcome } from '../../gateway/types';
import { approval, cardPayment, expectCode, newOrder, startSyncHarness, type SyncHarness } from './test-support';
import { Connectivity, DEFAULT_CONNECTIVITY } from './connectivity';
import { groupCommitStats } from '../ledger/sql';

let sh: SyncHarness | undefined;
afterEach(async () => {
  await sh?.close();
  sh = undefined;
});

const DAY = 24 * 3600 * 1000;

function opsOf(s: SyncHarness, paymentId: string) {
  return s.h.db.prepare('SELECT type, amount, state, reference, message, approved_by_name, reason, user_name FROM operations WHERE payment_id = ? ORDER BY seq').all(paymentId) as {
    type: string; amount: number | null; state: string; reference: string; message: string | null; approved_by_name: string | null; reason: string | null; user_name: string | null;
  }[];
}

function gatewayOps(s: SyncHarness, reference: string) {
  return s.h.sb.control.order(reference)!.operations.filter((o) => o.applied).map((o) => `${o.kind}:${o.amount ?? ''}`);
}

function auditActions(s: SyncHarness): string[] {
  return (s.h.db.prepare('SELECT action FROM audit ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
}

describe('connectivity', () => {
  it('goes offline on a network failure or a failed probe, backs off, comes back on any answer; transitions are audited and emitted', async () => {
    let reachable = true;
    let probes = 0;
    const pending = (reason: 'network' | 'timeout'): Outcome<never> => ({ kind: 'pending', refs: { merchantReference: 'R' }, reason, detail: reason === 'network' ? 'fetch failed: ECONNRESET' : 'no response' });
    const fake = {
      name: 'fake',
      isSandbox: true,
      probe: () => {
        probes++;
        return Promise.resolve(reachable);
      },
      capture: () => Promise.resolve(reachable ? { kind: 'declined', refs: { merchantReference: 'R' }, responseCode: '05042', message: 'over', status: '05' } : pending('network')),
      refund: () => Promise.resolve(pending('timeout')),
    } as unknown as Gateway;
    const c = new Connectivity(fake, { probeMinMs: 10, probeMaxMs: 40, onlineProbeMs: 60_000, staleMs: 60_000 });
    const seen: boolean[] = [];
    c.onTransition((t) => seen.push(t.online));
    c.start();
    expect(await c.ensureOnline()).toBe(true);
    expect(c.isOnline()).toBe(true);
    // A timeout proves nothing either way.
    await c.gateway.refund({ merchantReference: 'R', amount: { amount: 1, currency: 'USD' }, maintenanceReference: 'R-R1' });
    expect(c.isOnline()).toBe(true);
    reachable = false;
    await c.gateway.capture({ merchantReference: 'R', amount: { amount: 1, currency: 'USD' } });
    expect(c.isOnline()).toBe(false);
    expect(await c.ensureOnline()).toBe(false);
    const before = probes;
    await new Promise((r) => setTimeout(r, 150));
    const during = probes - before;
    // Backoff 10, 20, 40, 40…: a handful of probes in 150 ms, not one per millisecond.
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(8);
    reachable = true;
    await new Promise((r) => setTimeout(r, 80));
    expect(c.isOnline()).toBe(true);
    expect(seen).toEqual([false, true]);
    c.close();
  });

  it('with the default timers, a gateway that becomes unreachable shows as offline within a few seconds, with no call made (issue #13: it took 15 s)', async () => {
    sh = await startSyncHarness({ sync: { onlineProbeMs: DEFAULT_CONNECTIVITY.onlineProbeMs, staleMs: DEFAULT_CONNECTIVITY.staleMs } });
    expect(sh.sync.connectivity.isOnline()).toBe(true);
    const events: boolean[] = [];
    sh.h.deps.events.on('sync.changed', (s) => events.push(s.online));
    const t0 = Date.now();
    sh.h.sb.control.setReachable(false);
    await expect.poll(() => sh!.sync.connectivity.isOnline(), { timeout: 6_000, interval: 50 }).toBe(false);
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(DEFAULT_CONNECTIVITY.onlineProbeMs + 1_000);
    // The screen is told at once, not at its next refresh.
    expect(events.at(-1)).toBe(false);
  });

  it('a call that times out probes at once: a gateway that is gone flips to offline without waiting for the next tick', async () => {
    let reachable = true;
    const fake = {
      name: 'fake',
      isSandbox: true,
      probe: () => Promise.resolve(reachable),
      refund: () => Promise.resolve({ kind: 'pending', refs: { merchantReference: 'R' }, reason: 'timeout', detail: 'no response' } satisfies Outcome<never>),
    } as unknown as Gateway;
    const c = new Connectivity(fake, { onlineProbeMs: 60_000, staleMs: 60_000 });
    c.start();
    expect(await c.ensureOnline()).toBe(true);
    reachable = false;
    await c.gateway.refund({ merchantReference: 'R', amount: { amount: 1, currency: 'USD' }, maintenanceReference: 'R-R1' });
    await expect.poll(() => c.isOnline(), { timeout: 500, interval: 10 }).toBe(false);
    c.close();
  });

  it('audits gateway.offline / gateway.online and emits sync.changed with the counts', async () => {
    sh = await startSyncHarness();
    const events: { online: boolean; queued: number }[] = [];
    sh.h.deps.events.on('sync.changed', (s) => events.push({ online: s.online, queued: s.queued }));
    await sh.goOffline();
    expect(sh.sync.status()).toMatchObject({ online: false, queued: 0, needsAttention: 0 });
    sh.h.sb.control.setReachable(true);
    // The backoff probe notices by itself.
    await expect.poll(() => sh!.sync.connectivity.isOnline(), { timeout: 2_000 }).toBe(true);
    const actions = auditActions(sh);
    expect(actions).toContain('gateway.offline');
    expect(actions).toContain('gateway.online');
    expect(actions.indexOf('gateway.offline')).toBeLessThan(actions.lastIndexOf('gateway.online'));
    expect(events.some((e) => !e.online)).toBe(true);
    expect(events.at(-1)?.online).toBe(true);
  });
});

describe('offline queue', () => {
  it('queues refunds (approved by a supervisor) and a void, checks rules against queued totals, forwards each exactly once', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const captured = await cardPayment(h, 8_000, 'purchase');
    const authorized = await cardPayment(h, 6_400, 'authorize');
    await sh.goOffline();

    const r1 = await h.call('payments.refund', { paymentId: captured.payment.id, amount: 2_000, reason: 'Damaged laces', approval: approval(h) });
    expect(r1.outcome).toBe('queued');
    const r2 = await h.call('payments.refund', { paymentId: captured.payment.id, amount: 3_500, reason: 'Price match', approval: approval(h) });
    expect(r2.outcome).toBe('queued');
    // 80.00 captured, 55.00 queued: 30.00 more would exceed it, although nothing was refunded yet.
    await expectCode(h.call('payments.refund', { paymentId: captured.payment.id, amount: 3_000, reason: 'Goodwill', approval: approval(h) }), 'AMOUNT_EXCEEDS_CAPTURED');
    expect(r2.detail.actions.refund).toMatchObject({ allowed: true, max: 2_500 });
    // Refund approval is still required offline.
    await expectCode(h.call('payments.refund', { paymentId: captured.payment.id, amount: 100, reason: 'x' }), 'APPROVAL_REQUIRED');
    const v = await h.call('payments.void', { paymentId: authorized.payment.id, reason: 'Customer cancelled' });
    expect(v.outcome).toBe('queued');
    // A capture after a queued void is refused like after a void.
    await expectCode(h.call('payments.capture', { paymentId: authorized.payment.id, amount: 100 }), 'NOT_ALLOWED');

    expect(sh.sync.status()).toMatchObject({ online: false, queued: 3 });
    const queue = await sh.sync.handlers['sync.queue']!({ section: 'queued', limit: 200 }, h.clerk);
    expect(queue.rows.map((q) => (q.kind === 'operation' ? q.type : q.kind))).toEqual(['refund', 'refund', 'void']);
    expect(queue.counts).toEqual({ attention: 0, recurringAttention: 0, queued: 3 });
    const ops = opsOf(sh, captured.payment.id).filter((o) => o.type === 'refund');
    expect(ops.map((o) => [o.amount, o.state, o.reason, o.approved_by_name, o.user_name])).toEqual([
      [2_000, 'queued', 'Damaged laces', 'Sam Supervisor', 'Clara Clerk'],
      [3_500, 'queued', 'Price match', 'Sam Supervisor', 'Clara Clerk'],
    ]);
    const refs = ops.map((o) => o.reference);
    expect(h.sb.control.order(captured.payment.reference)!.refundedAmount).toBe(0);

    await sh.goOnline();
    await sh.drained();
    expect(opsOf(sh, captured.payment.id).filter((o) => o.type === 'refund').map((o) => [o.reference, o.state])).toEqual(refs.map((r) => [r, 'succeeded']));
    expect(gatewayOps(sh, captured.payment.reference)).toEqual(['PURCHASE:8000', 'REFUND:2000', 'REFUND:3500']);
    expect(gatewayOps(sh, authorized.payment.reference)).toEqual(['AUTHORIZATION:6400', 'VOID_AUTHORIZATION:0']);
    expect(h.feature.service.detail(captured.payment.id).payment).toMatchObject({ captured: 8_000, refunded: 5_500, queued: 0 });
    expect(h.feature.service.detail(authorized.payment.id).payment.status).toBe('voided');
    expect(sh.sync.status()).toMatchObject({ online: true, queued: 0, needsAttention: 0 });
  });

  it('what remains is one figure from the core: the summary, the refund form and the queue agree while work is queued; a void shows what it released (issue #13 items 6, 8)', async () => {
    // A long coalescing window: the top bar must not wait for it to count what was just queued.
    sh = await startSyncHarness({ sync: { notifyMs: 2_000 } });
    const { h } = sh;
    const sale = await cardPayment(h, 4_870, 'purchase');
    const auth = await cardPayment(h, 1_500, 'authorize');
    await sh.goOffline();
    await new Promise((r) => setTimeout(r, 2_100)); // the window of earlier changes is over
    const events: { queued: number }[] = [];
    h.deps.events.on('sync.changed', (s) => events.push({ queued: s.queued }));
    const r = await h.call('payments.refund', { paymentId: sale.payment.id, amount: 1_000, reason: 'Chipped', approval: approval(h) });
    expect(r.outcome).toBe('queued');
    // The screen was told before the call returned: the top bar and the page say "1 queued" together.
    expect(events.at(-1)).toEqual({ queued: 1 });
    expect(r.detail.payment.queued).toBe(1);
    // The form's most and the summary's "refundable" are the same number: 38.70, not 48.70.
    expect(r.detail.actions.refund).toMatchObject({ allowed: true, max: 3_870 });
    expect(r.detail.balance).toMatchObject({ refundable: 3_870, queuedRefund: 1_000, fate: 'none' });
    const v = await h.call('payments.void', { paymentId: auth.payment.id, reason: '' });
    expect(v.outcome).toBe('queued');
    expect(v.detail.balance).toMatchObject({ fate: 'void_queued', uncaptured: 1_500 });
    const queue = await sh.sync.handlers['sync.queue']!({ section: 'queued', limit: 200 }, h.clerk);
    const queuedVoid = queue.rows.find((q) => q.kind === 'operation' && q.type === 'void');
    expect(queuedVoid).toMatchObject({ amount: 1_500 });
    await sh.goOnline();
    await sh.drained();
    const voided = h.feature.service.detail(auth.payment.id);
    expect(voided.payment.status).toBe('voided');
    expect(voided.balance).toMatchObject({ fate: 'voided', uncaptured: 1_500, refundable: 0, canVoid: false });
    expect(voided.operations.find((o) => o.type === 'void')).toMatchObject({ state: 'succeeded', amount: 1_500 });
    expect(h.feature.service.detail(sale.payment.id).balance).toMatchObject({ refundable: 3_870, queuedRefund: 0 });
  });

  it('forwards capture before refund on the same payment (FIFO per payment)', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const a = await cardPayment(h, 5_000, 'authorize');
    await sh.goOffline();
    expect((await h.call('payments.capture', { paymentId: a.payment.id, amount: 5_000 })).outcome).toBe('queued');
    // The refund is allowed against the queued capture.
    expect((await h.call('payments.refund', { paymentId: a.payment.id, amount: 1_000, reason: 'Scratch', approval: approval(h) })).outcome).toBe('queued');
    await sh.goOnline();
    await sh.drained();
    expect(gatewayOps(sh, a.payment.reference)).toEqual(['AUTHORIZATION:5000', 'CAPTURE:5000', 'REFUND:1000']);
  });

  it('takes the next operation of a payment to SENT in the commit of the previous outcome: one commit per operation, SENT committed before each request', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const a = await cardPayment(h, 5_000, 'purchase');
    await sh.goOffline();
    for (const amount of [100, 200, 300, 400]) {
      expect((await h.call('payments.refund', { paymentId: a.payment.id, amount, reason: 'r', approval: approval(h) })).outcome).toBe('queued');
    }
    // At each request: the operation is SENT and no transaction is open (what the request found is committed).
    const seen: string[] = [];
    const inner = h.deps.gateway;
    h.deps.gateway = new Proxy(inner, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'refund' || typeof v !== 'function') return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
        return (req: Parameters<Gateway['refund']>[0]) => {
          const op = h.db.prepare('SELECT state FROM operations WHERE reference = ?').get(req.maintenanceReference) as { state: string };
          seen.push(`${op.state} ${h.db.inTransaction ? 'in a transaction' : 'committed'}`);
          return target.refund(req);
        };
      },
    });
    const before = { ...groupCommitStats };
    await sh.goOnline();
    await sh.drained();
    expect(gatewayOps(sh, a.payment.reference)).toEqual(['PURCHASE:5000', 'REFUND:100', 'REFUND:200', 'REFUND:300', 'REFUND:400']);
    expect(seen).toEqual(Array(4).fill('sent committed'));
    // The first SENT, then four outcomes, each carrying the next SENT: 5 writes instead of 8.
    expect(groupCommitStats.writes - before.writes).toBe(5);
    expect(opsOf(sh, a.payment.id).map((o) => o.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('an operation on a payment with queued work is queued behind it even when online', async () => {
    sh = await startSyncHarness({ sync: { probeMinMs: 60_000, probeMaxMs: 60_000 } });
    const { h } = sh;
    const a = await cardPayment(h, 5_000, 'purchase');
    await sh.goOffline();
    await h.call('payments.refund', { paymentId: a.payment.id, amount: 1_000, reason: 'a', approval: approval(h) });
    h.sb.control.setReachable(true);
    await sh.sync.forwarder.close(); // hold the forwarder: the second refund must not overtake the first
    await sh.sync.connectivity.probe();
    const r = await h.call('payments.refund', { paymentId: a.payment.id, amount: 500, reason: 'b', approval: approval(h) });
    expect(r.outcome).toBe('queued');
    expect(opsOf(sh, a.payment.id).filter((o) => o.type === 'refund').map((o) => o.state)).toEqual(['queued', 'queued']);
  });

  it('a connection refused proves nothing was sent: the operation is queued with its reference; a reset is only UNKNOWN', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const p = await cardPayment(h, 6_000, 'purchase');
    const observed = h.deps.gateway;
    let mode: 'refused' | 'reset' | 'real' = 'refused';
    h.deps.gateway = {
      ...observed,
      name: observed.name,
      isSandbox: observed.isSandbox,
      refund: (req) =>
        mode === 'real'
          ? observed.refund(req)
          : Promise.resolve({ kind: 'pending', refs: { merchantReference: req.merchantReference }, reason: 'network', detail: mode === 'refused' ? 'fetch failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9' : 'fetch failed: UND_ERR_SOCKET: other side closed' }),
    };
    const r = await h.call('payments.refund', { paymentId: p.payment.id, amount: 1_000, reason: 'refused', approval: approval(h) });
    expect(r.outcome).toBe('queued');
    const op = h.db.prepare(`SELECT state, attempts, reference FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.payment.id) as { state: string; attempts: number; reference: string };
    expect(op).toMatchObject({ state: 'queued', attempts: 0 });
    // A reset may come after the gateway acted: that is UNKNOWN, resolved by check status, never queued.
    const other = await cardPayment(h, 2_000, 'purchase');
    mode = 'reset';
    const r2 = await h.call('payments.refund', { paymentId: other.payment.id, amount: 500, reason: 'reset', approval: approval(h) });
    expect(r2.outcome).toBe('unknown');
    mode = 'real';
    h.deps.gateway = observed;
    await sh.drained();
    expect(h.db.prepare(`SELECT state FROM operations WHERE payment_id = ? AND type = 'refund'`).get(other.payment.id)).toEqual({ state: 'succeeded' });
    expect(gatewayOps(sh, other.payment.reference)).toEqual(['PURCHASE:2000', 'REFUND:500']);
    expect(h.db.prepare(`SELECT state, reference FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.payment.id)).toEqual({ state: 'succeeded', reference: op.reference });
    expect(gatewayOps(sh, p.payment.reference)).toEqual(['PURCHASE:6000', 'REFUND:1000']);
  });

  it('refuses a new card offline (hosted form and charge); the order stays awaiting payment', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const handle = await h.hostedCard();
    const order = await newOrder(h, 1_500);
    await sh.goOffline();
    const e = await expectCode(h.call('payments.hostedForm', {}), 'OFFLINE_NEW_CARD');
    expect(e.message).toMatch(/new card cannot be taken while offline/);
    await expectCode(h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } }), 'OFFLINE_NEW_CARD');
    expect((await h.call('orders.get', { id: order.id })).status).toBe('awaiting_payment');
    // Cash still works offline.
    const cash = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: 2_000 } });
    expect(cash.outcome).toBe('approved');
  });
});

describe('offline charges on a card on file', () => {
  async function setup(settings: Partial<{ enabled: boolean; perCharge: number; totalOutstanding: number; maxCount: number; maxAgeHours: number }>) {
    sh = await startSyncHarness({ settings: { offlineCharges: { enabled: true, perCharge: 10_000, totalOutstanding: 50_000, maxCount: 20, maxAgeHours: 24, ...settings } } });
    const first = await cardPayment(sh.h, 1_000, 'purchase', true);
    return { card: first.card!, customerId: first.order.customerId! };
  }
  const charge = (s: SyncHarness, orderId: string, cardId: string) => s.h.call('payments.charge', { orderId, mode: 'purchase', source: { kind: 'card_on_file', cardId } });

  it('are refused when an admin has not enabled them', async () => {
    const { card, customerId } = await setup({ enabled: false });
    await sh!.goOffline();
    const o = await newOrder(sh!.h, 1_000, customerId);
    const e = await expectCode(charge(sh!, o.id, card.id), 'GATEWAY_UNREACHABLE');
    expect(e.message).toMatch(/offline charges are off/);
  });

  it('are queued within the per-charge, count and total limits, shown as not yet approved, then sent once', async () => {
    const { card, customerId } = await setup({ perCharge: 5_000, totalOutstanding: 9_000, maxCount: 2 });
    const s = sh!;
    await s.goOffline();
    const big = await newOrder(s.h, 5_001, customerId);
    expect((await expectCode(charge(s, big.id, card.id), 'OFFLINE_LIMIT')).message).toMatch(/per charge/);
    const o1 = await newOrder(s.h, 5_000, customerId);
    const r1 = await charge(s, o1.id, card.id);
    expect(r1.outcome).toBe('queued');
    expect(r1.message).toMatch(/not yet approved by the bank/);
    expect(r1.payment.status).toBe('pending');
    expect((await s.h.call('orders.get', { id: o1.id })).status).toBe('awaiting_payment');
    const o2 = await newOrder(s.h, 4_500, customerId);
    expect((await expectCode(charge(s, o2.id, card.id), 'OFFLINE_LIMIT')).message).toMatch(/total limit/);
    const o3 = await newOrder(s.h, 4_000, customerId);
    expect((await charge(s, o3.id, card.id)).outcome).toBe('queued');
    const o4 = await newOrder(s.h, 10, customerId);
    expect((await expectCode(charge(s, o4.id, card.id), 'OFFLINE_LIMIT')).message).toMatch(/limit 2/);
    // Nothing can be done to a queued charge until the bank approved it.
    await expectCode(s.h.call('payments.refund', { paymentId: r1.payment.id, amount: 100, reason: 'x', approval: approval(s.h) }), 'NOT_ALLOWED');

    await s.goOnline();
    await s.drained();
    const d = s.h.feature.service.detail(r1.payment.id);
    expect(d.payment).toMatchObject({ status: 'captured', captured: 5_000 });
    expect((await s.h.call('orders.get', { id: o1.id })).status).toBe('paid');
    expect(gatewayOps(s, r1.payment.reference)).toEqual(['PURCHASE:5000']);
  });

  it('stop being accepted once one has waited longer than the age limit; an old one needs attention, a supervisor retry sends it', async () => {
    const { card, customerId } = await setup({ maxAgeHours: 1 });
    const s = sh!;
    await s.goOffline();
    const o1 = await newOrder(s.h, 2_000, customerId);
    const r1 = await charge(s, o1.id, card.id);
    expect(r1.outcome).toBe('queued');
    s.h.clock.offset += 2 * 3600 * 1000; // our clock only
    const o2 = await newOrder(s.h, 1_000, customerId);
    expect((await expectCode(charge(s, o2.id, card.id), 'OFFLINE_LIMIT')).message).toMatch(/more than 1 hours/);

    await s.goOnline();
    await s.drained();
    const op = opsOf(s, r1.payment.id)[0]!;
    expect(op.state).toBe('needs_attention');
    expect(op.message).toMatch(/1-hour offline limit/);
    expect(s.h.sb.control.order(r1.payment.reference)).toBeUndefined();
    const id = (s.h.db.prepare(`SELECT id FROM operations WHERE payment_id = ?`).get(r1.payment.id) as { id: string }).id;
    await s.sync.resolve(id, 'retry', { id: s.h.supervisor.user!.id, name: 'Sam Supervisor' });
    await s.drained();
    expect(opsOf(s, r1.payment.id)[0]).toMatchObject({ state: 'succeeded', approved_by_name: 'Sam Supervisor' });
    expect(gatewayOps(s, r1.payment.reference)).toEqual(['PURCHASE:2000']);
  });

  it('a queued charge the bank declines needs attention; it cannot be retried, dismissing frees the order', async () => {
    sh = await startSyncHarness({ settings: { offlineCharges: { enabled: true, perCharge: 100_000, totalOutstanding: 100_000, maxCount: 20, maxAgeHours: 24 } } });
    const s = sh;
    const first = await cardPayment(s.h, 1_000, 'purchase', true);
    await s.goOffline();
    const o = await newOrder(s.h, 10_029, first.order.customerId!); // magic amount: insufficient funds
    const r = await charge(s, o.id, first.card!.id);
    expect(r.outcome).toBe('queued');
    await s.goOnline();
    await s.drained();
    const op = s.h.db.prepare(`SELECT id, state, message FROM operations WHERE payment_id = ?`).get(r.payment.id) as { id: string; state: string; message: string };
    expect(op.state).toBe('needs_attention');
    expect(op.message).toMatch(/^Declined by the bank \(13029/);
    const sup = { id: s.h.supervisor.user!.id, name: 'Sam Supervisor' };
    await expectCode(s.sync.resolve(op.id, 'retry', sup), 'NOT_ALLOWED');
    await s.sync.resolve(op.id, 'dismiss', sup);
    expect(s.sync.status().needsAttention).toBe(0);
    expect((await s.h.call('orders.get', { id: o.id })).status).toBe('awaiting_payment');
    expect(auditActions(s)).toContain('sync.dismiss');
  });
});

describe('re-check before forwarding', () => {
  it('a queued capture whose authorization expired (by our clock) needs attention with a next step; retry is refused, dismiss is final and never sent', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const a = await cardPayment(h, 3_000, 'authorize');
    await sh.goOffline();
    expect((await h.call('payments.capture', { paymentId: a.payment.id, amount: 3_000 })).outcome).toBe('queued');
    h.advance(8 * DAY);
    await sh.goOnline();
    await sh.drained();
    const [, cap] = opsOf(sh, a.payment.id).filter((o) => o.type !== 'check_status');
    expect(cap).toMatchObject({ type: 'capture', state: 'needs_attention' });
    expect(cap!.message).toMatch(/Authorization expired: take a new payment/);
    expect(sh.sync.status()).toMatchObject({ queued: 0, needsAttention: 1 });
    const id = (h.db.prepare(`SELECT id FROM operations WHERE payment_id = ? AND type = 'capture'`).get(a.payment.id) as { id: string }).id;
    const sup = { id: h.supervisor.user!.id, name: 'Sam Supervisor' };
    const e = await expectCode(sh.sync.resolve(id, 'retry', sup), 'NOT_ALLOWED');
    expect(e.message).toMatch(/expired/);
    const before = h.sb.control.operationCount();
    await sh.sync.resolve(id, 'dismiss', sup);
    await sh.drained();
    expect(opsOf(sh, a.payment.id).find((o) => o.type === 'capture')).toMatchObject({ state: 'declined' });
    expect(h.sb.control.operationCount()).toBe(before);
    expect(gatewayOps(sh, a.payment.reference)).toEqual(['AUTHORIZATION:3000']);
    await expectCode(sh.sync.resolve(id, 'dismiss', sup), 'CONFLICT');
    expect(auditActions(sh)).toEqual(expect.arrayContaining(['sync.needs_attention', 'sync.dismiss']));
  });

  it('a capture the gateway refuses as expired (its clock moved, ours not) needs attention, never retried blindly', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const a = await cardPayment(h, 3_000, 'authorize');
    await sh.goOffline();
    await h.call('payments.capture', { paymentId: a.payment.id, amount: 1_000 });
    h.sb.control.clock.advance(8 * DAY);
    await sh.goOnline();
    await sh.drained();
    const cap = opsOf(sh, a.payment.id).find((o) => o.type === 'capture')!;
    expect(cap.state).toBe('needs_attention');
    expect(cap.message).toMatch(/^Authorization expired \(05773.*take a new payment/);
    await new Promise((r) => setTimeout(r, 300));
    // One attempt at the gateway, refused; not sent again.
    expect(h.sb.control.order(a.payment.reference)!.operations.filter((o) => o.kind === 'CAPTURE')).toHaveLength(1);
  });

  it('a refund now above what remains captured (another desk refunded meanwhile) needs attention; a retry is refused while it still exceeds', async () => {
    sh = await startSyncHarness({ sync: { probeMinMs: 60_000, probeMaxMs: 60_000 } });
    const { h } = sh;
    const p = await cardPayment(h, 8_000, 'purchase');
    await sh.goOffline();
    await h.call('payments.refund', { paymentId: p.payment.id, amount: 5_000, reason: 'Returned', approval: approval(h) });
    h.sb.control.setReachable(true);
    // Another desk refunds 40.00 at the gateway while we still believe we are offline.
    const other = await sh.raw.refund({ merchantReference: p.payment.reference, amount: { amount: 4_000, currency: 'USD' }, maintenanceReference: 'OTHER-DESK-R1' });
    expect(other.kind).toBe('succeeded');
    await sh.sync.connectivity.probe();
    await sh.drained();
    const ref = opsOf(sh, p.payment.id).find((o) => o.type === 'refund')!;
    expect(ref.state).toBe('needs_attention');
    expect(ref.message).toMatch(/Refund now above what remains captured \(USD\s40\.00 left\)/);
    // Stored beside the English as a key + params: the queue says it in the reader's language and digits.
    const stored = h.db.prepare(`SELECT message_text FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.payment.id) as { message_text: string };
    expect(JSON.parse(stored.message_text)).toEqual({ key: 'attention.refundAboveCaptured', params: { rest: { amount: 4_000, currency: 'USD' } } });
    expect(h.feature.service.detail(p.payment.id).operations.find((o) => o.type === 'refund')!.text).toEqual({ key: 'attention.refundAboveCaptured', params: { rest: { amount: 4_000, currency: 'USD' } } });
    // The check status repaired our totals first.
    expect(h.feature.service.detail(p.payment.id).payment.refunded).toBe(4_000);
    expect(gatewayOps(sh, p.payment.reference)).toEqual(['PURCHASE:8000', 'REFUND:4000']);
    const id = (h.db.prepare(`SELECT id FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.payment.id) as { id: string }).id;
    await expectCode(sh.sync.resolve(id, 'retry', { id: h.supervisor.user!.id, name: 'Sam' }), 'NOT_ALLOWED');
  });
});

describe('durability', () => {
  it('queued work survives a restart and forwarding resumes at start-up, each operation once', async () => {
    sh = await startSyncHarness();
    const { h } = sh;
    const p = await cardPayment(h, 9_000, 'purchase');
    const a = await cardPayment(h, 4_000, 'authorize');
    await sh.goOffline();
    await h.call('payments.refund', { paymentId: p.payment.id, amount: 1_000, reason: 'one', approval: approval(h) });
    await h.call('payments.refund', { paymentId: p.payment.id, amount: 2_000, reason: 'two', approval: approval(h) });
    await h.call('payments.capture', { paymentId: a.payment.id, amount: 4_000 });
    const refs = opsOf(sh, p.payment.id).filter((o) => o.type === 'refund').map((o) => o.reference);
    await sh.restart(); // still unreachable: nothing goes out, nothing is lost
    await expect.poll(() => sh!.sync.connectivity.isOnline()).toBe(false);
    expect(sh.sync.status().queued).toBe(3);
    await sh.restart();
    h.sb.control.setReachable(true);
    await expect.poll(() => sh!.sync.status().queued, { timeout: 5_000 }).toBe(0);
    await sh.drained();
    expect(opsOf(sh, p.payment.id).filter((o) => o.type === 'refund').map((o) => [o.reference, o.state])).toEqual(refs.map((r) => [r, 'succeeded']));
    expect(gatewayOps(sh, p.payment.reference)).toEqual(['PURCHASE:9000', 'REFUND:1000', 'REFUND:2000']);
    expect(gatewayOps(sh, a.payment.reference)).toEqual(['AUTHORIZATION:4000', 'CAPTURE:4000']);
  });
});

describe('what the forwarder took out of the queue is on disk (issue 15, item 4)', () => {
  it('a forwarded charge whose refusal is only found after a crash, by the start-up sweep, still reaches needs attention', async () => {
    sh = await startSyncHarness({ settings: { offlineCharges: { enabled: true, perCharge: 100_000, totalOutstanding: 100_000, maxCount: 20, maxAgeHours: 24 } } });
    const s = sh;
    const first = await cardPayment(s.h, 1_000, 'purchase', true);
    await s.goOffline();
    const o = await newOrder(s.h, 10_029, first.order.customerId!); // magic amount: insufficient funds
    const r = await s.h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: first.card!.id } });
    expect(r.outcome).toBe('queued');
    // The bank declines it, but the reply is lost and no status check is answered before the crash.
    s.h.sb.control.injectFault({ kind: 'reset_after_commit', match: { command: 'PURCHASE' }, times: 1 });
    s.h.sb.control.injectFault({ kind: 'http_503', match: { command: 'CHECK_STATUS' }, times: -1 });
    await s.goOnline();
    const row = () => s.h.db.prepare('SELECT state, forwarded, message FROM operations WHERE payment_id = ?').get(r.payment.id) as { state: string; forwarded: number; message: string };
    await expect.poll(() => row().state, { timeout: 5_000 }).toBe('unknown');
    expect(row().forwarded).toBe(1);
    // Crash: everything stops with the charge still UNKNOWN; the restart's sweep (check status
    // answered again) is what finds the refusal, not the forwarder that sent it.
    await s.sync.close();
    expect(row().state).toBe('unknown');
    s.h.sb.control.clearFaults();
    await s.restart();
    await expect.poll(() => row().state, { timeout: 5_000 }).toBe('needs_attention');
    expect(row()).toMatchObject({ forwarded: 0, message: expect.stringMatching(/^Declined by the bank \(13029/) });
    expect(s.sync.status().needsAttention).toBe(1);
    expect(auditActions(s)).toContain('sync.needs_attention');
    // Sent once, never again.
    expect(s.h.sb.control.order(r.payment.reference)!.operations.filter((x) => x.kind === 'PURCHASE')).toHaveLength(1);
  });
});
