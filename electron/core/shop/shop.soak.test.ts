import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { openLedger, type Db } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import { prng } from '../prng';
import { REPLICATED_TABLES } from './replicated-tables';
import { ShopServer } from './server-client';
import { describePg, usePg } from './test-pg';
import { cuttableProxy } from './test-proxy';

/**
 * Soak: three desks, each its own process (soak-station.ts: the assembled core on its own ledger
 * file, the sandbox gateway over HTTP, this PostgreSQL), doing seeded random work: new cards,
 * cards on file, captures, voids and refunds of any desk's payments (under the payment's lease).
 * Desks are SIGKILLed throughout and started again on the same ledger: at random moments, and
 * at crash points (a money call on the wire, a money call answered but not yet recorded, a push
 * stored by the server but not yet acknowledged in the ledger). PostgreSQL is restarted under
 * them, and desk 3 is cut off from it for a while (a TCP proxy that drops every connection).
 *
 * Then each desk is started once more, its start-up sweep finishes its work, and they sync. At
 * the end every desk and the server hold the same records, nothing was kept as a conflict, every
 * operation is final, nothing a desk reported done is missing, no operation reached the gateway
 * twice and every payment's totals equal the gateway's.
 *
 * SOAK_SEED=n repeats the same choices (the seed is printed, and named in every assertion); how
 * they interleave with the kills, the restart and the cut depends on timing. SOAK_SECONDS (default
 * 40) is how long the desks are killed and restarted; SOAK_SECONDS=600 is the long variant.
 */

