/**
 * A bulk capture of 2,000 authorizations, and a bill run of 2,000 charges, each SIGKILLed in the
 * middle, then restarted until it finishes: every row is sent exactly once (one CAPTURE per
 * authorization, one PURCHASE per bill-run row, at the sandbox, the bank).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { openLedger } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import { FAST_KEY, PASSPHRASE, startHarness } from '../payments/test-harness';
import { BulkService } from './service';
import { customerWithCard, seedAuthorizations } from './test-helpers';

const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CHILD = join(__dirname, 'crash-child.ts');
const ROWS = Number(process.env.BULK_CRASH_ROWS ?? 2_000);

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => sb?.close());

function child(dir: string) {
  const p = spawn(TSX, [CHILD], {
    cwd: ROOT,
    env: { ...process.env, CRASH_DIR: dir, CRASH_PASSPHRASE: PASSPHRASE, CRASH_API_URL: sb.paymentApiUrl, CRASH_PAGE_URL: sb.paymentPageUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.on('exit', (code, signal) => r({ code, signal })));
  return { exit, out: () => out, err: () => err, kill: () => process.kill(-p.pid!, 'SIGKILL') };
}

function captures(refs: Set<string>): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of sb.control.orders()) {
    if (!refs.has(o.merchantReference)) continue;
    m.set(o.merchantReference, o.operations.filter((op) => op.kind === 'CAPTURE' && op.applied).length);
  }
  return m;
}

describe('bulk capture survives SIGKILL', () => {
  it(`${ROWS} rows, killed in the middle, restarted: each row sent exactly once`, async () => {
    const h = await startHarness({ sandbox: sb, settings: { refundApprovalLimit: 9_999_999_999 }, timeoutMs: 5_000 });
    const auths = await seedAuthorizations(h, ROWS, 1_500, 8);
    const refs = new Set(auths.map((a) => a.reference));
    const bulk = new BulkService(h.deps, h.feature.service);
    const run = bulk.preview('capture', auths.map((a) => ({ reference: a.reference })), 'Parcels shipped', h.supervisor.user!);
    expect(run.counts.waiting).toBe(ROWS);
    h.db.prepare("UPDATE bulk_runs SET state = 'running' WHERE id = ?").run(run.id);
    const dir = h.dir;
    await h.feature.close();
    h.db.close();

    // First life: killed once a good part of the rows reached the bank.
    const first = child(dir);
    const t0 = Date.now();
    for (;;) {
      const sent = [...captures(refs).values()].reduce((a, b) => a + b, 0);
      if (sent >= ROWS * 0.4) break;
      if (first.out().includes('done')) throw new Error('finished before the kill');
      if (Date.now() - t0 > 240_000) throw new Error(`no progress: ${first.err()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    first.kill();
    expect((await first.exit).signal).toBe('SIGKILL');
    const atKill = [...captures(refs).values()].reduce((a, b) => a + b, 0);
    expect(atKill).toBeLessThan(ROWS);

    // Second life: recovers the rows left sending and finishes the run.
    const second = child(dir);
    const exit = await second.exit;
    expect(exit.code, second.err()).toBe(0);
    expect(second.out()).toContain('done');

    const perRef = captures(refs);
    expect(perRef.size).toBe(ROWS);
    const missing = [...perRef.entries()].filter(([, n]) => n !== 1);
    if (missing.length) {
      const db = await openLedger({ dir, protector: new PassphraseKeyProtector(PASSPHRASE, FAST_KEY) });
      const detail = missing.map(([ref, n]) => ({
        ref, n,
        row: db.prepare('SELECT r.state, r.message FROM bulk_rows r JOIN payments p ON p.id = r.payment_id WHERE p.reference = ?').get(ref),
        ops: db.prepare("SELECT o.type, o.state, o.message, o.user_name FROM operations o JOIN payments p ON p.id = o.payment_id WHERE p.reference = ? AND o.type = 'capture'").all(ref),
      }));
      db.close();
      throw new Error(`rows not sent exactly once: ${JSON.stringify(detail)}`);
    }
    for (const o of sb.control.orders()) if (refs.has(o.merchantReference)) expect(o.capturedAmount).toBe(1_500);

    const db = await openLedger({ dir, protector: new PassphraseKeyProtector(PASSPHRASE, FAST_KEY) });
    try {
      const rows = db.prepare('SELECT state, COUNT(*) AS n FROM bulk_rows WHERE run_id = ? GROUP BY state').all(run.id) as { state: string; n: number }[];
      expect(rows).toEqual([{ state: 'approved', n: ROWS }]);
      expect((db.prepare('SELECT state FROM bulk_runs WHERE id = ?').get(run.id) as { state: string }).state).toBe('done');
    } finally {
      db.close();
    }
  }, 600_000);
});

describe('bill run survives SIGKILL', () => {
  it(`${ROWS} rows on cards on file, killed in the middle, restarted: each row charged exactly once`, async () => {
    const h = await startHarness({ sandbox: sb, timeoutMs: 5_000 });
    const ada = await customerWithCard(h, 'Ada Lovelace', 'ada@example.com');
    const bulk = new BulkService(h.deps, h.feature.service, { orders: h.feature.orders });
    const sup = { ...h.supervisor.user!, role: 'supervisor' as const };
    const run = bulk.preview('charge', Array.from({ length: ROWS }, () => ({ reference: ada.customerId, amount: '15.00', description: 'Box' })), 'Monthly club', sup);
    expect(run.counts.waiting).toBe(ROWS);
    h.db.prepare("UPDATE bulk_runs SET state = 'running' WHERE id = ?").run(run.id);
    const prefix = `BR-${run.id.slice(4)}-`;
    const dir = h.dir;
    await h.feature.close();
    h.db.close();
    /** Charges that reached the bank, per row (by the row's order reference). */
    const charged = (): Map<string, number> => {
      const m = new Map<string, number>();
      for (const o of sb.control.orders()) {
        if (!o.merchantReference.startsWith(prefix)) continue;
        const row = o.merchantReference.slice(0, o.merchantReference.lastIndexOf('-P'));
        m.set(row, (m.get(row) ?? 0) + o.operations.filter((op) => op.kind === 'PURCHASE' && op.applied).length);
      }
      return m;
    };
    const total = () => [...charged().values()].reduce((a, b) => a + b, 0);

    const first = child(dir);
    const t0 = Date.now();
    while (total() < ROWS * 0.4) {
      if (first.out().includes('done')) throw new Error('finished before the kill');
      if (Date.now() - t0 > 240_000) throw new Error(`no progress: ${first.err()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    first.kill();
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(total()).toBeLessThan(ROWS);

    const second = child(dir);
    const exit = await second.exit;
    expect(exit.code, second.err()).toBe(0);
    expect(second.out()).toContain('done');

    const perRow = charged();
    expect(perRow.size).toBe(ROWS);
    expect([...perRow.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // One payment attempt per row's order: a resumed row never made a second payment (-P2).
    expect(sb.control.orders().filter((o) => o.merchantReference.startsWith(prefix) && !o.merchantReference.endsWith('-P1'))).toEqual([]);

    const db = await openLedger({ dir, protector: new PassphraseKeyProtector(PASSPHRASE, FAST_KEY) });
    try {
      expect(db.prepare('SELECT state, COUNT(*) AS n FROM bulk_rows WHERE run_id = ? GROUP BY state').all(run.id)).toEqual([{ state: 'approved', n: ROWS }]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM bulk_rows WHERE run_id = ? AND payment_id IS NULL').get(run.id)).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM orders WHERE reference LIKE ?').get(`${prefix}%`)).toEqual({ n: ROWS });
      expect((db.prepare('SELECT state FROM bulk_runs WHERE id = ?').get(run.id) as { state: string }).state).toBe('done');
    } finally {
      db.close();
    }
  }, 600_000);
});
