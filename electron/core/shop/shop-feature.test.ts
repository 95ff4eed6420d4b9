import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { offlineGateway } from '../../gateway/offline-gateway';
import { createCore, type Core } from '../app';
import { ManualClock } from '../clock';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings/defaults';
import { freePort } from './local-cluster';
import { ShopServer } from './server-client';
import { describePg, usePg } from './test-pg';

/** The shop feature in the assembled core, through the contract, against a real PostgreSQL. */
describePg('shop feature in the core: shop.connect and shop.status', () => {
  const pg = usePg();
  const protector = new PassphraseKeyProtector('shop core tests', { N: 1 << 12 });
  const dirs: string[] = [];
  const cores: Core[] = [];
  let database = '';

  const start = async (dir: string, station: string) => {
    const core = await createCore({ dataDir: dir, protector, gateway: offlineGateway, clock: new ManualClock(), station, settings: new MemorySettingsStore({ stationName: station }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
    cores.push(core);
    return core;
  };
  const conn = (over: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: pg.cluster().port, database, username: 'pos', password: 'trust-needs-none', tls: 'disable', ...over });

  beforeAll(async () => {
    database = new URL(await pg.freshDatabase()).pathname.slice(1);
  });
  afterAll(async () => {
    for (const c of cores.splice(0)) await c.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a desk joins, another joins, a customer made at one is found at the other; the password never comes back out; a restart reconnects', async () => {
    const dirA = mkdtempSync(join(tmpdir(), 'shop-core-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'shop-core-b-'));
    dirs.push(dirA, dirB);
    let a = await start(dirA, 'Desk 1');
    const b = await start(dirB, 'Desk 2');
    const ka = { sessionKey: 'web:a', origin: 'test' };
    const kb = { sessionKey: 'web:b', origin: 'test' };
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);

    expect(await a.dispatch('shop.status', {}, ka)).toMatchObject({ ok: true, value: { state: 'not_configured', server: null } });
    // A server that is not there: its own error, and nothing is saved or switched on.
    const down = await a.dispatch('shop.connect', conn({ port: await freePort() }), ka);
    expect(down).toMatchObject({ ok: false, error: { code: 'SHOP_SERVER_UNREACHABLE' } });
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM shop_connection').get()).toEqual({ n: 0 });
    expect(a.db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'shop_out_%'`).get()).toEqual({ n: 0 });
    // Bad input: a clear error, nothing changed.
    expect(await a.dispatch('shop.connect', conn({ database: 'shop; DROP TABLE records' }), ka)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const joined = await a.dispatch('shop.connect', conn(), ka);
    expect(joined).toMatchObject({ ok: true, value: { server: { host: '127.0.0.1', database, username: 'pos', tls: 'disable', passwordSet: true } } });
    expect(JSON.stringify(joined)).not.toContain('trust-needs-none');
    expect(await b.dispatch('shop.connect', conn(), kb)).toMatchObject({ ok: true });
    // Connecting again without a password keeps the one set.
    const { password: _p, ...noPassword } = conn();
    expect(await b.dispatch('shop.connect', noPassword, kb)).toMatchObject({ ok: true, value: { server: { passwordSet: true } } });
    expect(b.db.prepare('SELECT password FROM shop_connection').get()).toEqual({ password: 'trust-needs-none' });

    const made = await a.dispatch('customers.create', { name: 'Grace Hopper', email: 'grace@example.com', phone: '+1 555 0100' }, ka);
    expect(made.ok).toBe(true);
    await expect.poll(async () => {
      const r = await b.dispatch('customers.search', { query: 'hopper', limit: 10, offset: 0 }, kb);
      return r.ok ? (r.value as { hits: unknown[] }).hits.length : -1;
    }, { timeout: 10_000, interval: 100 }).toBe(1);

    await expect.poll(async () => {
      const s = await a.dispatch('shop.status', {}, ka);
      if (!s.ok) return s;
      const v = s.value as { state: string; stations: { name: string; thisStation: boolean }[] };
      return { state: v.state, stations: v.stations.map((x) => [x.name, x.thisStation]).sort() };
    }, { timeout: 10_000 }).toEqual({ state: 'connected', stations: [['Desk 1', true], ['Desk 2', false]] });
    // Desk 2 can sign in Desk 1's admin: users are shop-wide.
    await expect.poll(async () => {
      const r = await b.dispatch('users.list', {}, kb);
      return r.ok ? (r.value as { name: string }[]).map((u) => u.name).sort() : r;
    }, { timeout: 10_000 }).toEqual(['Ann Admin', 'Bob Admin']);
    // Disabling a user at one desk takes effect at the other within seconds: Desk 1's admin
    // disables Desk 2's admin, whose next call at Desk 2 is refused.
    const bob = ((await a.dispatch('users.list', {}, ka)) as { value: { id: string; name: string }[] }).value.find((u) => u.name === 'Bob Admin')!;
    const t0 = Date.now();
    expect(await a.dispatch('users.update', { id: bob.id, active: false }, ka)).toMatchObject({ ok: true });
    await expect.poll(async () => (await b.dispatch('customers.search', { query: 'hopper', limit: 10, offset: 0 }, kb)).ok, { timeout: 10_000, interval: 100 }).toBe(false);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await b.dispatch('customers.search', { query: 'hopper', limit: 10, offset: 0 }, kb)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await a.dispatch('users.update', { id: bob.id, active: true }, ka)).toMatchObject({ ok: true });
    await expect.poll(() => (b.db.prepare('SELECT active FROM users WHERE id = ?').get(bob.id) as { active: number }).active, { timeout: 10_000, interval: 100 }).toBe(1);
    expect(await b.dispatch('session.login', { userId: bob.id, pin: '24681357' }, kb)).toMatchObject({ ok: true, value: { name: 'Bob Admin' } });

    // The connection is recorded in the audit log, without the password.
    const audit = a.db.prepare(`SELECT outcome, detail FROM audit WHERE action = 'shop.connect' ORDER BY seq`).all() as { outcome: string; detail: string }[];
    expect(audit.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(JSON.stringify(audit)).not.toContain('trust-needs-none');

    // Capture, void and refund take the payment's lease: while Desk 1 holds it, Desk 2 is refused with a reason.
    const at = '2026-12-04T10:00:00.000Z';
    a.db.prepare(`INSERT INTO orders (id, reference, channel, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at) VALUES ('ord_l', 'R-L', 'phone', 'USD', '[]', 1000, 0, 1000, 'authorized', ?, 'u', 'U', ?)`).run(at, at);
    a.db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, status, created_at, created_by, updated_at) VALUES ('pay_l', 'ord_l', 'R-L-P', 'card', 'authorization', 'USD', 1000, 1000, 'authorized', ?, 'u', ?)`).run(at, at);
    await expect.poll(() => b.db.prepare(`SELECT COUNT(*) AS n FROM payments WHERE id = 'pay_l'`).get(), { timeout: 10_000, interval: 100 }).toEqual({ n: 1 });
    const idA = (a.db.prepare('SELECT station_id FROM shop_state').get() as { station_id: string }).station_id;
    const holder = new ShopServer({ host: '127.0.0.1', port: pg.cluster().port, database, user: 'pos' });
    try {
      const lease = await holder.acquireLease(idA, 'pay_l', 30_000);
      expect(lease.granted).toBe(true);
      const refused = await b.dispatch('payments.capture', { paymentId: 'pay_l', amount: 500 }, kb);
      expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/Another desk .* is working on this payment/) } });
      expect(b.db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE payment_id = 'pay_l'`).get()).toEqual({ n: 0 });
      await holder.releaseLease('pay_l', lease.token!);
      // Free again: Desk 2's capture goes through to the gateway (here one that is offline, so it is not CONFLICT).
      const through = await b.dispatch('payments.capture', { paymentId: 'pay_l', amount: 500 }, kb);
      expect(through.ok ? 'ok' : (through as { error: { code: string } }).error.code).not.toBe('CONFLICT');
      expect((b.db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE payment_id = 'pay_l'`).get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      await holder.close();
    }

    // A restart reconnects from the ledger alone.
    await a.close();
    cores.splice(cores.indexOf(a), 1);
    a = await start(dirA, 'Desk 1');
    await expect.poll(() => (a.db.prepare('SELECT COUNT(*) AS n FROM shop_outbox').get() as { n: number }).n, { timeout: 5_000 }).toBe(0);
    await b.dispatch('customers.create', { name: 'Alan Turing', email: '', phone: '' }, kb);
    await expect.poll(() => a.db.prepare(`SELECT COUNT(*) AS n FROM customers WHERE name = 'Alan Turing'`).get(), { timeout: 10_000, interval: 100 }).toEqual({ n: 1 });
  });

  it('audit.verify checks every station\'s chain on the server and this one\'s anchor: another desk\'s entry altered there, or this desk\'s newest entries cut off, is reported', async () => {
    const db2 = new URL(await pg.freshDatabase()).pathname.slice(1);
    const dirA = mkdtempSync(join(tmpdir(), 'shop-audit-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'shop-audit-b-'));
    dirs.push(dirA, dirB);
    const a = await start(dirA, 'Desk 1');
    const b = await start(dirB, 'Desk 2');
    const ka = { sessionKey: 'web:a', origin: 'test' };
    const kb = { sessionKey: 'web:b', origin: 'test' };
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);
    // Before joining: no shop part in the verdict.
    expect(await a.dispatch('audit.verify', {}, ka)).toMatchObject({ ok: true, value: { ok: true } });
    expect(((await a.dispatch('audit.verify', {}, ka)) as { value: { shop?: unknown } }).value.shop ?? null).toBeNull();
    expect(await a.dispatch('shop.connect', conn({ database: db2 }), ka)).toMatchObject({ ok: true });
    expect(await b.dispatch('shop.connect', conn({ database: db2 }), kb)).toMatchObject({ ok: true });
    await b.dispatch('customers.create', { name: 'Ada Lovelace', email: '', phone: '' }, kb);
    const idA = (a.db.prepare('SELECT station_id FROM shop_state').get() as { station_id: string }).station_id;
    const idB = (b.db.prepare('SELECT station_id FROM shop_state').get() as { station_id: string }).station_id;
    const server = new ShopServer({ host: '127.0.0.1', port: pg.cluster().port, database: db2, user: 'pos' });
    try {
      const onServer = async (id: string) => Number((await server.pool.query(`SELECT count(*) AS n FROM records WHERE tbl = 'audit' AND origin = $1`, [id])).rows[0].n);
      const local = (c: Core) => (c.db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
      await expect.poll(async () => [await onServer(idA) === local(a), await onServer(idB) === local(b)], { timeout: 10_000, interval: 100 }).toEqual([true, true]);

      const intact = await a.dispatch('audit.verify', {}, ka);
      expect(intact).toMatchObject({ ok: true, value: { ok: true, problem: null, shop: { reachable: true } } });
      const stations = (intact as { value: { shop: { stations: { name: string; thisStation: boolean; checked: number; problem: string | null }[] } } }).value.shop.stations;
      expect(stations.map((s) => [s.name, s.thisStation, s.problem]).sort()).toEqual([['Desk 1', true, null], ['Desk 2', false, null]]);
      expect(stations.every((s) => s.checked >= 2)).toBe(true);

      // Someone with access to the database edits Desk 2's second entry on the server.
      await server.pool.query(`UPDATE records SET data = jsonb_set(data, '{detail}', '"nothing to see"') WHERE tbl = 'audit' AND pk = $1`, [`${idB}:2`]);
      const tampered = await a.dispatch('audit.verify', {}, ka);
      expect(tampered).toMatchObject({ ok: true, value: { ok: false, firstBadSeq: null, problem: "The shop server's copy of Desk 2's log: entry 2 was altered on the server" } });
      // Desk 2 sees it too, and its own ledger is still intact.
      expect(await b.dispatch('audit.verify', {}, kb)).toMatchObject({ ok: true, value: { ok: false, problem: expect.stringContaining('entry 2 was altered on the server') } });
      // The failed check is itself recorded at Desk 1.
      expect(a.db.prepare(`SELECT outcome FROM audit WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1`).get()).toEqual({ outcome: 'failure' });
      // Put back, the chains are whole again (the hash covers the detail).
      await server.pool.query(`UPDATE records SET data = jsonb_set(data, '{detail}', to_jsonb($2::text)) WHERE tbl = 'audit' AND pk = $1`, [`${idB}:2`, (b.db.prepare('SELECT detail FROM audit WHERE seq = 2').get() as { detail: string }).detail]);
      await expect.poll(async () => [await onServer(idA) === local(a)], { timeout: 10_000, interval: 100 }).toEqual([true]);
      expect(await a.dispatch('audit.verify', {}, ka)).toMatchObject({ ok: true, value: { ok: true } });

      // Desk 1's newest entries cut off in its own ledger (after they reached the server): the anchor shows it.
      await expect.poll(async () => await onServer(idA) === local(a), { timeout: 10_000, interval: 100 }).toBe(true);
      const before = local(a);
      a.db.exec(`DROP TRIGGER audit_no_delete; DROP TRIGGER IF EXISTS shop_out_audit_del`);
      a.db.prepare('DELETE FROM audit WHERE seq > ?').run(before - 2);
      const cut = await a.dispatch('audit.verify', {}, ka);
      expect(cut).toMatchObject({ ok: true, value: { ok: false, firstBadSeq: null, problem: `The newest entries were removed: this log ends at entry ${before - 2}, the shop server holds this station's entries up to ${before}` } });
    } finally {
      await server.close();
    }
  });

  it('a desk whose people have the names of people already in the shop is refused with the names, and nothing of it is shared; renamed or deactivated, it joins', async () => {
    const db3 = new URL(await pg.freshDatabase()).pathname.slice(1);
    const dirA = mkdtempSync(join(tmpdir(), 'shop-people-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'shop-people-b-'));
    dirs.push(dirA, dirB);
    const a = await start(dirA, 'Desk 1');
    const b = await start(dirB, 'Desk 2');
    const ka = { sessionKey: 'web:a', origin: 'test' };
    const kb = { sessionKey: 'web:b', origin: 'test' };
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    await a.dispatch('users.create', { name: 'Chris Clerk', role: 'clerk', pin: '11223344' }, ka);
    await a.dispatch('users.create', { name: 'Sam Supervisor', role: 'supervisor', pin: '55667788' }, ka);
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);
    const chris2 = await b.dispatch('users.create', { name: '  chris  CLERK ', role: 'clerk', pin: '99887766' }, kb);
    const sam2 = await b.dispatch('users.create', { name: 'Sam Supervisor', role: 'clerk', pin: '99887755' }, kb);
    await b.dispatch('users.create', { name: 'Dana Desk', role: 'clerk', pin: '99887744' }, kb);
    expect(await a.dispatch('shop.connect', conn({ database: db3 }), ka)).toMatchObject({ ok: true });
    // Desks join one after the other: Desk 1's people are on the server before Desk 2 asks.
    await expect.poll(() => (a.db.prepare('SELECT COUNT(*) AS n FROM shop_outbox').get() as { n: number }).n, { timeout: 10_000, interval: 100 }).toBe(0);

    const refused = await b.dispatch('shop.connect', conn({ database: db3 }), kb);
    expect(refused).toMatchObject({ ok: false, error: { code: 'SHOP_DUPLICATE_PEOPLE', message: 'chris  CLERK, Sam Supervisor' } });
    // Nothing of Desk 2 was shared or switched on.
    expect(b.db.prepare('SELECT COUNT(*) AS n FROM shop_connection').get()).toEqual({ n: 0 });
    expect(b.db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'shop_out_%'`).get()).toEqual({ n: 0 });
    const server = new ShopServer({ host: '127.0.0.1', port: pg.cluster().port, database: db3, user: 'pos' });
    try {
      const names = async () => (await server.pool.query(`SELECT data->>'name' AS n FROM records WHERE tbl = 'users' ORDER BY 1`)).rows.map((r: { n: string }) => r.n);
      expect(await names()).toEqual(['Ann Admin', 'Chris Clerk', 'Sam Supervisor']);
      // Refusing is recorded at Desk 2.
      expect(b.db.prepare(`SELECT outcome, detail FROM audit WHERE action = 'shop.connect'`).get()).toMatchObject({ outcome: 'failure', detail: expect.stringContaining('chris  CLERK, Sam Supervisor') });

      // The admin renames one and deactivates the other at Desk 2: it joins, and every account stays its own.
      expect(await b.dispatch('users.update', { id: (sam2 as { value: { id: string } }).value.id, name: 'Sam Supervisor (Desk 2)' }, kb)).toMatchObject({ ok: true });
      expect(await b.dispatch('users.update', { id: (chris2 as { value: { id: string } }).value.id, active: false }, kb)).toMatchObject({ ok: true });
      expect(await b.dispatch('shop.connect', conn({ database: db3 }), kb)).toMatchObject({ ok: true });
      await expect.poll(names, { timeout: 10_000, interval: 100 }).toEqual(['Ann Admin', 'Bob Admin', 'Chris Clerk', 'Dana Desk', 'Sam Supervisor', 'Sam Supervisor (Desk 2)', 'chris  CLERK']);
      // Who can sign in at Desk 1: the active accounts, one per name.
      await expect.poll(async () => {
        const r = await a.dispatch('session.users', {}, ka);
        return r.ok ? (r.value as { name: string }[]).map((u) => u.name).sort() : r;
      }, { timeout: 10_000 }).toEqual(['Ann Admin', 'Bob Admin', 'Chris Clerk', 'Dana Desk', 'Sam Supervisor', 'Sam Supervisor (Desk 2)']);
    } finally {
      await server.close();
    }
  });

  it('lockout counts shop-wide: wrong PINs at one desk and then at another lock the account, and the lock holds at every desk', async () => {
    const db4 = new URL(await pg.freshDatabase()).pathname.slice(1);
    const dirA = mkdtempSync(join(tmpdir(), 'shop-lock-a-'));
    const dirB = mkdtempSync(join(tmpdir(), 'shop-lock-b-'));
    dirs.push(dirA, dirB);
    const a = await start(dirA, 'Desk 1');
    const b = await start(dirB, 'Desk 2');
    const ka = { sessionKey: 'web:a', origin: 'test' };
    const kb = { sessionKey: 'web:b', origin: 'test' };
    await a.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, ka);
    const chris = (await a.dispatch('users.create', { name: 'Chris Clerk', role: 'clerk', pin: '11223344' }, ka)) as { value: { id: string } };
    await b.dispatch('session.setup', { name: 'Bob Admin', pin: '24681357' }, kb);
    expect(await a.dispatch('shop.connect', conn({ database: db4 }), ka)).toMatchObject({ ok: true });
    expect(await b.dispatch('shop.connect', conn({ database: db4 }), kb)).toMatchObject({ ok: true });
    const id = chris.value.id;
    const failures = (c: Core) => (c.db.prepare('SELECT failed_attempts AS n, locked_until AS until FROM users WHERE id = ?').get(id) as { n: number; until: string | null } | undefined);
    await expect.poll(() => failures(b)?.n, { timeout: 10_000, interval: 100 }).toBe(0);
    // 6 wrong PINs at Desk 1: the count reaches Desk 2.
    for (let i = 0; i < 6; i++) expect(await a.dispatch('session.login', { userId: id, pin: '00000000' }, ka)).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
    await expect.poll(() => failures(b)?.n, { timeout: 10_000, interval: 100 }).toBe(6);
    // 4 more at Desk 2 make 10: locked there, and the lock reaches Desk 1.
    const last = [];
    for (let i = 0; i < 4; i++) last.push(await b.dispatch('session.login', { userId: id, pin: '00000000' }, kb));
    expect(last.at(-1)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    await expect.poll(() => failures(a)?.until ?? null, { timeout: 10_000, interval: 100 }).not.toBeNull();
    // The right PIN is refused at both desks while locked.
    expect(await a.dispatch('session.login', { userId: id, pin: '11223344' }, ka)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    expect(await b.dispatch('session.login', { userId: id, pin: '11223344' }, kb)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
  });
});
