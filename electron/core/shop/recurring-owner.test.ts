import { afterAll, beforeAll, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import type { CallContext } from '../context';
import { startHarness, type Harness } from '../payments/test-harness';
import { createRecurringFeature, type RecurringFeature } from '../recurring';
import { ownRecord } from './outbox';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';
import { describePg, usePg } from './test-pg';

/**
 * Recurring in a shop: a schedule replicates to every desk, but only its own desk's runner
 * charges it. Period references carry the desk's prefix ("D2-RC-…"), so a second runner would
 * charge the same period again under another reference (found while wiring the shop in).
 */
describePg('recurring schedules in a shop are charged by their own desk only', () => {
  const pg = usePg();
  let sb: SandboxHandle;
  const desks: { h: Harness; r: RecurringFeature; sync: StationSync; srv: ShopServer }[] = [];
  const MONTH_MS = 31 * 86_400_000;

  beforeAll(async () => {
    sb = await startSandbox();
    const url = await pg.freshDatabase();
    for (const name of ['D1', 'D2']) {
      const h = await startHarness({ sandbox: sb, settings: { stationName: name }, timeoutMs: 10_000 });
      (h.deps as { station: string }).station = name; // the prefix of its references
      const srv = new ShopServer({ connectionString: url });
      const sync = new StationSync(h.db, srv, { clock: h.clock, stationName: name });
      await sync.join();
      const r = createRecurringFeature(h.deps, h.feature, { tickMs: 3_600_000, runsSchedule: (id) => ownRecord(h.db, 'recurring_schedules', id) });
      await r.start();
      desks.push({ h, r, sync, srv });
    }
  }, 120_000);
  afterAll(async () => {
    for (const d of desks) {
      await d.r.close();
      await d.srv.close();
      await d.h.close();
    }
    await sb?.close();
  });

  const call = async <T,>(d: (typeof desks)[number], name: string, input: unknown, ctx: CallContext = d.h.clerk): Promise<T> => {
    const def = channels[name as keyof typeof channels];
    const handler = (d.r.handlers as Record<string, (i: unknown, c: CallContext) => unknown>)[name] ?? (d.h.feature.handlers as Record<string, (i: unknown, c: CallContext) => unknown>)[name];
    return def.output.parse(await handler!(def.input.parse(input), ctx)) as T;
  };

  it('period 2 falls due at both desks: Desk 1 charges it once, Desk 2 writes and charges nothing of it', async () => {
    const [d1, d2] = desks as [(typeof desks)[number], (typeof desks)[number]];
    const handle = await d1.h.hostedCard();
    const order = await call<{ id: string; customerId: string }>(d1, 'orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Rania Saleh', email: '', phone: '' }, lines: [{ description: 'Welcome box', quantity: 1, unitPrice: 1000, taxRateBp: 0 }] });
    const charged = await call<{ cardSaved: { id: string } | null }>(d1, 'payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
    const created = await call<{ schedule: { id: string; shortId: string; nextDueAt: string } }>(d1, 'recurring.create', { customerId: order.customerId, cardId: charged.cardSaved!.id, amount: 2500, currency: 'USD', frequency: 'monthly', count: 3, description: 'Seed club' });
    for (const d of [d1, d2]) await d.sync.syncOnce();
    await d1.sync.syncOnce();
    expect(d2.h.db.prepare('SELECT COUNT(*) AS n FROM recurring_schedules').get()).toEqual({ n: 1 });
    expect(ownRecord(d2.h.db, 'recurring_schedules', created.schedule.id)).toBe(false);
    expect(ownRecord(d1.h.db, 'recurring_schedules', created.schedule.id)).toBe(true);

    // A month later at both desks (the sandbox's clock moves once).
    d1.h.advance(MONTH_MS);
    d2.h.clock.offset += MONTH_MS;
    await call(d2, 'recurring.runDue', {});
    await call(d1, 'recurring.runDue', {});
    for (const d of [d1, d2, d1, d2]) await d.sync.syncOnce();

    const charges = sb.control.orders().filter((o) => o.merchantReference.includes(`-RC-${created.schedule.shortId}-`));
    expect(charges.map((o) => o.merchantReference).sort()).toEqual([`D1-RC-${created.schedule.shortId}-1-P1`, `D1-RC-${created.schedule.shortId}-2-P1`]);
    const periods = (d: (typeof desks)[number]) => d.h.db.prepare('SELECT id, period, state, reference FROM recurring_periods ORDER BY period').all();
    expect(periods(d2)).toEqual(periods(d1));
    expect(periods(d1)).toEqual([expect.objectContaining({ period: 1, state: 'charged' }), expect.objectContaining({ period: 2, state: 'charged' })]);
    for (const d of desks) expect(d.h.db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get()).toEqual({ n: 0 });
  });
});
