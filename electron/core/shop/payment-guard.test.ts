import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Db } from '../db/database';
import { memoryDb } from '../people/test-kit';
import { freePort } from './local-cluster';
import { claimRecurringPeriod } from './period-claim';
import { PaymentGuard, type GuardDecision, type PaymentGuardOptions } from './payment-guard';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/** Both sides of the money policy (docs/decisions/shop-money-semantics.md) against a real PostgreSQL. */
describePg('payment guard: the per-payment lease, and the policy while the shop server is unreachable', () => {
  const pg = usePg();
  const clock = new ManualClock('2026-12-04T10:00:00.000Z');
  const at = clock.now().toISOString();
  let a: Db;
  let b: Db;
  let srvA: ShopServer;
  let srvB: ShopServer;
  let syncA: StationSync;
  let syncB: StationSync;
  let down: ShopServer;

  function addPayment(db: Db, id: string): void {
    db.prepare(`INSERT INTO orders (id, reference, channel, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at) VALUES (?, ?, 'phone', 'USD', '[]', 1000, 0, 1000, 'authorized', ?, 'u', 'U', ?)`).run(`ord_${id}`, `R-${id}`, at, at);
    db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, status, created_at, created_by, updated_at) VALUES (?, ?, ?, 'card', 'authorization', 'USD', 1000, 1000, 'authorized', ?, 'u', ?)`).run(id, `ord_${id}`, `R-${id}-P`, at, at);
  }
  const ok = (d: GuardDecision) => (d.allowed ? d.via : d.code);
  /** Last contact long ago by default: the offline grace is over unless a test says otherwise. */
  const guardOf = (db: Db, srv: ShopServer, o: Partial<PaymentGuardOptions> = {}) => new PaymentGuard(db, srv, { catchUp: async () => undefined, lastContactAt: () => 0, ...o });

  beforeAll(async () => {
    const url = await pg.freshDatabase();
    a = memoryDb();
    b = memoryDb();
    srvA = new ShopServer({ connectionString: url });
    srvB = new ShopServer({ connectionString: url });
    syncA = new StationSync(a, srvA, { clock, stationName: 'Desk 1' });
    syncB = new StationSync(b, srvB, { clock, stationName: 'Desk 2' });
    await syncA.join();
    await syncB.join();
    addPayment(a, 'pay_a');
    await syncA.syncOnce();
    await syncB.syncOnce();
    // Nothing listens on this port: every call fails to connect, as when the server is unreachable.
    down = new ShopServer({ connectionString: `postgres://pos@127.0.0.1:${await freePort()}/x`, connectTimeoutMs: 500 });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([srvA?.close(), srvB?.close(), down?.close()]);
  });

  it('two desks at the same moment: exactly one gets the payment; the other is told who has it; after release the other gets it', async () => {
    const ga = guardOf(a, srvA, { catchUp: () => syncA.syncOnce().then(() => undefined) });
    const gb = guardOf(b, srvB, { catchUp: () => syncB.syncOnce().then(() => undefined) });
    const [da, db] = await Promise.all([ga.acquire('pay_a'), gb.acquire('pay_a')]);
    expect([ok(da), ok(db)].sort()).toEqual(['HELD_ELSEWHERE', 'lease']);
    const [won, lost, loserGuard] = da.allowed ? [da, db, gb] : [db, da, ga];
    expect(lost).toMatchObject({ code: 'HELD_ELSEWHERE', holder: da.allowed ? syncA.status().stationId : syncB.status().stationId });
    expect(won.allowed && (await won.release(), true)).toBe(true);
    const again = await loserGuard.acquire('pay_a');
    expect(ok(again)).toBe('lease');
    if (again.allowed) await again.release();
  });

  it("a desk whose copy of the payment is older than the server's pulls before it acts; if it cannot catch up it is refused and the lease is given back", async () => {
    // Desk 1 captures (here: its ledger changes) and pushes; Desk 2 has not pulled yet.
    a.prepare(`UPDATE payments SET captured = 400, status = 'partially_captured' WHERE id = 'pay_a'`).run();
    await syncA.syncOnce();
    const stuck = guardOf(b, srvB, { catchUp: async () => undefined });
    expect(await stuck.acquire('pay_a')).toMatchObject({ allowed: false, code: 'BEHIND' });
    const gb = guardOf(b, srvB, { catchUp: () => syncB.syncOnce().then(() => undefined) });
    const d = await gb.acquire('pay_a'); // the refused attempt gave its lease back
    expect(ok(d)).toBe('lease');
    expect(b.prepare(`SELECT captured, status FROM payments WHERE id = 'pay_a'`).get()).toEqual({ captured: 400, status: 'partially_captured' });
    if (d.allowed) await d.release();
  });

  it('giving the lease back pushes first: the next desk acts on the result, not on what was there before', async () => {
    const ga = guardOf(a, srvA, { catchUp: () => syncA.syncOnce().then(() => undefined) });
    const gb = guardOf(b, srvB, { catchUp: () => syncB.syncOnce().then(() => undefined) });
    const da = await ga.acquire('pay_a');
    expect(ok(da)).toBe('lease');
    a.prepare(`UPDATE payments SET captured = 700, status = 'partially_captured' WHERE id = 'pay_a'`).run(); // desk 1's capture
    if (da.allowed) await da.release();
    const db = await gb.acquire('pay_a');
    expect(ok(db)).toBe('lease');
    expect(b.prepare(`SELECT captured FROM payments WHERE id = 'pay_a'`).get()).toEqual({ captured: 700 });
    if (db.allowed) await db.release();
  });

  it('a desk that dies holding the lease blocks the payment only until the lease lapses', async () => {
    const ga = guardOf(a, srvA, { leaseMs: 300, catchUp: async () => undefined });
    const gb = guardOf(b, srvB, { catchUp: async () => undefined });
    expect(ok(await ga.acquire('pay_a'))).toBe('lease'); // never released
    expect(ok(await gb.acquire('pay_a'))).toBe('HELD_ELSEWHERE');
    await new Promise((r) => setTimeout(r, 400));
    const d = await gb.acquire('pay_a');
    expect(ok(d)).toBe('lease');
    if (d.allowed) await d.release();
  });

  it("server unreachable: a desk acts on its own payments only; another desk's payment waits for the server", async () => {
    const offA = guardOf(a, down, { catchUp: async () => undefined });
    const offB = guardOf(b, down, { catchUp: async () => undefined });
    expect(ok(await offA.acquire('pay_a'))).toBe('own-payment-offline');
    const refused = await offB.acquire('pay_a');
    expect(refused).toMatchObject({ allowed: false, code: 'NOT_OURS_WHILE_UNREACHABLE' });
    expect(refused.allowed ? '' : refused.message).toMatch(/another desk/);
    // Desk 2's own payment, taken while cut off (never pushed): its own to act on.
    addPayment(b, 'pay_b');
    expect(ok(await offB.acquire('pay_b'))).toBe('own-payment-offline');
    // And once it was pushed it is still Desk 2's.
    await syncB.syncOnce();
    expect(ok(await offB.acquire('pay_b'))).toBe('own-payment-offline');
    await syncA.syncOnce();
    expect(ok(await guardOf(a, down, { catchUp: async () => undefined }).acquire('pay_b'))).toBe('NOT_OURS_WHILE_UNREACHABLE');
    // A payment this ledger does not hold at all is nobody's to act on here.
    expect(ok(await offA.acquire('pay_nowhere'))).toBe('NOT_OURS_WHILE_UNREACHABLE');
  });

  it('recurring: each period claimed by one desk shop-wide; while unreachable only the schedule\'s own desk runs it', async () => {
    a.prepare(`INSERT INTO customers (id, name, created_at, updated_at) VALUES ('cus_r', 'Rae', ?, ?)`).run(at, at);
    a.prepare(`INSERT INTO cards (id, customer_id, token_name, brand, last4, expiry, created_at, updated_at) VALUES ('card_r', 'cus_r', 'TOK-R', 'VISA', '0001', '3001', ?, ?)`).run(at, at);
    a.prepare(`INSERT INTO recurring_schedules (id, short_id, customer_id, customer_name, card_id, amount, currency, frequency, start_at, description, state, active_since, created_by, created_by_name, created_at, updated_at)
      VALUES ('sch_r', 'R1', 'cus_r', 'Rae', 'card_r', 500, 'USD', 'monthly', ?, 'Box', 'active', ?, 'u', 'U', ?, ?)`).run(at, at, at, at);
    await syncA.syncOnce();
    await syncB.syncOnce();
    const p1 = { scheduleId: 'sch_r', period: 1, reference: 'R1-1' };
    const [ca, cb] = await Promise.all([claimRecurringPeriod(a, srvA, p1), claimRecurringPeriod(b, srvB, p1)]);
    expect([ca.granted, cb.granted].filter(Boolean)).toHaveLength(1);
    expect(ca.granted ? cb : ca).toMatchObject({ granted: false, code: 'CLAIMED_ELSEWHERE' });
    const p2 = { scheduleId: 'sch_r', period: 2, reference: 'R1-2' };
    expect(await claimRecurringPeriod(a, down, p2)).toEqual({ granted: true, via: 'own-schedule-offline' });
    expect(await claimRecurringPeriod(b, down, p2)).toEqual({ granted: false, code: 'NOT_OURS_WHILE_UNREACHABLE' });
  });

  it("another desk's payment is leased only while its desk is present and has sent its work", async () => {
    await syncA.syncOnce(); // Desk 1 seen just now, nothing waiting
    const gb = guardOf(b, srvB, { catchUp: () => syncB.syncOnce().then(() => undefined) });
    const d = await gb.acquire('pay_a');
    expect(ok(d)).toBe('lease');
    if (d.allowed) await d.release();
    // Desk 1 not seen within the window: it may be cut off and acting on its payment itself.
    await new Promise((r) => setTimeout(r, 60));
    expect(await guardOf(b, srvB, { presentMs: 50 }).acquire('pay_a')).toMatchObject({ allowed: false, code: 'OWNER_AWAY', holder: syncA.status().stationId });
    // Seen, but with work of its own not yet pushed.
    await srvA.heartbeat(syncA.status().stationId!, 3);
    expect(ok(await gb.acquire('pay_a'))).toBe('OWNER_AWAY');
    await syncA.syncOnce();
    const again = await gb.acquire('pay_a');
    expect(ok(again)).toBe('lease');
    if (again.allowed) await again.release();
  });

  it('cut off, a desk waits until no other desk can still hold a lease on its payment, then acts on it alone', async () => {
    const T = Date.parse('2026-12-04T12:00:00.000Z'); // a fixed now: the seconds left are exact
    const g = guardOf(a, down, { presentMs: 10_000, leaseMs: 60_000, now: () => T, lastContactAt: () => T - 30_000 });
    expect(g.offlineGraceMs()).toBe(75_000);
    const early = await g.acquire('pay_a');
    expect(early).toMatchObject({ allowed: false, code: 'WAIT_OFFLINE_GRACE' });
    expect(early.allowed ? '' : early.message).toMatch(/in 45 s/);
    expect(ok(await guardOf(a, down, { now: () => T, lastContactAt: () => T - 75_001 }).acquire('pay_a'))).toBe('own-payment-offline');
  });

  it('a single station (no shop) is never asked to coordinate', async () => {
    const alone = memoryDb();
    addPayment(alone, 'pay_1');
    expect(ok(await guardOf(alone, down, { catchUp: async () => undefined }).acquire('pay_1'))).toBe('single-station');
  });
});
