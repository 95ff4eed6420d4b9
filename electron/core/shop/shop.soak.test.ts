import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { startHarness, type Harness } from '../payments/test-harness';
import { PaymentGuard } from './payment-guard';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/**
 * Soak: three desks (real ledgers, the payments feature, one sandbox gateway over HTTP) and one
 * PostgreSQL. Seeded random work at all three (new cards, cards on file, captures, voids and
 * refunds of any desk's payments through the PaymentGuard), a PostgreSQL restart, and desk 3 cut
 * off from the server for a while (a TCP proxy that drops every connection). At the end every
 * desk and the server hold the same records, nothing was kept as a conflict, and every
 * payment's totals equal the gateway's. SOAK_SEED=n repeats the same choices (the seed is
 * printed); how they interleave with the restart and the cut depends on timing.
 *
 * Not here yet (docs/stations.md): SIGKILL of a desk mid-operation.
 */

/** A TCP proxy to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
async function cuttableProxy(targetPort: number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Math.floor(Math.random() * 2 ** 31);
const REPLICATED = ['customers', 'cards', 'orders', 'payments', 'operations', 'recurring_schedules', 'recurring_periods', 'confirmations'] as const;

describePg(`soak: three desks, one PostgreSQL (seed ${SEED})`, () => {
  const pg = usePg();
  let sb: SandboxHandle;
  const desks: { name: string; h: Harness; srv: ShopServer; sync: StationSync; guard: PaymentGuard }[] = [];
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;

  beforeAll(async () => {
    console.log(`soak seed: ${SEED} (repeat with SOAK_SEED=${SEED})`);
    sb = await startSandbox();
    const url = new URL(await pg.freshDatabase());
    proxy = await cuttableProxy(pg.cluster().port);
    for (const [i, name] of ['Desk 1', 'Desk 2', 'Desk 3'].entries()) {
      const h = await startHarness({ sandbox: sb, settings: { stationName: name, refundApprovalLimit: 9_999_999_999 }, timeoutMs: 10_000 });
      const u = new URL(url);
      if (i === 2) u.port = String(proxy.port); // desk 3 reaches the server through the proxy
      const srv = new ShopServer({ connectionString: u.toString(), connectTimeoutMs: 1_000 });
      const sync = new StationSync(h.db, srv, { clock: h.clock, stationName: name, pollMs: 100, heartbeatMs: 1_000, retryMs: [200, 500] });
      await sync.join();
      const guard = new PaymentGuard(h.db, srv, { leaseMs: 5_000, presentMs: 3_000, catchUp: () => sync.syncOnce().then(() => undefined), lastContactAt: () => sync.lastContactAt() });
      desks.push({ name, h, srv, sync, guard });
    }
    for (const d of desks) d.sync.start();
  }, 120_000);

  afterAll(async () => {
    for (const d of desks) await d.sync.stop();
    for (const d of desks) await d.srv.close();
    for (const d of desks) await d.h.close();
    await proxy?.close();
    await sb?.close();
  });

  it('every desk and the server end with the same records; 0 conflicts; every payment equals the gateway', async () => {
    const rnd = prng(SEED);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const amount = () => (10 + Math.floor(rnd() * 190)) * 100; // ends in 00: never a sandbox magic amount
    const tally = { newCard: 0, onFile: 0, capture: 0, void: 0, refund: 0, refused: {} as Record<string, number> };
    const refuse = (code: string) => (tally.refused[code] = (tally.refused[code] ?? 0) + 1);

    const step = async () => {
      const d = pick(desks);
      const r = rnd();
      if (r < 0.25) {
        const order = await d.h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Soak', quantity: 1, unitPrice: amount(), taxRateBp: 0 }], newCustomer: { name: `Soak ${Math.floor(rnd() * 1e6)}`, email: '', phone: '' } });
        const handle = await d.h.hostedCard();
        await d.h.call('payments.charge', { orderId: order.id, mode: rnd() < 0.5 ? 'purchase' : 'authorize', source: { kind: 'new_card', handle, save: true } });
        tally.newCard++;
      } else if (r < 0.45) {
        const cards = d.h.db.prepare(`SELECT id, customer_id FROM cards WHERE status = 'active'`).all() as { id: string; customer_id: string }[];
        if (!cards.length) return;
        const card = pick(cards);
        const order = await d.h.call('orders.create', { channel: 'phone', currency: 'USD', customerId: card.customer_id, lines: [{ description: 'Soak again', quantity: 1, unitPrice: amount(), taxRateBp: 0 }] });
        await d.h.call('payments.charge', { orderId: order.id, mode: rnd() < 0.5 ? 'purchase' : 'authorize', source: { kind: 'card_on_file', cardId: card.id } });
        tally.onFile++;
      } else {
        const open = d.h.db.prepare(`SELECT id FROM payments WHERE method = 'card' AND status IN ('authorized', 'partially_captured', 'captured', 'partially_refunded')`).all() as { id: string }[];
        if (!open.length) return;
        const { id } = pick(open);
        const g = await d.guard.acquire(id);
        if (!g.allowed) return refuse(g.code);
        try {
          // Read after the guard: it pulled this payment's latest version if the server had one.
          const p = d.h.db.prepare('SELECT kind, authorized, captured, refunded, voided, status FROM payments WHERE id = ?').get(id) as { kind: string; authorized: number; captured: number; refunded: number; voided: number; status: string };
          const open2 = p.kind === 'authorization' && p.voided === 0 && p.captured < p.authorized && p.refunded === 0;
          if (open2 && p.captured === 0 && rnd() < 0.2) {
            await d.h.call('payments.void', { paymentId: id, reason: 'soak' });
            tally.void++;
          } else if (open2 && rnd() < 0.6) {
            const left = p.authorized - p.captured;
            await d.h.call('payments.capture', { paymentId: id, amount: Math.min(left, Math.max(100, Math.floor((left * rnd()) / 100) * 100)) });
            tally.capture++;
          } else if (p.captured > p.refunded) {
            const left = p.captured - p.refunded;
            await d.h.call('payments.refund', { paymentId: id, amount: Math.min(left, 100 * (1 + Math.floor(rnd() * 20))), reason: 'soak' });
            tally.refund++;
          }
        } catch (e) {
          if (!(e instanceof ContractError)) throw e;
          refuse(e.code);
        } finally {
          await g.release();
        }
      }
    };

    const run = async (steps: number) => {
      for (let i = 0; i < steps; i++) await step();
    };

    await run(25);
    // PostgreSQL restarts under them.
    await pg.cluster().stop();
    await run(5); // the desks keep working meanwhile
    await pg.cluster().start();
    await run(15);
    // Desk 3 is cut off from the server for a while (its gateway is fine).
    proxy.cut();
    const cutUntil = Date.now() + 6_000;
    while (Date.now() < cutUntil) await step();
    await expect.poll(() => desks[2]!.sync.status().state, { timeout: 10_000 }).toBe('unreachable');
    proxy.restore();
    await run(20);

    // Settle: every desk has pushed everything and pulled everything.
    await expect.poll(async () => {
      for (const d of desks) await d.sync.syncOnce().catch(() => undefined);
      const latest = await desks[0]!.srv.latestSeq();
      return desks.map((d) => [d.sync.status().waiting, (d.h.db.prepare('SELECT pulled_seq FROM shop_state').get() as { pulled_seq: number }).pulled_seq >= latest]);
    }, { timeout: 60_000, interval: 500 }).toEqual(desks.map(() => [0, true]));
    console.log(`soak seed ${SEED}: ${JSON.stringify(tally)}`);

    const why = `seed ${SEED}`;
    for (const d of desks) {
      expect(d.h.db.prepare('SELECT tbl, pk, kind, detail FROM shop_conflicts').all(), `${d.name} conflicts, ${why}`).toEqual([]);
    }
    for (const t of REPLICATED) {
      const rows = desks.map((d) => d.h.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all());
      expect(rows[1], `${t} at Desk 2 vs Desk 1, ${why}`).toEqual(rows[0]);
      expect(rows[2], `${t} at Desk 3 vs Desk 1, ${why}`).toEqual(rows[0]);
      const { rows: srv } = await desks[0]!.srv.pool.query(`SELECT count(*)::int AS n FROM records WHERE tbl = $1 AND NOT deleted`, [t]);
      expect(srv[0].n, `${t} on the server, ${why}`).toBe(rows[0]!.length);
    }
    // Money: every card payment's totals equal the gateway's; no operation applied twice.
    const h = desks[0]!.h;
    const pays = h.db.prepare(`SELECT id, reference, captured, refunded, voided FROM payments WHERE method = 'card'`).all() as { id: string; reference: string; captured: number; refunded: number; voided: number }[];
    expect(pays.length, why).toBeGreaterThan(5);
    for (const p of pays) {
      const gw = sb.control.order(p.reference);
      if (!gw) continue; // declined at the gateway before an order existed
      expect({ ref: p.reference, captured: gw.capturedAmount, refunded: gw.refundedAmount }, why).toEqual({ ref: p.reference, captured: p.captured, refunded: p.refunded });
    }
    expect(tally.capture + tally.refund + tally.void, why).toBeGreaterThan(3);
  }, 300_000);
});
