import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-harness';

const N = 30_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const now = h.clock.now().getTime();
  const order = h.db.prepare(
    `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
     VALUES (?, ?, 'phone', NULL, ?, 'USD', '[]', 1000, 0, 1000, '', 'paid', ?, 'u', 'u', ?)`,
  );
  const pay = h.db.prepare(
    `INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, open_ops, status, customer_name, created_at, authorized_at, expires_at, created_by, updated_at)
     VALUES (?, ?, ?, 'card', ?, 'USD', 1000, 1000, ?, 0, ?, ?, ?, ?, ?, ?, 'u', ?)`,
  );
  h.db.transaction(() => {
    for (let i = 0; i < N; i++) {
      // spread over 60 days; every 10th an open authorization, every 500th unknown
      const at = new Date(now - Math.floor((i * 60 * 24 * 3600 * 1000) / N)).toISOString();
      const auth = i % 10 === 0;
      const expires = auth ? new Date(Date.parse(at) + 7 * 24 * 3600 * 1000).toISOString() : null;
      const ref = `D1-BULK-${String(i).padStart(6, '0')}`;
      order.run(`o${i}`, ref, `Customer ${i % 997}`, at, at);
      pay.run(`p${i}`, `o${i}`, `${ref}-P1`, auth ? 'authorization' : 'purchase', auth ? 0 : 1000, i % 500 === 0 ? 1 : 0, i % 500 === 0 ? 'unknown' : auth ? 'authorized' : 'captured', `Customer ${i % 997}`, at, at, expires, at);
    }
  })();
});
afterAll(async () => {
  await h?.close();
});

describe('payments.list at tens of thousands of rows', () => {
  it('answers every filter quickly, with correct counts and keyset pages', async () => {
    const cases: Record<string, object> = {
      all: {},
      today: { period: 'today' },
      week: { period: 'week' },
      captured: { status: 'captured' },
      uncaptured: { view: 'uncaptured' },
      expiring: { view: 'expiring' },
      unknown: { view: 'unknown' },
      query: { query: 'Customer 99' },
      ref: { query: 'D1-BULK-0123' },
    };
    expect((await h.call('payments.list', { period: 'week' })).total).toBeGreaterThan(N / 10);
    const timings: Record<string, number> = {};
    for (const [name, filter] of Object.entries(cases)) {
      const t0 = performance.now();
      const r = await h.call('payments.list', { ...filter, limit: 100 });
      timings[name] = Math.round(performance.now() - t0);
      expect(r.rows.length).toBeLessThanOrEqual(100);
      for (let i = 1; i < r.rows.length; i++) expect(r.rows[i - 1]!.createdAt >= r.rows[i]!.createdAt).toBe(true);
    }
    expect((await h.call('payments.list', { view: 'unknown' })).total).toBe(N / 500);
    expect((await h.call('payments.list', { status: 'captured' })).total).toBe(N - N / 10); // every 10th is an authorization (the unknown ones among them)
    // page deep with the cursor: constant cost, no overlap
    let cursor: string | null | undefined;
    let seen = 0;
    const t0 = performance.now();
    for (let page = 0; page < 20; page++) {
      const r = await h.call('payments.list', { limit: 500, ...(cursor ? { cursor } : {}) });
      seen += r.rows.length;
      cursor = r.nextCursor;
    }
    timings['20 pages'] = Math.round(performance.now() - t0);
    expect(seen).toBe(10_000);
    console.log('payments.list timings (ms) at', N, 'rows:', JSON.stringify(timings));
    for (const [name, ms] of Object.entries(timings)) if (name !== '20 pages') expect(ms, name).toBeLessThan(250);
  }, 60_000);
});

