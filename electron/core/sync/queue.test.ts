import { afterEach, describe, expect, it } from 'vitest';
import { channels, type OutputOf } from '../../../shared/contract';
import { appendOperation } from '../payments/operation-log';
import { moveOperation } from '../payments/operation-states';
import { tx } from '../ledger/sql';
import { createRecurringFeature, type RecurringFeature } from '../recurring';
import { queuePage } from './queue-repo';
import { expectCode, startSyncHarness, type SyncHarness } from './test-support';

/**
 * The Queue screen's list (sync.queue): keyset pages over 10,000 rows, exact counts, ages against
 * the core's clock, and recurring charges that need attention listed (and counted) once.
 */

type Page = OutputOf<'sync.queue'>;

let sh: SyncHarness | null = null;
let rec: RecurringFeature | null = null;
afterEach(async () => {
  await rec?.close();
  rec = null;
  await sh?.close();
  sh = null;
});

async function queue(s: SyncHarness, input: object): Promise<Page> {
  const parsed = channels['sync.queue'].input.parse(input);
  return channels['sync.queue'].output.parse(await s.sync.handlers['sync.queue']!(parsed, s.h.clerk));
}

/** A customer with a card on file, saved by an ordinary first charge through the hosted page. */
async function customerWithCard(s: SyncHarness): Promise<{ customerId: string; cardId: string; paymentId: string }> {
  const handle = await s.h.hostedCard();
  const order = await s.h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Rania Saleh', email: 'rania@example.com', phone: '' }, lines: [{ description: 'Welcome box', quantity: 1, unitPrice: 1000, taxRateBp: 0 }] });
  const charged = await s.h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  if (!charged.cardSaved) throw new Error(`card not saved: ${charged.outcome}`);
  return { customerId: order.customerId!, cardId: charged.cardSaved.id, paymentId: charged.payment.id };
}

function recurring(s: SyncHarness): RecurringFeature {
  rec = createRecurringFeature(s.h.deps, s.h.feature, { onAttentionChange: () => s.sync.notify() });
  return rec;
}

async function createSchedule(r: RecurringFeature, s: SyncHarness, input: object) {
  const parsed = channels['recurring.create'].input.parse(input);
  return r.handlers['recurring.create']!(parsed, s.h.clerk);
}

describe('sync.queue paging', () => {
  it('pages 10,000 queued operations with a keyset cursor: every row once, oldest first, exact counts on every page', async () => {
    sh = await startSyncHarness();
    const { paymentId } = await customerWithCard(sh);
    await sh.goOffline(); // nothing is forwarded while this test reads the queue
    const base = Date.parse('2026-03-01T08:00:00.000Z');
    const N = 10_000;
    tx(sh.h.db, () => {
      for (let i = 0; i < N; i++) {
        // Three operations share each instant: the id breaks the tie, so paging never skips or repeats one.
        appendOperation(sh!.h.db, { paymentId, type: 'refund', amount: 1, reference: `Q-${i}`, state: 'queued', userId: null, userName: 'Clara Clerk', reason: `row ${i}` }, new Date(base + Math.floor((N - i) / 3) * 1000).toISOString());
      }
    });

    const seen: { id: string; at: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await queue(sh, { section: 'queued', limit: 500, ...(cursor ? { cursor } : {}) });
      pages++;
      expect(page.counts).toEqual({ attention: 0, recurringAttention: 0, queued: N });
      for (const r of page.rows) {
        expect(r.kind).toBe('operation');
        seen.push({ id: r.id, at: r.kind === 'operation' ? r.createdAt : '' });
      }
      if (!page.nextCursor) break;
      expect(page.rows).toHaveLength(500);
      cursor = page.nextCursor;
    }
    expect(pages).toBe(20);
    expect(seen).toHaveLength(N);
    expect(new Set(seen.map((r) => r.id)).size).toBe(N);
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]!;
      const b = seen[i]!;
      expect(a.at < b.at || (a.at === b.at && a.id < b.id)).toBe(true);
    }
    expect(sh.sync.status()).toMatchObject({ queued: N, oldestQueuedAt: seen[0]!.at });
    // The old limit of 1,000 is gone: the default page is 200 and the cursor reaches the rest.
    expect((await queue(sh, { section: 'queued' })).rows).toHaveLength(200);
  });

  it('refuses a cursor of the other section or a forged one, and changes nothing', async () => {
    sh = await startSyncHarness();
    const { paymentId } = await customerWithCard(sh);
    await sh.goOffline();
    tx(sh.h.db, () => {
      for (let i = 0; i < 3; i++) appendOperation(sh!.h.db, { paymentId, type: 'refund', amount: 1, reference: `Q-${i}`, state: 'queued', userId: null, userName: null }, new Date(Date.now() + i).toISOString());
    });
    const first = await queue(sh, { section: 'queued', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    await expectCode(Promise.resolve().then(() => queuePage(sh!.h.db, { section: 'attention', cursor: first.nextCursor!, limit: 2 }, new Date())), 'VALIDATION');
    await expectCode(Promise.resolve().then(() => queuePage(sh!.h.db, { section: 'queued', cursor: 'bm90LWEtY3Vyc29y', limit: 2 }, new Date())), 'VALIDATION');
    const second = await queue(sh, { section: 'queued', limit: 2, cursor: first.nextCursor! });
    expect(second.rows).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(sh.sync.status().queued).toBe(3);
  });

  it('carries the core clock, so the screen computes ages against it (the station may follow another clock)', async () => {
    sh = await startSyncHarness();
    sh.h.advance(3 * 3_600_000);
    const page = await queue(sh, {});
    expect(Math.abs(Date.parse(page.now) - (Date.now() + 3 * 3_600_000))).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(sh.sync.status().now) - Date.parse(page.now))).toBeLessThan(5_000);
  });
});

