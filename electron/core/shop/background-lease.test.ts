import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { silentLogger } from '../deps';
import { recoverAll } from '../payments/recovery';
import { NO_SHOP_LEASE } from '../payments/service';
import { newOrder, startSyncHarness, type SyncHarness } from '../sync/test-support';
import { shopState } from './outbox';
import { backgroundLease, PaymentGuard } from './payment-guard';
import { ShopServer, type LeaseResult } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/**
 * In a shop, the offline queue's forwarder and the background resolver act on a payment only
 * under its lease (docs/decisions/shop-money-semantics.md): while another desk holds it, Desk 1
 * sends nothing on that payment, not even the refund it queued itself; once it is free, the work
 * goes out once. Real ledgers, the sandbox over HTTP, a real PostgreSQL.
 */
describePg('background work on a payment takes its lease', () => {
  const pg = usePg();
  let sb: SandboxHandle;
  let a: SyncHarness;
  let srvA: ShopServer;
  let syncA: StationSync;
  let desk2: ShopServer;
  const DESK2 = 'desk-2-station';

  beforeAll(async () => {
    sb = await startSandbox();
    a = await startSyncHarness({ sandbox: sb, settings: { stationName: 'Desk 1' }, timeoutMs: 1_000 });
    const url = await pg.freshDatabase();
    srvA = new ShopServer({ connectionString: url, connectTimeoutMs: 1_000 });
    syncA = new StationSync(a.h.db, srvA, { clock: a.h.clock, stationName: 'Desk 1', retryMs: [100], heartbeatMs: 200 });
    await syncA.join();
    syncA.start();
    const guard = new PaymentGuard(a.h.db, srvA, { catchUp: () => syncA.syncOnce().then(() => undefined), lastContactAt: () => syncA.lastContactAt(), knownUnreachable: () => syncA.isUnreachable() });
    a.h.feature.service.lease = backgroundLease(() => guard, silentLogger);
    // The other desk, as the server knows it: it holds leases in this test.
    desk2 = new ShopServer({ connectionString: url });
    await desk2.join(DESK2, 'Desk 2');
  }, 120_000);
  afterAll(async () => {
    await syncA?.stop();
    await srvA?.close();
    await desk2?.close();
    await a?.close();
    await sb?.close();
  });

  const approval = () => ({ supervisorId: a.h.supervisor.user!.id, pin: a.h.supervisor.pin });
  const opState = (reference: string) => (a.h.db.prepare('SELECT state FROM operations WHERE reference = ?').get(reference) as { state: string }).state;
  /** Desk 2 takes the payment's lease: granted once Desk 1 has pushed its work and said so. */
  const desk2Takes = async (paymentId: string): Promise<LeaseResult> => {
    let lease: LeaseResult | null = null;
    await expect.poll(async () => {
      lease = await desk2.acquireLease(DESK2, paymentId, 60_000);
      return lease.granted;
    }, { timeout: 15_000, interval: 100 }).toBe(true);
    return lease!;
  };
  const leases = async (paymentId: string) => Number((await srvA.pool.query('SELECT count(*) AS n FROM payment_leases WHERE payment_id = $1', [paymentId])).rows[0].n);

  async function capturedPayment(amount: number) {
    const order = await newOrder(a.h, amount);
    const handle = await a.h.hostedCard({ number: '4005550000000001' });
    const charged = await a.h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
    expect(charged.outcome).toBe('approved');
    return charged.payment;
  }

  it('a refund queued at Desk 1 is not forwarded while Desk 2 holds the payment\'s lease; once free, it goes, once', async () => {
    const p = await capturedPayment(5_000);
    await a.goOffline();
    const queued = await a.h.call('payments.refund', { paymentId: p.id, amount: 1_000, reason: 'damaged', approval: approval() });
    expect(queued.outcome).toBe('queued');
    const ref = a.h.db.prepare(`SELECT reference FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.id) as { reference: string };

    const held = await desk2Takes(p.id);
    await a.goOnline(); // the forwarder starts a pass
    await sleep(1_500); // several passes (50 to 500 ms apart)
    expect(opState(ref.reference)).toBe('queued');
    expect(sb.control.order(p.reference)!.refundedAmount).toBe(0);

    expect(await desk2.releaseLease(p.id, held.token!)).toBe(true);
    await a.drained();
    expect(opState(ref.reference)).toBe('succeeded');
    const gw = sb.control.order(p.reference)!;
    expect(gw.refundedAmount).toBe(1_000);
    expect(gw.operations.filter((o) => o.kind === 'REFUND' && o.applied)).toHaveLength(1);
    // The forwarder gave the lease back after pushing its result.
    expect(await leases(p.id)).toBe(0);
    await expect.poll(async () => (await srvA.pool.query(`SELECT data->>'state' AS s FROM records WHERE tbl = 'operations' AND data->>'reference' = $1`, [ref.reference])).rows[0]?.s, { timeout: 5_000 }).toBe('succeeded');
  });

  it('the background resolver settles an unknown refund only under the lease', async () => {
    const p = await capturedPayment(3_000);
    const held = await desk2Takes(p.id);
    // The refund's reply is lost (the gateway applied it). Sent here with no lease on purpose (a
    // live refund would have asked for it): what is tested is what the resolver does afterwards.
    const lease = a.h.feature.service.lease;
    a.h.feature.service.lease = NO_SHOP_LEASE;
    sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'REFUND' }, times: 1 });
    const r = await a.h.call('payments.refund', { paymentId: p.id, amount: 700, reason: 'late', approval: approval() });
    a.h.feature.service.lease = lease;
    expect(r.outcome).toBe('unknown');
    const ref = a.h.db.prepare(`SELECT reference FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.id) as { reference: string };
    await a.h.feature.service.settle(); // every background retry ran, each refused the lease
    await sleep(500); // and a forwarder pass or two
    expect(opState(ref.reference)).toBe('unknown');
    expect(a.h.db.prepare('SELECT refunded FROM payments WHERE id = ?').get(p.id)).toEqual({ refunded: 0 });

    expect(await desk2.releaseLease(p.id, held.token!)).toBe(true);
    a.h.feature.service.scheduleResolution(p.id);
    await a.drained();
    expect(opState(ref.reference)).toBe('succeeded');
    expect(a.h.db.prepare('SELECT refunded FROM payments WHERE id = ?').get(p.id)).toEqual({ refunded: 700 });
    const gw = sb.control.order(p.reference)!;
    expect(gw.refundedAmount).toBe(700);
    expect(gw.operations.filter((o) => o.kind === 'REFUND' && o.applied)).toHaveLength(1);
    expect(await leases(p.id)).toBe(0);
    expect(shopState(a.h.db)?.enabled).toBeTruthy();
  });

  it('the start-up recovery sweep settles an unknown refund only under the lease', async () => {
    const p = await capturedPayment(4_000);
    // Desk 2 holds the payment. The refund's reply is lost (the gateway applied it); sent with no
    // lease on purpose, as in the test above: what is tested is the sweep after a restart.
    const held = await desk2Takes(p.id);
    const lease = a.h.feature.service.lease;
    a.h.feature.service.lease = NO_SHOP_LEASE;
    sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'REFUND' }, times: 1 });
    const r = await a.h.call('payments.refund', { paymentId: p.id, amount: 900, reason: 'late', approval: approval() });
    a.h.feature.service.lease = lease;
    expect(r.outcome).toBe('unknown');
    await a.h.feature.service.settle(); // the background resolver is refused the lease
    const ref = (a.h.db.prepare(`SELECT reference FROM operations WHERE payment_id = ? AND type = 'refund'`).get(p.id) as { reference: string }).reference;
    expect(opState(ref)).toBe('unknown');

    // The sweep does not touch it while Desk 2 holds it, and says why.
    const refused = await recoverAll(a.h.feature.service);
    expect(refused).toMatchObject({ payments: 1, resolved: 0, stillUnknown: 1, waitingForLease: 1 });
    await a.h.feature.service.settle();
    expect(opState(ref)).toBe('unknown');
    expect(a.h.db.prepare('SELECT refunded FROM payments WHERE id = ?').get(p.id)).toEqual({ refunded: 0 });

    // Free: the sweep takes the lease, settles the refund from the gateway (not sent again), gives it back.
    expect(await desk2.releaseLease(p.id, held.token!)).toBe(true);
    const done = await recoverAll(a.h.feature.service);
    expect(done).toMatchObject({ payments: 1, resolved: 1, resent: 0, stillUnknown: 0, waitingForLease: 0 });
    expect(opState(ref)).toBe('succeeded');
    expect(a.h.db.prepare('SELECT refunded FROM payments WHERE id = ?').get(p.id)).toEqual({ refunded: 900 });
    const gw = sb.control.order(p.reference)!;
    expect(gw.operations.filter((o) => o.kind === 'REFUND' && o.applied)).toHaveLength(1);
    expect(await leases(p.id)).toBe(0);
  });
});
