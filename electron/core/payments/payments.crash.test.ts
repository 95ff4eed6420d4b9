/**
 * Crash test: a child process runs the payment core against the sandbox (in this process) and is
 * SIGKILLed at random moments, at least 50 times over at least 1,000 operations, with gateway
 * faults injected throughout. Each restart runs the start-up sweep. At the end every operation in
 * the ledger is final, every payment equals the sandbox, and no operation reached the gateway twice.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { openLedger } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import { FAST_KEY, PASSPHRASE, startHarness } from './test-harness';

const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CHILD = join(__dirname, 'crash-child.ts');
const KILLS = Number(process.env.CRASH_KILLS ?? 55);
const MIN_OPS = Number(process.env.CRASH_MIN_OPS ?? 1000);

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb?.close();
});

interface ChildRun {
  ops: number;
  report: { resolved: number; resent: number; stillUnknown: number } | null;
  ready: boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  stderr: () => string;
  untilReady: Promise<void>;
  untilDone: Promise<void>;
}

function runChild(dir: string, final = false): ChildRun {
  const child = spawn(TSX, [CHILD], {
    cwd: ROOT,
    env: { ...process.env, CRASH_DIR: dir, CRASH_PASSPHRASE: PASSPHRASE, CRASH_API_URL: sb.paymentApiUrl, CRASH_PAGE_URL: sb.paymentPageUrl, CRASH_FINAL: final ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // tsx runs the script in a node child of its own: kill the whole process group, or the
    // real worker would survive the "crash" and keep the ledger busy.
    detached: true,
  });
  let err = '';
  let buf = '';
  let markReady!: () => void;
  let markDone!: () => void;
  const run: ChildRun = {
    ops: 0,
    report: null,
    ready: false,
    exit: new Promise((r) => child.on('exit', (code, signal) => r({ code, signal }))),
    kill: () => process.kill(-child.pid!, 'SIGKILL'),
    stderr: () => err,
    untilReady: new Promise((r) => (markReady = r)),
    untilDone: new Promise((r) => (markDone = r)),
  };
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === 'op' || line === 'refused') run.ops++;
      else if (line.startsWith('ready')) {
        run.ready = true;
        run.report = JSON.parse(line.slice('ready '.length)) as ChildRun['report'];
        markReady();
      } else if (line === 'done') markDone();
    }
  });
  return run;
}

const KIND: Record<string, string> = { authorize: 'AUTHORIZATION', purchase: 'PURCHASE', capture: 'CAPTURE', void: 'VOID_AUTHORIZATION', refund: 'REFUND' };

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs without losing or duplicating an operation`, async () => {
    // Station set up once: a customer with a card on file (through the hosted page).
    const h = await startHarness({ sandbox: sb, settings: { refundApprovalLimit: 9_999_999_999 } });
    const dir = h.dir;
    const o = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Crash Customer', email: 'c@example.com', phone: '' }, lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }] });
    const handle = await h.hostedCard();
    await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
    await h.close();

    // Faults throughout: lost replies after the commit, lost requests before it, 5xx, bad replies.
    for (const kind of ['timeout_after_commit', 'reset_after_commit', 'reset_before_commit', 'http_503', 'bad_signature', 'truncated'] as const) {
      sb.control.injectFault({ kind, times: -1, probability: 0.015 });
    }

    let kills = 0;
    let ops = 0;
    let recoveredRuns = 0;
    let swept = 0;
    let sweptResent = 0;
    let logged = 0;
    while (kills < KILLS || logged < MIN_OPS) {
      const child = runChild(dir);
      const started = await Promise.race([child.untilReady.then(() => true), child.exit.then(() => false)]);
      if (!started) throw new Error(`child exited before ready: ${child.stderr()}`);
      recoveredRuns++;
      swept += child.report?.resolved ?? 0;
      sweptResent += child.report?.resent ?? 0;
      // Kill at a random moment: mostly mid-work, sometimes right after recovery.
      await new Promise((r) => setTimeout(r, Math.random() < 0.15 ? Math.random() * 20 : 80 + Math.random() * 500));
      child.kill();
      const exit = await child.exit;
      if (exit.signal !== 'SIGKILL') throw new Error(`child ended on its own (${exit.code}): ${child.stderr()}`);
      kills++;
      ops += child.ops;
      // Count what the write-ahead log holds (the parent opening the file right after a kill is a check too).
      const peek = await openLedger({ dir, protector: new PassphraseKeyProtector(PASSPHRASE, FAST_KEY) });
      logged = (peek.prepare(`SELECT COUNT(*) AS n FROM operations WHERE type != 'check_status'`).get() as { n: number }).n;
      peek.close();
    }

    sb.control.clearFaults();
    const final = runChild(dir, true);
    await Promise.race([final.untilDone, final.exit.then(() => Promise.reject(new Error(`final child failed: ${final.stderr()}`)))]);
    await final.exit;

    const db = await openLedger({ dir, protector: new PassphraseKeyProtector(PASSPHRASE, FAST_KEY) });
    try {
      const opRows = db.prepare(`SELECT payment_id, type, amount, state FROM operations WHERE type NOT IN ('check_status') ORDER BY payment_id, seq`).all() as {
        payment_id: string;
        type: string;
        amount: number;
        state: string;
      }[];
      const notFinal = opRows.filter((r) => r.state !== 'succeeded' && r.state !== 'declined');
      expect(notFinal).toEqual([]);
      const payments = db.prepare(`SELECT id, reference, authorized, captured, refunded, voided FROM payments WHERE method = 'card'`).all() as {
        id: string;
        reference: string;
        authorized: number;
        captured: number;
        refunded: number;
        voided: number;
      }[];
      const byPayment = new Map<string, string[]>();
      for (const r of opRows) {
        if (r.state !== 'succeeded') continue;
        const list = byPayment.get(r.payment_id) ?? [];
        list.push(`${KIND[r.type]}:${r.type === 'void' ? 0 : r.amount}`);
        byPayment.set(r.payment_id, list);
      }
      let applied = 0;
      for (const p of payments) {
        const gw = sb.control.order(p.reference);
        const gwApplied = (gw?.operations ?? []).filter((x) => x.applied).map((x) => `${x.kind}:${x.amount}`);
        applied += gwApplied.length;
        expect({ ref: p.reference, ops: gwApplied }).toEqual({ ref: p.reference, ops: byPayment.get(p.id) ?? [] });
        expect({ ref: p.reference, totals: [p.authorized, p.captured, p.refunded, p.voided === 1] }).toEqual({
          ref: p.reference,
          totals: [gw?.authorizedAmount ?? 0, gw?.capturedAmount ?? 0, gw?.refundedAmount ?? 0, gw?.status === 'voided'],
        });
      }
      // Every order at the gateway is one of ours (its reference was on disk before it was sent).
      const refs = new Set(payments.map((p) => p.reference));
      for (const order of sb.control.orders()) expect(refs.has(order.merchantReference)).toBe(true);
      expect(applied).toBe(sb.control.operationCount());
      const resent = (db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE attempts > 1`).get() as { n: number }).n;
      console.log(`crash test: ${kills} kills, ${recoveredRuns} recoveries (${swept} operations finished by the start-up sweep, ${sweptResent} of them sent again), ${ops} requests, ${opRows.length} operations (${resent} resent after check status), ${payments.length} card payments, ${applied} applied at the sandbox`);
      expect(kills).toBeGreaterThanOrEqual(50);
      expect(swept).toBeGreaterThan(0); // kills did land mid-operation
      expect(opRows.length).toBeGreaterThanOrEqual(1000);
    } finally {
      db.close();
    }
  }, 180_000);
});
