import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChannelName, OutputOf } from '../../../shared/contract';
import { embeddedSandboxGateway } from '../../gateway/embedded';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { createCore, type Core } from '../app';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings/defaults';
import { describePg, usePg } from './test-pg';

/**
 * Payment links in a shop (docs/stations.md): a link sent at Desk 1 replicates; Desk 1 alone
 * follows it (asks the gateway, records its payment); Desk 2 sees it sent, then paid, with the
 * one payment, and is refused acting on it. Real cores, the sandbox over HTTP, a real PostgreSQL.
 */
describePg('payment links across two desks', () => {
  const pg = usePg();
  const protector = new PassphraseKeyProtector('shop links tests', { N: 1 << 12 });
  let sb: SandboxHandle;
  const dirs: string[] = [];
  const cores: Core[] = [];

  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => {
    for (const c of cores.splice(0)) await c.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await sb?.close();
  });

  async function desk(name: string, admin: string, pin: string) {
    const dir = mkdtempSync(join(tmpdir(), 'shop-links-'));
    dirs.push(dir);
    const core = await createCore({ dataDir: dir, protector, gateway: embeddedSandboxGateway(sb, { timeoutMs: 3_000 }), clock: sb.control.clock, station: name, settings: new MemorySettingsStore({ stationName: name }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
    cores.push(core);
    const ctx = { sessionKey: `web:${name}`, origin: 'test' };
    const call = async <K extends ChannelName>(ch: K, input: unknown): Promise<OutputOf<K>> => {
      const r = await core.dispatch(ch, input, ctx);
      if (!r.ok) throw Object.assign(new Error(`${ch}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
      return r.value as OutputOf<K>;
    };
    await call('session.setup', { name: admin, pin });
    return { core, call };
  }

  it('a link sent at Desk 1 is seen at Desk 2, then seen paid with its one payment; Desk 2 cannot resend or cancel it', async () => {
    const database = new URL(await pg.freshDatabase()).pathname.slice(1);
    const conn = { host: '127.0.0.1', port: pg.cluster().port, database, username: 'pos', password: 'x', tls: 'disable' };
    const a = await desk('Desk 1', 'Ann Admin', '13572468');
    const b = await desk('Desk 2', 'Bob Admin', '24681357');
    await a.call('shop.connect', conn);
    await b.call('shop.connect', conn);

    const c = await a.call('customers.create', { name: 'Layla Haddad', email: 'layla@example.com', phone: '' });
    const order = await a.call('orders.create', { channel: 'phone', currency: 'USD', customerId: c.id, lines: [{ description: 'Reading lamp', quantity: 1, unitPrice: 4_250, taxRateBp: 0 }] });
    const link = await a.call('links.send', { orderId: order.id, email: 'layla@example.com', notify: 'EMAIL' });
    expect(link.state).toBe('sent');

    const atB = () => b.core.db.prepare('SELECT state, payment_id FROM payment_links WHERE id = ?').get(link.id) as { state: string; payment_id: string | null } | undefined;
    await expect.poll(() => atB()?.state, { timeout: 10_000, interval: 100 }).toBe('sent');
    // Desk 2 follows nothing of Desk 1's link: it does not act on it, and asking about it does not ask the gateway.
    await expect(b.call('links.cancel', { id: link.id })).rejects.toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('another desk') });
    expect((await b.call('links.get', { id: link.id })).state).toBe('sent');

    // The customer pays; Desk 1 finds out (its links.get asks the gateway) and records the payment.
    expect((await fetch(link.url as string)).status).toBe(200);
    const form = await (await fetch(`${link.url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card_number: '4557012345678902', expiry: '05/30', cvv: '123' }).toString() })).text();
    const action = /action="(\/link\/3ds\/[0-9a-f-]{36})"/.exec(form)?.[1];
    if (action) await fetch(`${sb.url}${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'otp=1234' });
    // Desk 2 asking does not record it: only the desk that sent the link does.
    expect((await b.call('links.get', { id: link.id })).state).toBe('sent');
    const paid = await a.call('links.get', { id: link.id });
    expect(paid.state).toBe('paid');

    await expect.poll(() => atB(), { timeout: 10_000, interval: 100 }).toEqual({ state: 'paid', payment_id: paid.paymentId });
    expect((await b.call('links.get', { id: link.id })).state).toBe('paid');
    const d = await b.call('payments.get', { paymentId: paid.paymentId! });
    expect(d.payment).toMatchObject({ captured: 4_250, status: 'captured' });
    // One payment for the order, at both desks and at the gateway.
    for (const x of [a, b]) expect(x.core.db.prepare('SELECT COUNT(*) AS n FROM payments WHERE order_id = ?').get(order.id)).toEqual({ n: 1 });
    expect(sb.control.orders().filter((o) => o.merchantReference === link.reference)).toHaveLength(1);
    expect(a.core.db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get()).toEqual({ n: 0 });
    expect(b.core.db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get()).toEqual({ n: 0 });
  });
});