describe('payments.list search text (indexed candidates, migration 016)', () => {
  it('finds exactly what a plain LIKE over every payment finds: reference prefix or name contained, any case', async () => {
    // Names the trigram index must not get wrong: accents, case, a name changed after the payment.
    const names = ['Zoë Ångström', 'ZOË PRZYBYLSKI', 'Anne-Marie O’Neil', '100% Cotton Ltd', 'under_score Co'];
    const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Search Text', email: '', phone: '' }, lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }] });
    const base = h.db.prepare('SELECT * FROM orders WHERE id = ?').get(order.id) as Record<string, unknown>;
    names.forEach((name, i) => {
      h.db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, open_ops, status, customer_name, created_at, created_by, updated_at)
        VALUES (?, ?, ?, 'card', 'purchase', 'USD', 100, 100, 100, 0, 0, 'captured', ?, ?, 'u', ?)`).run(`pt${i}`, base.id, `ZX-TEXT-${i}-P1`, name, base.created_at, base.created_at);
    });
    h.db.prepare(`UPDATE payments SET customer_name = 'Renamed Person' WHERE id = 'pt4'`).run();
    const scan = (q: string) => {
      const esc = q.replace(/[\\%_]/g, (c) => `\\${c}`);
      return (h.db.prepare(`SELECT id FROM payments WHERE reference LIKE ? ESCAPE '\\' OR customer_name LIKE ? ESCAPE '\\' ORDER BY created_at DESC, id DESC`).pluck().all(`${esc}%`, `%${esc}%`) as string[]);
    };
    for (const q of ['zoë', 'ÅNGSTRÖM', 'ström', 'anne-marie', 'o’neil', '100%', '% Cot', 'under_', 'score', 'renamed', 'Customer 99', 'customer 12', 'zx-text', 'ZX-TEXT-3', 'X-TEXT', 'd1-bulk-0123', 'nobody at all', 'Zo', 'ö']) {
      const r = await h.call('payments.list', { query: q, limit: 500 });
      const expected = scan(q);
      expect(r.total, q).toBe(expected.length);
      expect(r.rows.map((x) => x.id), q).toEqual(expected.slice(0, 500));
    }
  });
});

describe('payments.list search by a card\'s last 4 (migration 022)', () => {
  it('four digits, in either digit set, find the payments of cards ending so, besides references and names', async () => {
    const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Last Four', email: '', phone: '' }, lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }] });
    const base = h.db.prepare('SELECT * FROM orders WHERE id = ?').get(order.id) as Record<string, unknown>;
    ['4242', '4242', '0001'].forEach((last4, i) => {
      h.db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, open_ops, status, customer_name, last4, created_at, created_by, updated_at)
        VALUES (?, ?, ?, 'card', 'purchase', 'USD', 100, 100, 100, 0, 0, 'captured', 'Last Four', ?, ?, 'u', ?)`).run(`pl${i}`, base.id, `ZL-${i}-P1`, last4, base.created_at, base.created_at);
    });
    const ids = async (q: string) => (await h.call('payments.list', { query: q, limit: 500 })).rows.map((r) => r.id).sort();
    expect(await ids('4242')).toEqual(['pl0', 'pl1']);
    expect(await ids('٤٢٤٢')).toEqual(['pl0', 'pl1']);
    expect(await ids('0001')).toEqual(['pl2']);
    expect(await ids('424')).not.toContain('pl0'); // three digits are not a last 4
    const plan = (h.db.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM payments WHERE last4 = '4242'`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('payments_last4');
  });
});

describe('payments.list total of a status over all time (kept counts, status-counts.ts)', () => {
  it('equals a plain COUNT after inserts, status changes, deletes and a rolled-back change', async () => {
    const plain = (status: string) => (h.db.prepare('SELECT COUNT(*) AS n FROM payments WHERE status = ?').get(status) as { n: number }).n;
    const total = async (status: string) => (await h.call('payments.list', { status: status as 'captured' })).total;
    for (const st of ['captured', 'unknown', 'refunded']) expect(await total(st)).toBe(plain(st));
    const before = { captured: plain('captured'), refunded: plain('refunded') };
    // Changes after the counts were first taken: a new payment, a status change, a no-op update, a delete.
    h.db.prepare(`INSERT INTO orders (id, reference, channel, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
      VALUES ('oc1', 'D1-COUNT-1', 'phone', 'Count', 'USD', '[]', 1000, 0, 1000, '', 'paid', '2026-01-01T00:00:00.000Z', 'u', 'u', '2026-01-01T00:00:00.000Z')`).run();
    h.db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, open_ops, status, customer_name, created_at, created_by, updated_at)
      VALUES ('pc1', 'oc1', 'D1-COUNT-1-P1', 'card', 'purchase', 'USD', 1000, 1000, 1000, 0, 0, 'captured', 'Count', '2026-01-01T00:00:00.000Z', 'u', '2026-01-01T00:00:00.000Z')`).run();
    h.db.prepare(`UPDATE payments SET status = 'refunded', refunded = amount WHERE id IN ('p1', 'p2')`).run();
    h.db.prepare(`UPDATE payments SET updated_at = updated_at WHERE id = 'p3'`).run();
    expect(await total('captured')).toBe(before.captured + 1 - 2);
    expect(await total('refunded')).toBe(before.refunded + 2);
    // A change rolled back leaves the count as it was.
    expect(() =>
      h.db.transaction(() => {
        h.db.prepare(`UPDATE payments SET status = 'refunded', refunded = amount WHERE id = 'p4'`).run();
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    for (const st of ['captured', 'refunded', 'unknown']) expect(await total(st), st).toBe(plain(st));
    h.db.prepare(`DELETE FROM payments WHERE id = 'pc1'`).run();
    for (const st of ['captured', 'refunded', 'unknown', 'declined']) expect(await total(st), st).toBe(plain(st));
  });
});

describe('customerHistory', () => {
  it('returns a customer\'s orders and payments newest first', async () => {
    const o = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'History Person', email: '', phone: '' }, lines: [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }] });
    await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: 100 } });
    const { customerHistory } = await import('./queries');
    const r = customerHistory(h.db, o.customerId!, h.clock.now());
    expect(r.orders.map((x) => x.id)).toEqual([o.id]);
    expect(r.payments[0]!.orderReference).toBe(o.reference);
  });
});
