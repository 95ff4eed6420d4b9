import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import type { CallContext } from '../context';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { startHarness, type Harness } from '../payments/test-harness';
import { createRecurringFeature, type RecurringFeature } from './index';

/**
 * Recurring charges against the real sandbox over HTTP (the bank): every assertion about "charged
 * once" counts orders at the sandbox, by merchant_reference.
 */

let sb: SandboxHandle;
const open: { h: Harness; r: RecurringFeature }[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.r.close();
    await o.h.close();
  }
  sb.control.clearFaults();
});

interface Station {
  h: Harness;
  r: RecurringFeature;
  call<T = unknown>(name: string, input: unknown, ctx?: CallContext): Promise<T>;
  /** Stops recurring and payments, reopens the ledger, recovers payments, starts recurring (like createCore). */
  restart(): Promise<void>;
}

async function station(): Promise<Station> {
  const h = await startHarness({ sandbox: sb, timeoutMs: 400 });
  const entry = { h, r: createRecurringFeature(h.deps, h.feature) };
  open.push(entry);
  const s: Station = {
    h,
    get r() {
      return entry.r;
    },
    async call(name, input, ctx = h.clerk) {
      const def = channels[name as keyof typeof channels];
      const handler = (entry.r.handlers as Record<string, (i: unknown, c: CallContext) => unknown>)[name] ?? (h.feature.handlers as Record<string, (i: unknown, c: CallContext) => unknown>)[name];
      if (!handler) throw new Error(`no handler for ${name}`);
      const out = await handler(def.input.parse(input), ctx);
      return def.output.parse(out) as never;
    },
    async restart() {
      await entry.r.close();
      await h.restart();
      await h.feature.recover();
      entry.r = createRecurringFeature(h.deps, h.feature);
      await entry.r.start();
    },
  };
  await entry.r.start();
  return s;
}

/** A customer with a card on file, saved by an ordinary first charge through the hosted page. */
async function customerWithCard(s: Station, card?: { number?: string }): Promise<{ customerId: string; cardId: string }> {
  const handle = await s.h.hostedCard(card);
  const order = await s.h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Rania Saleh', email: 'rania@example.com', phone: '' }, lines: [{ description: 'Welcome box', quantity: 1, unitPrice: 1000, taxRateBp: 0 }] });
  const charged = await s.h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  if (!charged.cardSaved) throw new Error(`card not saved: ${charged.outcome} ${charged.message}`);
  return { customerId: order.customerId!, cardId: charged.cardSaved.id };
}

type Detail = { schedule: { id: string; state: string; shortId: string; nextDueAt: string | null; charged: number; missed: number; attention: number }; periods: { id: string; period: number; state: string; reference: string; paymentReference: string | null; reason: string | null }[] };

function sandboxChargesOf(shortId: string) {
  return sb.control.orders().filter((o) => o.merchantReference.includes(`-RC-${shortId}-`));
}

const MONTH_MS = 31 * 86_400_000;

