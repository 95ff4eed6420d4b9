import { describe, expect, it } from 'vitest';
import type { Handlers, CallContext } from '../context';
import { ContractError } from '../../../shared/contract/errors';
import { channels } from '../../../shared/contract';
import { testDeps } from '../people/test-kit';
import { verifyAudit } from '../ledger/audit-log';
import { createCustomersFeature } from './index';

const ctx: CallContext = { sessionKey: 'w1', user: { id: 'u1', name: 'Cleo Clerk', role: 'clerk' }, origin: 'test' };

function kit() {
  const deps = testDeps();
  const h = createCustomersFeature(deps).handlers as Handlers;
  return { deps, h };
}

describe('customers handlers', () => {
  it('creates, reads and updates a customer, auditing which fields changed (not their values)', async () => {
    const { deps, h } = kit();
    const c = await h['customers.create'](channels['customers.create'].input.parse({ name: ' Ana Núñez ', phone: '+34 600 111 222' }), ctx);
    expect(c).toMatchObject({ name: 'Ana Núñez', email: '', phone: '+34 600 111 222', createdAt: '2026-01-15T10:00:00.000Z' });
    expect(channels['customers.create'].output.parse(c)).toEqual(c);

    const got = await h['customers.get']({ id: c.id }, ctx);
    expect(got).toEqual({ customer: c, cards: [], orders: [], payments: [], repeat: null });

    deps.clock.advance(1000);
    const u = await h['customers.update']({ id: c.id, name: 'Ana Núñez', email: 'ana@example.com', phone: '' }, ctx);
    expect(u).toMatchObject({ id: c.id, email: 'ana@example.com', phone: '', createdAt: c.createdAt });
    const audit = deps.db.prepare('SELECT action, user_name, target, detail FROM audit ORDER BY seq').all();
    expect(audit).toEqual([
      { action: 'customer.create', user_name: 'Cleo Clerk', target: c.id, detail: '' },
      { action: 'customer.update', user_name: 'Cleo Clerk', target: c.id, detail: 'changed email, phone' },
    ]);
    expect(JSON.stringify(audit)).not.toContain('ana@example.com');
    expect(verifyAudit(deps.db).ok).toBe(true);
    expect((await h['customers.search']({ query: 'ana@ex', limit: 20, offset: 0 }, ctx)).hits).toHaveLength(1);
  });

  it('NOT_FOUND for an unknown customer', async () => {
    const { h } = kit();
    await expect(async () => h['customers.get']({ id: 'nope' }, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(async () => h['customers.update']({ id: 'nope', name: 'X', email: '', phone: '' }, ctx)).rejects.toBeInstanceOf(ContractError);
  });

  it('returns cards (expired from the clock), recent orders and payments', async () => {
    const { deps, h } = kit();
    const c = await h['customers.create']({ name: 'Ben Ode', email: '', phone: '' }, ctx);
    const at = deps.clock.now().toISOString();
    const insCard = deps.db.prepare(`INSERT INTO cards (id, customer_id, token_name, brand, last4, expiry, holder_name, status, created_at, updated_at) VALUES (?, ?, ?, 'VISA', ?, ?, 'BEN ODE', ?, ?, ?)`);
    insCard.run('k1', c.id, 'tok1', '4242', '2601', 'active', at, at); // good through Jan 2026
    insCard.run('k2', c.id, 'tok2', '1881', '2512', 'inactive', at, at);
    deps.db.prepare(
      `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
       VALUES ('o1', 'ORD-1', 'phone', ?, 'Ben Ode', 'USD', '[{"description":"Tea","quantity":1,"unitPrice":500,"taxRateBp":0}]', 500, 0, 500, '', 'paid', ?, 'u1', 'Cleo Clerk', ?)`,
    ).run(c.id, at, at);
    deps.db.prepare(
      `INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, status, card_id, brand, last4, customer_id, customer_name, created_at, created_by, updated_at)
       VALUES ('p1', 'o1', 'ORD-1-P1', 'card', 'purchase', 'USD', 500, 500, 500, 'captured', 'k1', 'VISA', '4242', ?, 'Ben Ode', ?, 'u1', ?)`,
    ).run(c.id, at, at);

    const got = await h['customers.get']({ id: c.id }, ctx);
    expect(got.cards.map((k) => [k.id, k.status, k.expired])).toEqual([['k1', 'active', false], ['k2', 'inactive', true]]);
    deps.clock.set('2026-02-01T00:00:00.000Z');
    expect((await h['customers.get']({ id: c.id }, ctx)).cards[0]!.expired).toBe(true);
    expect(got.orders.map((o) => [o.reference, o.total, o.createdBy])).toEqual([['ORD-1', 500, 'Cleo Clerk']]);
    expect(got.payments.map((p) => [p.reference, p.orderReference, p.captured])).toEqual([['ORD-1-P1', 'ORD-1', 500]]);
    expect(channels['customers.get'].output.parse(got)).toBeTruthy();
    expect(JSON.stringify(got)).not.toContain('tok1'); // tokens never go to the screen
  });

  it('"Charge again" repeats the newest order whose payment stands, never a voided, declined, refunded, lapsed or reversed one', async () => {
    const { deps, h } = kit();
    const c = await h['customers.create']({ name: 'Dee Repeat', email: '', phone: '' }, ctx);
    const insOrder = deps.db.prepare(
      `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
       VALUES (?, ?, 'phone', ?, 'Dee Repeat', 'USD', ?, ?, 0, ?, '', 'paid', ?, 'u1', 'Cleo Clerk', ?)`,
    );
    const insPayment = deps.db.prepare(
      `INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, voided, declined, status, brand, last4, customer_id, customer_name, created_at, expires_at, created_by, updated_at)
       VALUES (?, ?, ?, 'card', ?, 'USD', ?, ?, ?, ?, ?, ?, ?, 'VISA', '4242', ?, 'Dee Repeat', ?, ?, 'u1', ?)`,
    );
    let minute = 0;
    const add = (id: string, amount: number, kind: 'purchase' | 'authorization', t: { authorized: number; captured: number; refunded?: number; voided?: 1; declined?: 1; status: string; expiresAt?: string }) => {
      const at = new Date(Date.parse('2026-01-15T09:00:00.000Z') + minute++ * 60_000).toISOString();
      insOrder.run(`o-${id}`, `ORD-${id}`, c.id, JSON.stringify([{ description: `Item ${id}`, quantity: 1, unitPrice: amount, taxRateBp: 0 }]), amount, amount, at, at);
      insPayment.run(`p-${id}`, `o-${id}`, `ORD-${id}-P1`, kind, amount, t.authorized, t.captured, t.refunded ?? 0, t.voided ?? 0, t.declined ?? 0, t.status, c.id, at, t.expiresAt ?? null, at);
    };
    add('stands', 4250, 'purchase', { authorized: 4250, captured: 4250, status: 'captured' });
    add('refunded', 1000, 'purchase', { authorized: 1000, captured: 1000, refunded: 1000, status: 'refunded' });
    add('declined', 2000, 'purchase', { authorized: 0, captured: 0, declined: 1, status: 'declined' });
    add('voided', 5500, 'authorization', { authorized: 5500, captured: 0, voided: 1, status: 'voided', expiresAt: '2026-01-22T09:00:00.000Z' });

    const got = await h['customers.get']({ id: c.id }, ctx);
    // The newest order (the voided one) is not what "Charge again" offers: the standing purchase is.
    expect(got.orders[0]!.reference).toBe('ORD-voided');
    expect(got.repeat).toMatchObject({ order: { reference: 'ORD-stands', total: 4250 }, payment: { id: 'p-stands', status: 'captured', last4: '4242' } });
    expect(channels['customers.get'].output.parse(got)).toBeTruthy();

    // An authorization that stands is offered while it lasts, and no longer once it lapsed.
    add('auth', 3000, 'authorization', { authorized: 3000, captured: 0, status: 'authorized', expiresAt: '2026-01-22T09:00:00.000Z' });
    expect((await h['customers.get']({ id: c.id }, ctx)).repeat?.payment.id).toBe('p-auth');
    deps.clock.set('2026-01-23T00:00:00.000Z');
    expect((await h['customers.get']({ id: c.id }, ctx)).repeat?.payment.id).toBe('p-stands');

    // A void or full refund waiting in the offline queue already takes the payment back.
    deps.db.prepare(
      `INSERT INTO operations (id, payment_id, seq, type, amount, state, reference, created_at, updated_at) VALUES ('op1', 'p-stands', 2, 'refund', 4250, 'queued', 'ORD-stands-R1', '2026-01-23T00:00:00.000Z', '2026-01-23T00:00:00.000Z')`,
    ).run();
    expect((await h['customers.get']({ id: c.id }, ctx)).repeat).toBeNull();
  });
});