describe('recurring charges in the queue', () => {
  it('a failed recurring charge is listed under needs attention with its schedule and next step, counted once, and announced', async () => {
    sh = await startSyncHarness();
    const s = sh;
    const { customerId, cardId, paymentId } = await customerWithCard(s);
    const events: OutputOf<'sync.status'>[] = [];
    s.h.deps.events.on('sync.changed', (e) => events.push(e));
    const r = recurring(s);
    await r.start();
    // Magic amount: the sandbox declines it (insufficient funds).
    const d = await createSchedule(r, s, { customerId, cardId, amount: 5029, currency: 'USD', frequency: 'monthly', description: 'Declines (magic 029)' });
    expect(d.periods[0]).toMatchObject({ state: 'needs_attention' });
    await expect.poll(() => events.at(-1)?.recurringAttention, { timeout: 2_000 }).toBe(1);
    expect(s.sync.status()).toMatchObject({ needsAttention: 1, recurringAttention: 1, queued: 0 });

    // An operation needing attention too (a capture whose authorization expired while queued, say).
    await s.goOffline();
    const at = new Date(Date.now() + 60_000).toISOString();
    const op = appendOperation(s.h.db, { paymentId, type: 'refund', amount: 100, reference: 'Q-ATT', state: 'queued', userId: null, userName: 'Clara Clerk' }, at);
    moveOperation(s.h.db, op.id, 'queued', 'recheck_failed', { message: 'Refund now above what remains captured.' }, at);

    const page = await queue(s, { section: 'attention' });
    expect(page.counts).toEqual({ attention: 2, recurringAttention: 1, queued: 0 });
    expect(page.rows.map((x) => x.kind)).toEqual(['recurring', 'operation']); // oldest first, merged
    const item = page.rows[0]!;
    if (item.kind !== 'recurring') throw new Error('expected a recurring entry');
    expect(item).toMatchObject({
      scheduleId: d.schedule.id,
      shortId: d.schedule.shortId,
      description: 'Declines (magic 029)',
      customerName: 'Rania Saleh',
      period: 1,
      reference: `D1-RC-${d.schedule.shortId}-1`,
      amount: 5029,
      currency: 'USD',
      attempts: 1,
    });
    expect(item.reason).toMatch(/Declined|funds/i);
    expect(item.nextStep).toMatch(/supervisor retries the charge or skips the period/);
    expect(page.rows[1]).toMatchObject({ kind: 'operation', id: op.id, recurring: null });
    // Paging across the two kinds: one row a page, each once.
    const p1 = await queue(s, { section: 'attention', limit: 1 });
    const p2 = await queue(s, { section: 'attention', limit: 1, cursor: p1.nextCursor! });
    expect([p1.rows[0]!.id, p2.rows[0]!.id]).toEqual([item.id, op.id]);
    expect(p2.nextCursor).toBeNull();

    // Never twice: while its charge is listed as an operation of the queue, the period is not listed (or counted) again.
    const pay = s.h.db.prepare('SELECT payment_id FROM recurring_periods WHERE id = ?').get(item.id) as { payment_id: string };
    s.h.db.prepare(`UPDATE operations SET state = 'needs_attention' WHERE payment_id = ? AND type = 'purchase'`).run(pay.payment_id);
    const again = await queue(s, { section: 'attention' });
    expect(again.counts).toEqual({ attention: 2, recurringAttention: 0, queued: 0 });
    expect(again.rows.map((x) => x.kind)).toEqual(['operation', 'operation']);
    expect(again.rows.find((x) => x.kind === 'operation' && x.paymentId === pay.payment_id)).toMatchObject({ recurring: { scheduleId: d.schedule.id, shortId: d.schedule.shortId, period: 1 } });
    s.h.db.prepare(`UPDATE operations SET state = 'declined' WHERE payment_id = ? AND type = 'purchase'`).run(pay.payment_id);

    // Skipped by a supervisor: it leaves the queue, and the screen hears of it.
    await r.handlers['recurring.skipPeriod']!({ periodId: item.id, reason: 'Customer left' }, s.h.supervisor);
    await expect.poll(() => events.at(-1)?.recurringAttention, { timeout: 2_000 }).toBe(0);
    expect((await queue(s, { section: 'attention' })).counts).toEqual({ attention: 1, recurringAttention: 0, queued: 0 });
  });

  it('the next step says what to do about the card when the card on file is the problem', async () => {
    const { recurringNextStep } = await import('./queue-repo');
    const now = new Date('2026-05-01T00:00:00Z');
    expect(recurringNextStep({ status: 'inactive', expiry: '3012' }, now)).toMatch(/deactivated: change the schedule's card/);
    expect(recurringNextStep({ status: 'active', expiry: '2604' }, now)).toMatch(/expired: change the schedule's card/);
    expect(recurringNextStep({ status: null, expiry: null }, now)).toMatch(/gone/);
    expect(recurringNextStep({ status: 'active', expiry: '3012' }, now)).toMatch(/^Ask the customer/);
  });
});