describe('recurring charges', () => {
  it('charges period 1 at once with eci RECURRING, PURCHASE, under the derived reference; a second pass charges nothing', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 2500, currency: 'USD', frequency: 'monthly', count: 3, description: 'Seed club' });
    expect(d.periods).toHaveLength(1);
    expect(d.periods[0]).toMatchObject({ period: 1, state: 'charged', reference: `D1-RC-${d.schedule.shortId}-1`, paymentReference: `D1-RC-${d.schedule.shortId}-1-P1` });
    await s.call('recurring.runDue', {});
    await s.call('recurring.runDue', {});
    const charges = sandboxChargesOf(d.schedule.shortId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ command: 'PURCHASE', eci: 'RECURRING', amount: 2500, merchantReference: `D1-RC-${d.schedule.shortId}-1-P1` });
  });

  it('three periods, a restart between the second and the third, concurrent passes: exactly three charges', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 1500, currency: 'USD', frequency: 'monthly', count: 3, description: 'Tea subscription' });
    const id = d.schedule.id;
    s.h.advance(Date.parse(d.schedule.nextDueAt!) - s.h.clock.now().getTime() + 1000);
    // Three passes and the creation's own at once: one charge for period 2.
    await Promise.all([s.call('recurring.runDue', {}), s.call('recurring.runDue', {}), s.r.service.pass()]);
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(2);
    await s.restart();
    await s.call('recurring.runDue', {});
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(2);
    const before = await s.call<Detail>('recurring.get', { id });
    s.h.advance(Date.parse(before.schedule.nextDueAt!) - s.h.clock.now().getTime() + 1000);
    await s.call('recurring.runDue', {});
    const after = await s.call<Detail>('recurring.get', { id });
    expect(after.periods.map((p) => [p.period, p.state])).toEqual([[3, 'charged'], [2, 'charged'], [1, 'charged']]);
    expect(after.schedule.state).toBe('completed');
    const charges = sandboxChargesOf(d.schedule.shortId);
    expect(charges.map((c) => c.merchantReference).sort()).toEqual([1, 2, 3].map((n) => `D1-RC-${d.schedule.shortId}-${n}-P1`));
    expect(charges.every((c) => c.eci === 'RECURRING' && c.command === 'PURCHASE')).toBe(true);
  });

  it('a period that fell due while the station was closed is missed: listed, never charged by itself; a supervisor runs one and skips another', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 990, currency: 'USD', frequency: 'weekly', description: 'Flowers' });
    await s.r.close();
    s.h.advance(15 * 86_400_000); // closed for two weeks: periods 2 and 3 fell due
    await s.restart();
    await s.call('recurring.runDue', {});
    let cur = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(cur.periods.filter((p) => p.state === 'missed').map((p) => p.period)).toEqual([3, 2]);
    expect(cur.periods.find((p) => p.period === 2)!.reason).toMatch(/closed/);
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(1);
    const list = await s.call<{ missed: number }>('recurring.list', {});
    expect(list.missed).toBe(2);
    const p2 = cur.periods.find((p) => p.period === 2)!;
    const p3 = cur.periods.find((p) => p.period === 3)!;
    // Running or skipping a missed period is a supervisor's decision (the dispatcher enforces minRole).
    expect([channels['recurring.runPeriod'].minRole, channels['recurring.skipPeriod'].minRole, channels['recurring.cancel'].minRole]).toEqual(['supervisor', 'supervisor', 'supervisor']);
    cur = await s.call<Detail>('recurring.runPeriod', { periodId: p2.id }, s.h.supervisor);
    expect(cur.periods.find((p) => p.period === 2)!.state).toBe('charged');
    cur = await s.call<Detail>('recurring.skipPeriod', { periodId: p3.id, reason: 'Customer away' }, s.h.supervisor);
    expect(cur.periods.find((p) => p.period === 3)).toMatchObject({ state: 'skipped', reason: 'Customer away' });
    await expect(s.call('recurring.runPeriod', { periodId: p2.id }, s.h.supervisor)).rejects.toThrow(/already charged/);
    await s.call('recurring.runDue', {});
    expect(sandboxChargesOf(d.schedule.shortId).map((c) => c.merchantReference).sort()).toEqual([`D1-RC-${d.schedule.shortId}-1-P1`, `D1-RC-${d.schedule.shortId}-2-P1`]);
  });

  it('a crash between the period row and the charge: the restart charges it once', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 1200, currency: 'USD', frequency: 'daily', description: 'Bread' });
    s.h.advance(86_400_000 + 1000);
    // Write the period row and claim it (order made, state running) as the runner does, then "crash".
    const svc = s.r.service as unknown as { materialize(sch: unknown, now: string): void; claim(id: string, from: string[], actor: unknown): unknown };
    const row = s.h.db.prepare('SELECT * FROM recurring_schedules WHERE id = ?').get(d.schedule.id);
    svc.materialize(row, s.h.clock.now().toISOString());
    const p2 = s.h.db.prepare('SELECT id FROM recurring_periods WHERE schedule_id = ? AND period = 2').get(d.schedule.id) as { id: string };
    expect(svc.claim(p2.id, ['due'], { id: 'system', name: 'recurring runner' })).not.toBeNull();
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(1);
    await s.restart();
    const cur = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(cur.periods.find((p) => p.period === 2)!.state).toBe('charged');
    await s.call('recurring.runDue', {});
    expect(sandboxChargesOf(d.schedule.shortId).map((c) => c.merchantReference).sort()).toEqual([`D1-RC-${d.schedule.shortId}-1-P1`, `D1-RC-${d.schedule.shortId}-2-P1`]);
  });

  it('an unknown outcome (the bank charged, the answer was lost) stays running and is resolved by check status with the same reference', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'PURCHASE' }, times: 1, delayMs: 2000 });
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 3300, currency: 'USD', frequency: 'yearly', description: 'Membership' });
    expect(d.periods[0]!.state).toBe('running');
    // The station goes down before background resolution; the start-up sweep resolves it.
    await s.restart();
    const cur = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(cur.periods[0]).toMatchObject({ state: 'charged', paymentReference: `D1-RC-${d.schedule.shortId}-1-P1` });
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(1);
  });

  it('a decline goes to needs attention with the reason; a retry is a new attempt on the same period; pause, resume, cancel', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 5029, currency: 'USD', frequency: 'monthly', description: 'Declines (magic 029)' });
    expect(d.periods[0]).toMatchObject({ state: 'needs_attention' });
    expect(d.periods[0]!.reason).toMatch(/Declined|funds/i);
    expect((await s.call<{ attention: number }>('recurring.list', {})).attention).toBe(1);
    const retried = await s.call<Detail>('recurring.runPeriod', { periodId: d.periods[0]!.id }, s.h.supervisor);
    expect(retried.periods[0]).toMatchObject({ state: 'needs_attention', paymentReference: `D1-RC-${d.schedule.shortId}-1-P2` });
    await s.call('recurring.pause', { id: d.schedule.id });
    s.h.advance(MONTH_MS);
    await s.call('recurring.runDue', {});
    expect((await s.call<Detail>('recurring.get', { id: d.schedule.id })).periods).toHaveLength(1);
    const resumed = await s.call<Detail>('recurring.resume', { id: d.schedule.id });
    expect(resumed.periods.find((p) => p.period === 2)).toMatchObject({ state: 'missed' });
    expect(resumed.periods.find((p) => p.period === 2)!.reason).toMatch(/paused/);
    const cancelled = await s.call<Detail>('recurring.cancel', { id: d.schedule.id }, s.h.supervisor);
    expect(cancelled.schedule.state).toBe('cancelled');
    expect(cancelled.periods.map((p) => p.state)).toEqual(['skipped', 'skipped']);
    const refs = sandboxChargesOf(d.schedule.shortId).map((c) => c.merchantReference).sort();
    expect(refs).toEqual([`D1-RC-${d.schedule.shortId}-1-P1`, `D1-RC-${d.schedule.shortId}-1-P2`]);
    const audit = s.h.db.prepare(`SELECT action FROM audit WHERE action LIKE 'recurring.%' ORDER BY seq`).all() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['recurring.create', 'recurring.charge', 'recurring.runPeriod', 'recurring.pause', 'recurring.resume', 'recurring.cancel']));
  });

  it('refuses a card of another customer, an end date and a count together, a start in the past', async () => {
    const s = await station();
    const a = await customerWithCard(s);
    const b = await customerWithCard(s, { number: '5123450000000008' });
    const base = { customerId: a.customerId, cardId: a.cardId, amount: 100, currency: 'USD', frequency: 'daily', description: 'x' };
    await expect(s.call('recurring.create', { ...base, cardId: b.cardId })).rejects.toThrow(/another customer/);
    await expect(s.call('recurring.create', { ...base, count: 2, endAt: new Date(Date.now() + 5 * 86_400_000).toISOString() })).rejects.toThrow(/not both/);
    await expect(s.call('recurring.create', { ...base, startAt: new Date(s.h.clock.now().getTime() - 3 * 86_400_000).toISOString() })).rejects.toThrow(/past/);
  });
});
