import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import type { CallContext } from '../context';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { startHarness, type Harness } from '../payments/test-harness';
import { stationTimeZone, createRecurringFeature, type RecurringFeature } from './index';

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

/** `timeZone` null: the zone is not fixed, it comes from the shop's setting (settings.timeZone). */
async function station(timeZone: string | null = 'UTC'): Promise<Station> {
  const h = await startHarness({ sandbox: sb, timeoutMs: 400 });
  const zone = timeZone === null ? {} : { timeZone };
  const entry = { h, r: createRecurringFeature(h.deps, h.feature, zone) };
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
      entry.r = createRecurringFeature(h.deps, h.feature, zone);
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

/** Another card on file for the same customer (an ordinary charge that saves it). */
async function addCard(s: Station, customerId: string, number: string): Promise<string> {
  const handle = await s.h.hostedCard({ number });
  const order = await s.h.call('orders.create', { channel: 'phone', currency: 'USD', customerId, lines: [{ description: 'Refill', quantity: 1, unitPrice: 500, taxRateBp: 0 }] });
  const charged = await s.h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  if (!charged.cardSaved) throw new Error(`card not saved: ${charged.outcome} ${charged.message}`);
  return charged.cardSaved.id;
}

type Detail = {
  schedule: { id: string; state: string; shortId: string; nextDueAt: string | null; nextPeriod: number | null; charged: number; missed: number; attention: number; amount: number; description: string; frequency: string; cardId: string; cardLast4: string };
  periods: { id: string; period: number; state: string; dueAt: string; amount: number; reference: string; paymentReference: string | null; reason: string | null; reasonText: unknown }[];
  upcoming: { period: number; dueAt: string }[];
};

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
    // The same sentence as a key, with the bank's answer by its code (the screen's language).
    expect(d.periods[0]!.reasonText).toMatchObject({ key: 'outcome.chargeDeclined', params: { bank: { responseCode: expect.stringMatching(/^\d{5}$/) } } });
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

const DAY_MS = 86_400_000;

function auditOf(s: Station, action: string): { detail: string; user_name: string | null; target: string | null }[] {
  return s.h.db.prepare('SELECT detail, user_name, target FROM audit WHERE action = ? ORDER BY seq').all(action) as { detail: string; user_name: string | null; target: string | null }[];
}

describe('changing a schedule (recurring.update)', () => {
  it('amount, description and card change from the next charge on; history keeps its amount and reference; the audit says old → new', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const other = await addCard(s, customerId, '5123450000000008');
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 1500, currency: 'USD', frequency: 'monthly', description: 'Tea' });
    expect(channels['recurring.update'].minRole).toBe(channels['recurring.create'].minRole);
    const u = await s.call<Detail>('recurring.update', { id: d.schedule.id, amount: 2500, description: 'Tea (large)', cardId: other });
    expect(u.schedule).toMatchObject({ amount: 2500, description: 'Tea (large)', cardId: other, cardLast4: '0008', nextDueAt: d.schedule.nextDueAt, state: 'active' });
    // Period 1 was charged before the change: it keeps its amount and reference.
    expect(u.periods).toHaveLength(1);
    expect(u.periods[0]).toMatchObject({ period: 1, state: 'charged', amount: 1500, paymentReference: `D1-RC-${d.schedule.shortId}-1-P1` });
    const [entry] = auditOf(s, 'recurring.update');
    expect(entry!.target).toBe(`RC-${d.schedule.shortId}`);
    expect(entry!.user_name).toBe('Clara Clerk');
    expect(entry!.detail).toContain('amount USD 15.00 → USD 25.00');
    expect(entry!.detail).toContain('description "Tea" → "Tea (large)"');
    expect(entry!.detail).toContain('card …0001 → …0008');

    s.h.advance(Date.parse(d.schedule.nextDueAt!) - s.h.clock.now().getTime() + 1000);
    await s.call('recurring.runDue', {});
    const after = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(after.periods.map((p) => [p.period, p.state, p.amount])).toEqual([[2, 'charged', 2500], [1, 'charged', 1500]]);
    const charges = sandboxChargesOf(d.schedule.shortId).sort((a, b) => a.merchantReference.localeCompare(b.merchantReference));
    expect(charges.map((c) => [c.merchantReference, c.amount])).toEqual([[`D1-RC-${d.schedule.shortId}-1-P1`, 1500], [`D1-RC-${d.schedule.shortId}-2-P1`, 2500]]);
    expect(charges[0]!.maskedCard).toMatch(/0001$/);
    expect(charges[1]!.maskedCard).toMatch(/0008$/);
    // The order of period 2 says what was charged for.
    const order = s.h.db.prepare('SELECT lines_json FROM orders WHERE reference = ?').get(`D1-RC-${d.schedule.shortId}-2`) as { lines_json: string };
    expect(order.lines_json).toContain('Tea (large)');
  });

  it('periods that fell due before a change keep the amount they fell due with (a missed one charged later included)', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 990, currency: 'USD', frequency: 'weekly', description: 'Flowers' });
    await s.r.close();
    s.h.advance(15 * DAY_MS); // closed for two weeks: periods 2 and 3 fell due
    await s.restart();
    const u = await s.call<Detail>('recurring.update', { id: d.schedule.id, amount: 1290 });
    expect(u.periods.map((p) => [p.period, p.state, p.amount])).toEqual([[3, 'missed', 990], [2, 'missed', 990], [1, 'charged', 990]]);
    expect(u.schedule.amount).toBe(1290);
    const p2 = u.periods.find((p) => p.period === 2)!;
    await s.call<Detail>('recurring.runPeriod', { periodId: p2.id }, s.h.supervisor);
    s.h.advance(Date.parse(u.schedule.nextDueAt!) - s.h.clock.now().getTime() + 1000);
    await s.call('recurring.runDue', {});
    const amounts = Object.fromEntries(sandboxChargesOf(d.schedule.shortId).map((c) => [c.merchantReference, c.amount]));
    expect(amounts).toEqual({ [`D1-RC-${d.schedule.shortId}-1-P1`]: 990, [`D1-RC-${d.schedule.shortId}-2-P1`]: 990, [`D1-RC-${d.schedule.shortId}-4-P1`]: 1290 });
  });

  it('a new rhythm and next date: numbering goes on, the next charge falls on the new date, nothing is charged twice', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 700, currency: 'USD', frequency: 'monthly', description: 'Magazine' });
    const next = new Date(s.h.clock.now().getTime() + 3 * DAY_MS).toISOString();
    const u = await s.call<Detail>('recurring.update', { id: d.schedule.id, frequency: 'weekly', nextAt: next });
    expect(u.schedule).toMatchObject({ frequency: 'weekly', nextPeriod: 2, nextDueAt: next });
    expect(u.upcoming.slice(0, 3)).toEqual([
      { period: 2, dueAt: next },
      { period: 3, dueAt: new Date(Date.parse(next) + 7 * DAY_MS).toISOString() },
      { period: 4, dueAt: new Date(Date.parse(next) + 14 * DAY_MS).toISOString() },
    ]);
    expect(auditOf(s, 'recurring.update')[0]!.detail).toMatch(/monthly → weekly; next charge \(period 2\) .+ UTC → .+ UTC/);
    s.h.advance(3 * DAY_MS + 1000);
    await s.call('recurring.runDue', {});
    s.h.advance(7 * DAY_MS);
    await s.call('recurring.runDue', {});
    const after = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(after.periods.map((p) => [p.period, p.state, p.dueAt])).toEqual([
      [3, 'charged', new Date(Date.parse(next) + 7 * DAY_MS).toISOString()],
      [2, 'charged', next],
      [1, 'charged', d.periods[0]!.dueAt],
    ]);
    expect(sandboxChargesOf(d.schedule.shortId).map((c) => c.merchantReference).sort()).toEqual([1, 2, 3].map((n) => `D1-RC-${d.schedule.shortId}-${n}-P1`));
  });

  it('refuses a next date in the past or not after the last period, an end it would pass, a card of another customer, a cancelled schedule; a refusal changes nothing', async () => {
    const s = await station();
    const a = await customerWithCard(s);
    const b = await customerWithCard(s, { number: '5123450000000008' });
    const d = await s.call<Detail>('recurring.create', { customerId: a.customerId, cardId: a.cardId, amount: 1000, currency: 'USD', frequency: 'daily', endAt: new Date(s.h.clock.now().getTime() + 10 * DAY_MS).toISOString(), description: 'Bread' });
    const now = s.h.clock.now().getTime();
    const before = s.h.db.prepare('SELECT * FROM recurring_schedules WHERE id = ?').get(d.schedule.id);
    const periodsBefore = s.h.db.prepare('SELECT COUNT(*) AS n FROM recurring_periods').get();
    const id = d.schedule.id;
    await expect(s.call('recurring.update', { id, nextAt: new Date(now - 2 * DAY_MS).toISOString() })).rejects.toThrow(/in the past/);
    await expect(s.call('recurring.update', { id, nextAt: new Date(now + 20 * DAY_MS).toISOString() })).rejects.toThrow(/after the schedule's end/);
    await expect(s.call('recurring.update', { id, nextAt: new Date(now + 400 * DAY_MS).toISOString() })).rejects.toThrow(/within a year/);
    await expect(s.call('recurring.update', { id, nextAt: 'soon' })).rejects.toThrow(/not a date/);
    await expect(s.call('recurring.update', { id, cardId: b.cardId, amount: 5 })).rejects.toThrow(/another customer/);
    await expect(s.call('recurring.update', { id, amount: 0 })).rejects.toThrow();
    await expect(s.call('recurring.update', { id, description: '   ' })).rejects.toThrow();
    await expect(s.call('recurring.update', { id, currency: 'EUR' })).rejects.toThrow();
    expect(s.h.db.prepare('SELECT * FROM recurring_schedules WHERE id = ?').get(id)).toEqual(before);
    expect(s.h.db.prepare('SELECT COUNT(*) AS n FROM recurring_periods').get()).toEqual(periodsBefore);
    expect(auditOf(s, 'recurring.update')).toHaveLength(0);
    // Nothing different: nothing written, nothing audited.
    await s.call('recurring.update', { id, amount: 1000, frequency: 'daily', description: 'Bread' });
    expect(auditOf(s, 'recurring.update')).toHaveLength(0);
    // A next date earlier today means now (as when setting up): the next period is charged at once, once.
    const today = await s.call<Detail>('recurring.update', { id, nextAt: new Date(now - 3_600_000).toISOString() });
    expect(today.periods.map((p) => [p.period, p.state])).toEqual([[2, 'charged'], [1, 'charged']]);
    expect(sandboxChargesOf(d.schedule.shortId).map((c) => c.merchantReference).sort()).toEqual([1, 2].map((n) => `D1-RC-${d.schedule.shortId}-${n}-P1`));
    await s.call('recurring.cancel', { id }, s.h.supervisor);
    await expect(s.call('recurring.update', { id, amount: 5 })).rejects.toThrow(/^Only an active or paused schedule can be changed/);
  });

  it('a paused schedule can be changed: what fell due while paused is written as missed first, under the old terms', async () => {
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 400, currency: 'USD', frequency: 'weekly', description: 'Eggs' });
    await s.call('recurring.pause', { id: d.schedule.id });
    s.h.advance(8 * DAY_MS);
    const next = new Date(s.h.clock.now().getTime() + 2 * DAY_MS).toISOString();
    const u = await s.call<Detail>('recurring.update', { id: d.schedule.id, amount: 450, nextAt: next });
    expect(u.schedule).toMatchObject({ state: 'paused', amount: 450, nextPeriod: 3, nextDueAt: next });
    expect(u.periods.map((p) => [p.period, p.state, p.amount])).toEqual([[2, 'missed', 400], [1, 'charged', 400]]);
    expect(u.periods[0]!.reason).toMatch(/paused/);
    expect(sandboxChargesOf(d.schedule.shortId)).toHaveLength(1);
  });

  it('property: across random changes of rhythm, next date and amount, restarts and passes, every period is charged at most once, under its own reference, at the amount it fell due with', async () => {
    let seed = 20260501;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const s = await station();
    const { customerId, cardId } = await customerWithCard(s);
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 100, currency: 'USD', frequency: 'weekly', description: 'Property' });
    const id = d.schedule.id;
    const short = d.schedule.shortId;
    // Amount in force from a moment on: a period is owed the amount in force when it fell due.
    const amounts: { from: number; amount: number }[] = [{ from: 0, amount: 100 }];
    const owed = (dueAt: string) => amounts.filter((a) => a.from < Date.parse(dueAt)).at(-1)!.amount;
    let changes = 0;
    for (let step = 0; step < 24; step++) {
      const roll = rnd();
      if (roll < 0.45) {
        const input: Record<string, unknown> = { id };
        if (rnd() < 0.6) input.frequency = pick(['daily', 'weekly', 'monthly'] as const);
        if (rnd() < 0.6) input.nextAt = new Date(s.h.clock.now().getTime() + 60_000 + Math.floor(rnd() * 20 * DAY_MS)).toISOString();
        const amount = rnd() < 0.7 ? 100 + Math.floor(rnd() * 900) : undefined;
        if (amount !== undefined) input.amount = amount;
        const at = s.h.clock.now().getTime();
        await s.call<Detail>('recurring.update', input);
        changes++;
        if (amount !== undefined) amounts.push({ from: at, amount });
      } else if (roll < 0.9) {
        s.h.advance(Math.floor(rnd() * 9 * DAY_MS));
        await s.call('recurring.runDue', {});
      } else {
        await s.restart();
        // Periods that fell due while "closed" (none here: the clock did not move) would be missed; run what is due.
        await s.call('recurring.runDue', {});
      }
      const cur = await s.call<Detail>('recurring.get', { id });
      const periods = [...cur.periods].sort((a, b) => a.period - b.period);
      // Contiguous numbers, strictly later dates, references derived from the number alone.
      periods.forEach((p, i) => {
        expect(p.period).toBe(i + 1);
        expect(p.reference).toBe(`D1-RC-${short}-${p.period}`);
        if (i > 0) expect(Date.parse(p.dueAt)).toBeGreaterThan(Date.parse(periods[i - 1]!.dueAt));
      });
      // The bank: one charge per charged period, each reference once, at the amount owed.
      const charges = sandboxChargesOf(short);
      const refs = charges.map((c) => c.merchantReference);
      expect(new Set(refs).size).toBe(refs.length);
      const charged = periods.filter((p) => p.state === 'charged');
      expect(charges).toHaveLength(charged.length);
      for (const p of charged) {
        const c = charges.find((x) => x.merchantReference === `${p.reference}-P1`);
        expect(c, `period ${p.period} at the bank`).toBeDefined();
        expect(c!.amount).toBe(owed(p.dueAt));
        expect(p.amount).toBe(c!.amount);
      }
      expect(periods.every((p) => p.state === 'charged')).toBe(true);
    }
    expect(changes).toBeGreaterThan(5);
    expect(sandboxChargesOf(short).length).toBeGreaterThan(5);
  }, 120_000);
});

