import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { searchCustomers, updateCustomer } from '../customers';
import { verifyAudit } from '../ledger/audit-log';
import { startHarness, type Harness } from '../payments/test-harness';
import { computeEndOfDay } from '../reports/compute';
import { checkAuditAnchor } from './audit-anchor';
import { outboxCount, shopState } from './outbox';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/**
 * Two real stations (encrypted ledgers, the payments feature, the sandbox gateway over HTTP) and
 * one real PostgreSQL: what one desk records, the other sees and can act on.
 */
describePg('stations share one shop through PostgreSQL', () => {
  const pg = usePg();
  let sb: SandboxHandle;
  let a: Harness;
  let b: Harness;
  let url: string;
  let srvA: ShopServer;
  let srvB: ShopServer;
  let syncA: StationSync;
  let syncB: StationSync;
  const lines = (unitPrice: number) => [{ description: 'Widget', quantity: 1, unitPrice, taxRateBp: 0 }];

  beforeAll(async () => {
    sb = await startSandbox();
    a = await startHarness({ sandbox: sb, settings: { stationName: 'Desk 1' }, timeoutMs: 10_000 });
    b = await startHarness({ sandbox: sb, settings: { stationName: 'Desk 2' }, timeoutMs: 10_000 });
    url = await pg.freshDatabase();
    srvA = new ShopServer({ connectionString: url, connectTimeoutMs: 1_000 });
    srvB = new ShopServer({ connectionString: url, connectTimeoutMs: 1_000 });
    syncA = new StationSync(a.db, srvA, { clock: a.clock, stationName: 'Desk 1', retryMs: [100] });
    syncB = new StationSync(b.db, srvB, { clock: b.clock, stationName: 'Desk 2', retryMs: [100] });
  }, 120_000);
  afterAll(async () => {
    await syncA?.stop();
    await syncB?.stop();
    await srvA?.close();
    await srvB?.close();
    await a?.close();
    await b?.close();
    await sb?.close();
  });

  const count = (h: Harness, table: string) => (h.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('a single-station ledger joins with everything it holds; a new station pulls it, and finds the customer by last 4 locally', async () => {
    // Desk 1 worked alone before the shop existed: a phone order with a new card saved.
    const order = await a.call('orders.create', { channel: 'phone', currency: 'USD', lines: lines(5_000), newCustomer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 1234' } });
    const handle = await a.hostedCard({ number: '4005550000000001' });
    const charged = await a.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
    expect(charged.outcome).toBe('approved');
    const auditA = count(a, 'audit');
    expect(auditA).toBeGreaterThan(0);

    await syncA.join();
    await syncB.join();
    expect(outboxCount(a.db)).toBeGreaterThan(0);
    await syncA.syncOnce();
    expect(outboxCount(a.db)).toBe(0);
    await syncB.syncOnce();

    for (const t of ['customers', 'cards', 'orders', 'payments', 'operations']) {
      expect(b.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(), t).toEqual(expect.arrayContaining(a.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
    }
    // The search index is rebuilt at Desk 2 from the replicated rows.
    const hits = searchCustomers(b.db, '0001', { limit: 10, offset: 0 }, b.clock).hits;
    expect(hits.map((h) => h.customer.id)).toContain(order.customerId);
    // Applying Desk 1's records did not put them in Desk 2's outbox.
    expect(outboxCount(b.db)).toBe(0);
    // Desk 1's audit chain is on the server, in order and chained, and stays with Desk 1.
    const { rows } = await srvA.pool.query(`SELECT count(*)::int AS n FROM records WHERE tbl = 'audit' AND origin = $1`, [shopState(a.db)!.stationId]);
    expect(rows[0].n).toBe(auditA);
    expect(verifyAudit(b.db).ok).toBe(true);
    expect(await checkAuditAnchor(a.db, srvA)).toEqual({ ok: true, anchoredSeq: auditA });
  });

  it('cutting off the newest audit entries at a station is detected against the server\'s anchor', async () => {
    // A copy of Desk 1's ledger with its last entries removed (what someone covering tracks would do).
    const copy = new Database(':memory:');
    try {
      copy.exec(`CREATE TABLE shop_state (id INTEGER PRIMARY KEY, station_id TEXT, enabled INTEGER, applying INTEGER, pulled_seq INTEGER, joined_at TEXT, left_at TEXT);
        CREATE TABLE audit (seq INTEGER PRIMARY KEY, hash TEXT)`);
      copy.prepare('INSERT INTO shop_state VALUES (1, ?, 1, 0, 0, NULL, NULL)').run(shopState(a.db)!.stationId);
      const entries = a.db.prepare('SELECT seq, hash FROM audit ORDER BY seq').all() as { seq: number; hash: string }[];
      for (const e of entries.slice(0, -2)) copy.prepare('INSERT INTO audit VALUES (?, ?)').run(e.seq, e.hash);
      expect(await checkAuditAnchor(copy, srvA)).toEqual({ ok: false, problem: 'cut_off', anchoredSeq: entries.length, localSeq: entries.length - 2 });
      copy.prepare('INSERT INTO audit VALUES (?, ?), (?, ?)').run(entries.length - 1, 'rewritten', entries.length, 'rewritten');
      expect(await checkAuditAnchor(copy, srvA)).toMatchObject({ ok: false, problem: 'diverged' });
    } finally {
      copy.close();
    }
  });

  it("Desk 2 charges Desk 1's card on file and refunds Desk 1's order; Desk 1 sees both; totals equal the gateway's", async () => {
    const custId = (a.db.prepare('SELECT id FROM customers').get() as { id: string }).id;
    const card = b.db.prepare('SELECT id FROM cards WHERE customer_id = ?').get(custId) as { id: string };
    const order2 = await b.call('orders.create', { channel: 'phone', currency: 'USD', customerId: custId, lines: lines(2_500) });
    const again = await b.call('payments.charge', { orderId: order2.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } });
    expect(again.outcome).toBe('approved');
    const first = a.db.prepare(`SELECT id, reference FROM payments WHERE status = 'captured'`).get() as { id: string; reference: string };
    await b.call('payments.refund', { paymentId: first.id, amount: 1_200, reason: 'damaged', approval: { supervisorId: b.supervisor.user!.id, pin: b.supervisor.pin } });
    await syncB.syncOnce();
    await syncA.syncOnce();
    const atA = a.db.prepare('SELECT refunded, status FROM payments WHERE id = ?').get(first.id);
    expect(atA).toEqual({ refunded: 1_200, status: 'partially_refunded' });
    expect(a.db.prepare('SELECT p.amount, p.captured FROM payments p WHERE p.order_id = ?').get(order2.id)).toEqual({ amount: 2_500, captured: 2_500 });
    // The gateway agrees with both ledgers.
    for (const h of [a, b]) {
      for (const p of h.db.prepare(`SELECT reference, captured, refunded FROM payments WHERE method = 'card'`).all() as { reference: string; captured: number; refunded: number }[]) {
        const g = sb.control.order(p.reference);
        expect({ ref: p.reference, captured: g?.capturedAmount, refunded: g?.refundedAmount }).toEqual({ ref: p.reference, captured: p.captured, refunded: p.refunded });
      }
    }
    expect(outboxCount(a.db)).toBe(0);
  });

  it("each desk's end of day counts what was done at that desk: Desk 1 its sale, Desk 2 its sale and the refund of Desk 1's order", () => {
    const day = { date: a.clock.now().toISOString().slice(0, 10), utcOffsetMinutes: 0, endUtcOffsetMinutes: 0 };
    const usd = (h: Harness) => computeEndOfDay(h.db, 'x', day, h.clock.now()).byCurrency.find((c) => c.currency === 'USD')!;
    // Both ledgers hold both desks' operations; each report counts its own.
    expect(a.db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE type = 'refund' AND state = 'succeeded'`).get()).toEqual({ n: 1 });
    expect(usd(a).sales).toMatchObject({ count: 1, amount: 5_000 });
    expect(usd(a).refunds).toMatchObject({ count: 0, amount: 0 });
    expect(usd(b).sales).toMatchObject({ count: 1, amount: 2_500 });
    expect(usd(b).refunds).toMatchObject({ count: 1, amount: 1_200 });
  });

  it('a record changed at both desks: the server keeps one version everywhere and the other is kept in shop_conflicts, not lost', async () => {
    const id = (a.db.prepare('SELECT id FROM customers').get() as { id: string }).id;
    updateCustomer(a.db, id, { name: 'Ada King', email: 'ada@example.com', phone: '+44 20 1234' }, a.clock);
    updateCustomer(b.db, id, { name: 'Ada Byron', email: 'ada@example.com', phone: '+44 20 1234' }, b.clock);
    await syncA.syncOnce();
    const r = await syncB.syncOnce();
    expect(r.refused).toBe(1);
    await syncA.syncOnce();
    for (const h of [a, b]) expect((h.db.prepare('SELECT name FROM customers WHERE id = ?').get(id) as { name: string }).name).toBe('Ada King');
    const kept = b.db.prepare(`SELECT kind, local_json FROM shop_conflicts WHERE tbl = 'customers' AND pk = ?`).get(id) as { kind: string; local_json: string };
    expect(kept.kind).toBe('conflict');
    expect(JSON.parse(kept.local_json).name).toBe('Ada Byron');
    // Desk 2's search follows the server's version.
    expect(searchCustomers(b.db, 'king', { limit: 10, offset: 0 }, b.clock).hits.map((h) => h.customer.id)).toContain(id);
  });

  it('a column another migration adds replicates with no code change', async () => {
    for (const h of [a, b]) h.db.exec(`ALTER TABLE customers ADD COLUMN loyalty_tier TEXT NOT NULL DEFAULT ''`);
    const id = (a.db.prepare('SELECT id FROM customers').get() as { id: string }).id;
    a.db.prepare(`UPDATE customers SET loyalty_tier = 'gold' WHERE id = ?`).run(id);
    await syncA.syncOnce();
    await syncB.syncOnce();
    expect(b.db.prepare('SELECT loyalty_tier FROM customers WHERE id = ?').get(id)).toEqual({ loyalty_tier: 'gold' });
  });

  it('server unreachable: the desk still takes payments; the loop says so, keeps the outbox and catches up when it is back; live updates by NOTIFY', async () => {
    const states: string[] = [];
    const liveA = new StationSync(a.db, srvA, { clock: a.clock, stationName: 'Desk 1', retryMs: [200], onStatus: (s) => states.push(s.state) });
    syncB.start();
    liveA.start();
    try {
      await expect.poll(() => liveA.status().state, { timeout: 10_000 }).toBe('connected');
      await pg.cluster().stop();
      await expect.poll(() => liveA.status().state, { timeout: 15_000 }).toBe('unreachable');
      // The gateway is the only network dependency of a charge.
      const custId = (a.db.prepare('SELECT id FROM customers').get() as { id: string }).id;
      const card = a.db.prepare('SELECT id FROM cards WHERE customer_id = ?').get(custId) as { id: string };
      const o = await a.call('orders.create', { channel: 'phone', currency: 'USD', customerId: custId, lines: lines(780) });
      expect((await a.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: card.id } })).outcome).toBe('approved');
      expect(liveA.status()).toMatchObject({ state: 'unreachable', unreachableSince: expect.any(String) });
      expect(liveA.status().waiting).toBeGreaterThan(0);
      await pg.cluster().start();
      await expect.poll(() => b.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE id = ?').get(o.id), { timeout: 20_000 }).toEqual({ n: 1 });
      await expect.poll(() => liveA.status(), { timeout: 5_000 }).toMatchObject({ state: 'connected', waiting: 0, unreachableSince: null });
      expect(states).toContain('unreachable');
      // Live: a change at Desk 1 reaches Desk 2 within about a second (outbox poll + NOTIFY).
      const t0 = Date.now();
      const c2 = await a.call('orders.create', { channel: 'phone', currency: 'USD', lines: lines(100) });
      await expect.poll(() => b.db.prepare('SELECT COUNT(*) AS n FROM orders WHERE id = ?').get(c2.id), { timeout: 5_000, interval: 20 }).toEqual({ n: 1 });
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      await liveA.stop();
      await syncB.stop();
    }
  });
});