const ROOT = resolve(__dirname, '../../..');
const CHILD = join(__dirname, 'soak-station.ts');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 40);
const SEED = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Math.floor(Math.random() * 2 ** 31);
const PASSPHRASE = 'shop soak passphrase';
const CRASH_POINTS = ['gw-reply', 'push-acked', 'gw-sent'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Line {
  t: string;
  [k: string]: unknown;
}
interface Status {
  state: string;
  waiting: number;
  deferred: number;
  pulled: number;
  open: number;
  conflicts: number;
}
interface Desk {
  index: number;
  name: string;
  dir: string;
  pin: string;
  pgPort: number;
  stationId: string;
}
interface Station {
  desk: Desk;
  ready: Promise<Line>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  status: Status | null;
  crashedAt: string | null;
  kill(signal?: NodeJS.Signals): void;
  stderr(): string;
}

describePg(`soak: three desk processes SIGKILLed, one PostgreSQL restarted (seed ${SEED})`, () => {
  const pg = usePg();
  let sb: SandboxHandle;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let database = '';
  const desks: Desk[] = [];
  const running = new Set<Station>();
  const why = `seed ${SEED} (repeat with SOAK_SEED=${SEED})`;

  // What the desks said, gathered here.
  const did: { desk: number; kind: string; paymentId: string; amount: number | null; outcome: string; cut: boolean; pgDown: boolean }[] = [];
  const refused: Record<string, number> = {};
  const errors: string[] = [];
  const logErrors: string[] = [];
  const sweeps: { resolved: number; resent: number; waitingForLease: number }[] = [];
  const crashes: Record<string, number> = {};
  const unreachableSeen = [false, false, false];
  const phase = { cut: false, pgDown: false };

  function start(desk: Desk, mode: 'join' | 'work' | 'final', extra: Record<string, string> = {}): Station {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        SOAK_DIR: desk.dir,
        SOAK_PASSPHRASE: PASSPHRASE,
        SOAK_NAME: desk.name,
        SOAK_PIN: desk.pin,
        SOAK_API_URL: sb.paymentApiUrl,
        SOAK_PAGE_URL: sb.paymentPageUrl,
        SOAK_PG_PORT: String(desk.pgPort),
        SOAK_PG_DB: database,
        SOAK_MODE: mode,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let buf = '';
    let exited = false;
    let markReady!: (l: Line) => void;
    const st: Station = {
      desk,
      ready: new Promise((r) => (markReady = r)),
      exit: new Promise((r) =>
        child.on('exit', (code, signal) => {
          exited = true;
          running.delete(st);
          r({ code, signal });
        }),
      ),
      alive: () => !exited,
      status: null,
      crashedAt: null,
      kill: (signal = 'SIGKILL') => {
        if (!exited) child.kill(signal);
      },
      stderr: () => err,
    };
    running.add(st);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!text.startsWith('{')) continue;
        const l = JSON.parse(text) as Line;
        if (l.t === 'ready' || l.t === 'joined') {
          if (l.sweep) sweeps.push(l.sweep as (typeof sweeps)[number]);
          markReady(l);
        } else if (l.t === 'status') {
          st.status = l as unknown as Status;
          if (l.state === 'unreachable') unreachableSeen[desk.index] = true;
        } else if (l.t === 'did') {
          did.push({ desk: desk.index, kind: String(l.kind), paymentId: String(l.paymentId), amount: (l.amount as number | null) ?? null, outcome: String(l.outcome), cut: phase.cut, pgDown: phase.pgDown });
        } else if (l.t === 'refused') {
          refused[String(l.code)] = (refused[String(l.code)] ?? 0) + 1;
        } else if (l.t === 'crash') {
          st.crashedAt = String(l.where).split(' ')[0]!;
        } else if (l.t === 'error') {
          errors.push(`${desk.name}: ${JSON.stringify(l)}`);
        } else if (l.t === 'log-error') {
          logErrors.push(`${desk.name}: ${String(l.msg)} ${JSON.stringify(l.obj)}`);
        }
      }
    });
    return st;
  }

  async function untilReady(st: Station): Promise<void> {
    const ok = await Promise.race([st.ready.then(() => true), st.exit.then(() => false), sleep(90_000).then(() => false)]);
    if (!ok) throw new Error(`${st.desk.name} did not start (${why}): ${st.stderr()}`);
  }

  beforeAll(async () => {
    console.log(`soak seed: ${SEED} (repeat with SOAK_SEED=${SEED}), ${SECONDS} s of kills`);
    sb = await startSandbox();
    database = new URL(await pg.freshDatabase()).pathname.slice(1);
    proxy = await cuttableProxy(pg.cluster().port);
    for (const i of [0, 1, 2]) {
      // Desk 3 reaches the server through the proxy.
      desks.push({ index: i, name: `Desk ${i + 1}`, dir: mkdtempSync(join(tmpdir(), `shop-soak-${i + 1}-`)), pin: `${i + 1}4680135`, pgPort: i === 2 ? proxy.port : pg.cluster().port, stationId: '' });
    }
    // Joined one after the other (the same-people check sees what the server already holds).
    for (const d of desks) {
      const st = start(d, 'join');
      await untilReady(st);
      expect(await st.exit, st.stderr()).toEqual({ code: 0, signal: null });
    }
  }, 240_000);

  afterAll(async () => {
    for (const st of [...running]) st.kill('SIGKILL');
    await proxy?.close();
    await sb?.close();
    for (const d of desks) rmSync(d.dir, { recursive: true, force: true });
  });

  it('every desk and the server end with the same records; 0 lost, 0 duplicated at the gateway, every payment equals the gateway', async () => {
    const t0 = Date.now();
    const end = t0 + SECONDS * 1000;
    let kills = 0;
    const startUps: number[] = [];

    const deskLoop = async (d: Desk) => {
      const rnd = prng(SEED * 31 + d.index);
      for (let run = 0; Date.now() < end; run++) {
        // Every crash point early at every desk, then a random mix with plain kills.
        const point = run < CRASH_POINTS.length ? CRASH_POINTS[(run + d.index) % CRASH_POINTS.length]! : rnd() < 0.5 ? CRASH_POINTS[Math.floor(rnd() * CRASH_POINTS.length)]! : null;
        const seed = (SEED ^ Math.imul(d.index + 1, 0x9e3779b9) ^ Math.imul(run + 1, 7919)) >>> 0;
        const st = start(d, 'work', { SOAK_SEED: String(seed), SOAK_CRASH: point ?? '', SOAK_CRASH_AT: String(1 + Math.floor(rnd() * 3)) });
        const startedAt = Date.now();
        void st.ready.then(() => startUps.push(Date.now() - startedAt));
        // A crash point may be reached during start-up (the sweep's gateway calls, the first push).
        const up = await Promise.race([st.ready.then(() => true), st.exit.then(() => false), sleep(90_000).then(() => false)]);
        if (!up && !st.crashedAt) throw new Error(`${d.name} did not start (${why}): ${st.stderr()}`);
        // A crash point it does not reach in time, and every plain run, ends with a kill from here.
        if (up) await Promise.race([st.exit, sleep(point ? 6_000 : 300 + rnd() * 2_500)]);
        // Desk 3 keeps working through its cut (what it does then is checked below).
        while (d.index === 2 && phase.cut && st.alive()) await sleep(100);
        st.kill('SIGKILL');
        const ex = await st.exit;
        if (ex.signal !== 'SIGKILL') throw new Error(`${d.name} ended on its own (${ex.code}, ${why}): ${st.stderr()}`);
        kills++;
        if (st.crashedAt) crashes[st.crashedAt] = (crashes[st.crashedAt] ?? 0) + 1;
      }
    };
    const events = async () => {
      // PostgreSQL restarts under them.
      await sleep(Math.max(0, t0 + SECONDS * 300 - Date.now()));
      phase.pgDown = true;
      await pg.cluster().stop();
      await sleep(3_000);
      await pg.cluster().start();
      phase.pgDown = false;
      // Desk 3 is cut off from the server for a while (its gateway is fine).
      await sleep(Math.max(0, t0 + SECONDS * 550 - Date.now()));
      phase.cut = true;
      proxy.cut();
      await sleep(8_000);
      proxy.restore();
      phase.cut = false;
    };
    await Promise.all([...desks.map((d) => deskLoop(d)), events()]);

    // Each desk once more: its start-up sweep finishes what the kills left, then all sync.
    const finals = desks.map((d) => start(d, 'final'));
    for (const st of finals) await untilReady(st);
    const srv = new ShopServer({ host: '127.0.0.1', port: pg.cluster().port, database, user: 'pos' });
    try {
      let latest = -1;
      let calm = 0;
      const settleBy = Date.now() + 90_000;
      while (calm < 2) {
        // A desk that kept something as a conflict will not settle: the checks below say what.
        if (finals.some((f) => (f.status?.conflicts ?? 0) > 0)) break;
        if (Date.now() > settleBy) throw new Error(`the desks did not settle (${why}): ${JSON.stringify(finals.map((f) => f.status))}, server at ${latest}`);
        await sleep(500);
        const now = await srv.latestSeq();
        const settled = finals.every((f) => f.status && f.status.state === 'connected' && f.status.open === 0 && f.status.waiting === 0 && f.status.deferred === 0 && f.status.pulled >= now);
        calm = settled && now === latest ? calm + 1 : 0;
        latest = now;
      }
      for (const st of finals) st.kill('SIGTERM');
      for (const st of finals) expect(await st.exit, `${st.desk.name} closing, ${why}: ${st.stderr()}`).toEqual({ code: 0, signal: null });

      const tally = {
        kills,
        crashes,
        startUpMs: startUps.length ? Math.round(startUps.reduce((a, b) => a + b, 0) / startUps.length) : null,
        did: desks.map((d) => did.filter((x) => x.desk === d.index).length),
        whileCut: did.filter((x) => x.desk === 2 && x.cut).length,
        whilePgDown: did.filter((x) => x.pgDown).length,
        refused, sweeps: sweeps.reduce((a, s) => ({ resolved: a.resolved + s.resolved, resent: a.resent + s.resent, waitingForLease: a.waitingForLease + s.waitingForLease }), { resolved: 0, resent: 0, waitingForLease: 0 }) };
      console.log(`soak ${why}: ${JSON.stringify(tally)}`);
      if (logErrors.length) console.log(`soak logged errors:\n${logErrors.slice(0, 20).join('\n')}`);
      expect(errors, why).toEqual([]);

      const protector = new PassphraseKeyProtector(PASSPHRASE, { N: 1 << 12 });
      const dbs: Db[] = [];
      for (const d of desks) dbs.push(await openLedger({ dir: d.dir, protector }));
      try {
        for (const [i, db] of dbs.entries()) desks[i]!.stationId = (db.prepare('SELECT station_id FROM shop_state').get() as { station_id: string }).station_id;
        for (const [i, db] of dbs.entries()) {
          const name = desks[i]!.name;
          expect(db.prepare('SELECT tbl, pk, kind, detail FROM shop_conflicts').all(), `${name} conflicts, ${why}`).toEqual([]);
          expect(db.prepare(`SELECT id, type, state FROM operations WHERE state NOT IN ('succeeded', 'declined')`).all(), `${name} operations not final, ${why}`).toEqual([]);
          expect(db.prepare('SELECT COUNT(*) AS n FROM shop_outbox').get(), `${name} outbox, ${why}`).toEqual({ n: 0 });
        }

        // The same records at every desk and on the server.
        for (const t of REPLICATED_TABLES.filter((x) => x.scope === 'shop')) {
          const rows = dbs.map((db) => db.prepare(`SELECT * FROM ${t.name} ORDER BY ${t.key}`).all() as Record<string, unknown>[]);
          expect(rows[1], `${t.name} at Desk 2 vs Desk 1, ${why}`).toEqual(rows[0]);
          expect(rows[2], `${t.name} at Desk 3 vs Desk 1, ${why}`).toEqual(rows[0]);
          const { rows: onServer } = await srv.pool.query<{ pk: string; data: Record<string, unknown> }>(`SELECT pk, data FROM records WHERE tbl = $1 AND NOT deleted ORDER BY pk COLLATE "C"`, [t.name]);
          expect(onServer.map((r) => r.data), `${t.name} on the server vs Desk 1, ${why}`).toEqual(rows[0]);
        }
        // Each desk's audit chain, entry by entry, as the server holds it.
        for (const [i, db] of dbs.entries()) {
          const mine = db.prepare('SELECT * FROM audit ORDER BY seq').all();
          const { rows: onServer } = await srv.pool.query<{ data: Record<string, unknown> }>(`SELECT data FROM records WHERE tbl = 'audit' AND origin = $1 ORDER BY (data->>'seq')::bigint`, [desks[i]!.stationId]);
          expect(onServer.map((r) => r.data), `${desks[i]!.name} audit on the server, ${why}`).toEqual(mine);
        }

        // Money, from Desk 1's ledger (the same as the others'): every card payment equals the
        // gateway, operation by operation; nothing reached the gateway twice or unrecorded.
        const db = dbs[0]!;
        const KIND: Record<string, string> = { authorize: 'AUTHORIZATION', purchase: 'PURCHASE', capture: 'CAPTURE', void: 'VOID_AUTHORIZATION', refund: 'REFUND' };
        const ops = db.prepare(`SELECT payment_id, type, amount FROM operations WHERE state = 'succeeded' AND type != 'check_status' ORDER BY payment_id, seq`).all() as { payment_id: string; type: string; amount: number }[];
        const byPayment = new Map<string, string[]>();
        for (const o of ops) byPayment.set(o.payment_id, [...(byPayment.get(o.payment_id) ?? []), `${KIND[o.type]}:${o.type === 'void' ? 0 : o.amount}`]);
        const pays = db.prepare(`SELECT id, reference, authorized, captured, refunded, voided FROM payments WHERE method = 'card'`).all() as { id: string; reference: string; authorized: number; captured: number; refunded: number; voided: number }[];
        let applied = 0;
        for (const p of pays) {
          const gw = sb.control.order(p.reference);
          const gwApplied = (gw?.operations ?? []).filter((x) => x.applied).map((x) => `${x.kind}:${x.amount}`);
          applied += gwApplied.length;
          expect({ ref: p.reference, ops: gwApplied }, why).toEqual({ ref: p.reference, ops: byPayment.get(p.id) ?? [] });
          expect({ ref: p.reference, totals: [p.authorized, p.captured, p.refunded, p.voided === 1] }, why).toEqual({
            ref: p.reference,
            totals: [gw?.authorizedAmount ?? 0, gw?.capturedAmount ?? 0, gw?.refundedAmount ?? 0, gw?.status === 'voided'],
          });
        }
        const refs = new Set(pays.map((p) => p.reference));
        for (const order of sb.control.orders()) expect(refs.has(order.merchantReference), `gateway order ${order.merchantReference} is in the ledger, ${why}`).toBe(true);
        expect(applied, why).toBe(sb.control.operationCount());

        // 0 lost: everything a desk reported approved is there, at least as many times.
        const approved = new Map<string, number>();
        for (const x of did) if (x.outcome === 'approved' && x.kind !== 'charge') approved.set(`${x.paymentId} ${x.kind}`, (approved.get(`${x.paymentId} ${x.kind}`) ?? 0) + 1);
        const countOps = db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE payment_id = ? AND type = ? AND state = 'succeeded'`);
        for (const [k, n] of approved) {
          const [paymentId, kind] = k.split(' ') as [string, string];
          expect({ k, n: (countOps.get(paymentId, kind) as { n: number }).n >= n }, why).toEqual({ k, n: true });
        }
        const charged = db.prepare(`SELECT status FROM payments WHERE id = ?`);
        const lost = did
          .filter((y) => y.kind === 'charge' && y.outcome === 'approved')
          .map((y) => ({ id: y.paymentId, status: (charged.get(y.paymentId) as { status: string } | undefined)?.status ?? 'missing' }))
          .filter((y) => y.status === 'missing' || y.status === 'declined');
        expect(lost, why).toEqual([]);

        // The run did what it says: kills at every crash point, work swept up after them, desk 3
        // taking payments while cut off and knowing it was, work on each other's payments.
        expect(kills, why).toBeGreaterThanOrEqual(9);
        for (const p of CRASH_POINTS) expect({ point: p, hit: (crashes[p] ?? 0) > 0 }, why).toEqual({ point: p, hit: true });
        expect(tally.sweeps.resolved, why).toBeGreaterThan(0);
        expect(unreachableSeen[2], why).toBe(true);
        expect(did.filter((x) => x.desk === 2 && x.cut && x.kind === 'charge' && x.outcome === 'approved').length, why).toBeGreaterThan(0);
        expect(did.filter((x) => x.kind !== 'charge' && x.outcome === 'approved').length, why).toBeGreaterThan(3);
        expect(pays.length, why).toBeGreaterThan(10);
      } finally {
        for (const db of dbs) db.close();
      }
    } finally {
      await srv.close();
    }
  }, (SECONDS + 420) * 1000);
});