describe('schedules follow the shop\'s calendar and time zone (issue 15, item 5)', () => {
  type Detail = { schedule: { id: string }; upcoming: { period: number; dueAt: string }[] };
  it('a daily schedule set at local midnight in Berlin stays at local midnight across the spring daylight-saving change, and keeps its zone after a restart', async () => {
    const s = await station('Europe/Berlin');
    const { customerId, cardId } = await customerWithCard(s);
    // 00:00 in Berlin (CET, UTC+1) three days before the change on Sunday 29 March 2026... moved
    // to the station's "now" so the start is accepted: the harness clock is set to just before it.
    const start = '2026-03-26T23:00:00.000Z';
    s.h.clock.offset = Date.parse('2026-03-26T22:00:00.000Z') - Date.now();
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 700, currency: 'EUR', frequency: 'daily', startAt: start, count: 5, description: 'Bread' });
    // 27, 28 March at 23:00 UTC (CET); from 29 March at 22:00 UTC (CEST): always 00:00 in Berlin.
    const expected = ['2026-03-26T23:00:00.000Z', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'];
    expect(d.upcoming.map((p) => p.dueAt)).toEqual(expected);
    expect(s.h.db.prepare('SELECT time_zone FROM recurring_schedules WHERE id = ?').get(d.schedule.id)).toEqual({ time_zone: 'Europe/Berlin' });
    await s.restart();
    const again = await s.call<Detail>('recurring.get', { id: d.schedule.id });
    expect(again.upcoming.map((p) => p.dueAt)).toEqual(expected);
  });

  it('the shop\'s zone is a setting: a schedule follows settings.timeZone (New York, not the machine\'s zone) across the DST change; the station\'s zone when unset; nonsense is refused', async () => {
    const machine = stationTimeZone();
    const shopZone = machine === 'America/New_York' ? 'America/Chicago' : 'America/New_York';
    const utcOffsetAfter = shopZone === 'America/New_York' ? 4 : 5;
    const s = await station(null);
    // Unset: the station's own zone.
    expect(s.h.deps.settings.get().timeZone).toBeNull();
    expect(s.r.service.timeZone).toBe(machine);
    // Nonsense is refused by the contract (what settings.update parses) and changes nothing.
    for (const bad of ['Mars/Olympus', '+01:00', '4005550000000001', 'Europe/Berlin; DROP', '']) {
      expect(channels['settings.update'].input.safeParse({ timeZone: bad }).success, bad).toBe(false);
    }
    s.h.deps.settings.update(channels['settings.update'].input.parse({ timeZone: shopZone }));
    expect(s.r.service.timeZone).toBe(shopZone);
    const { customerId, cardId } = await customerWithCard(s);
    // Local midnight two days before the US change (Sunday 8 March 2026, 02:00 → 03:00).
    const start = `2026-03-07T0${utcOffsetAfter + 1}:00:00.000Z`;
    s.h.clock.offset = Date.parse(start) - 3_600_000 - Date.now();
    const d = await s.call<Detail>('recurring.create', { customerId, cardId, amount: 900, currency: 'USD', frequency: 'daily', startAt: start, count: 4, description: 'Milk' });
    const h = (day: number, hour: number) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
    // Standard time (UTC-5 / UTC-6) for 7 and 8 March; daylight time from 9 March: always 00:00 in the shop.
    expect(d.upcoming.map((p) => p.dueAt)).toEqual([h(7, utcOffsetAfter + 1), h(8, utcOffsetAfter + 1), h(9, utcOffsetAfter), h(10, utcOffsetAfter)]);
    expect(s.h.db.prepare('SELECT time_zone FROM recurring_schedules WHERE id = ?').get(d.schedule.id)).toEqual({ time_zone: shopZone });
    // A later change of the setting applies to new schedules; this one keeps the zone it was set up in.
    s.h.deps.settings.update({ timeZone: 'Asia/Tokyo' });
    await s.restart();
    expect((await s.call<Detail>('recurring.get', { id: d.schedule.id })).upcoming[0]!.dueAt).toBe(h(7, utcOffsetAfter + 1));
  });
});
