import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { ShopServer, type PushItem } from './server-client';
import { SERVER_MIGRATIONS } from './server-migrations';
import { migrateShopServer } from './server-schema';
import { describePg, usePg } from './test-pg';

/** The shop server's schema and rules against a real PostgreSQL 15 (one throwaway cluster for this file). */
describePg('shop server (PostgreSQL)', () => {
  const harness = usePg();
  const open: ShopServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function server(): Promise<ShopServer> {
    const s = new ShopServer({ connectionString: await harness.freshDatabase() });
    open.push(s);
    await s.migrate();
    await s.join('st-a', 'Desk 1');
    await s.join('st-b', 'Desk 2');
    return s;
  }

  const item = (tbl: string, pk: string, data: Record<string, unknown> | null, base: number | null = null): PushItem => ({ tbl, pk, base, deleted: data === null, data });

  it('migrations: applied once each, recorded by version; a newer server schema is refused', async () => {
    const url = await harness.freshDatabase();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      expect(await migrateShopServer(c)).toEqual(SERVER_MIGRATIONS.map((m) => m.version));
      expect(await migrateShopServer(c)).toEqual([]);
      const { rows } = await c.query('SELECT version, name FROM shop_schema_migrations ORDER BY version');
      expect(rows).toEqual(SERVER_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      await c.query(`INSERT INTO shop_schema_migrations (version, name) VALUES (999, 'from the future')`);
      await expect(migrateShopServer(c)).rejects.toThrow(/newer version \(schema 999/);
      // A failing migration leaves nothing half-applied.
      await c.query('DELETE FROM shop_schema_migrations WHERE version = 999');
      const latest = SERVER_MIGRATIONS.at(-1)!.version;
      await expect(migrateShopServer(c, [...SERVER_MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half (x int); SELECT nope;' }])).rejects.toThrow(/migration 99 \(broken\) failed/);
      expect((await c.query(`SELECT to_regclass('half') AS t`)).rows[0].t).toBeNull();
      expect((await c.query('SELECT max(version) AS v FROM shop_schema_migrations')).rows[0].v).toBe(latest);
      // A server at version 1 (an older station made it) is brought up to date, version by version.
      const url1 = await harness.freshDatabase();
      const c1 = new pg.Client({ connectionString: url1 });
      await c1.connect();
      try {
        expect(await migrateShopServer(c1, SERVER_MIGRATIONS.slice(0, 1))).toEqual([1]);
        expect(await migrateShopServer(c1)).toEqual(SERVER_MIGRATIONS.slice(1).map((m) => m.version));
      } finally {
        await c1.end();
      }
    } finally {
      await c.end();
    }
  });

  it('push: idempotent, compare-and-set for shared records, owner-only for operations, append-only audit', async () => {
    const s = await server();
    const [a] = await s.push('st-a', [item('customers', 'cus_1', { id: 'cus_1', name: 'Ann' })]);
    expect(a).toMatchObject({ outcome: 'stored' });
    // The same row again (an acknowledgement lost on the way back): no new version.
    expect((await s.push('st-a', [item('customers', 'cus_1', { id: 'cus_1', name: 'Ann' })]))[0]).toEqual({ outcome: 'same', seq: a!.seq, detail: null });
    // B changes it having seen A's version: stored, new seq.
    const [b] = await s.push('st-b', [item('customers', 'cus_1', { id: 'cus_1', name: 'Ann Lee' }, a!.seq)]);
    expect(b!.outcome).toBe('stored');
    expect(b!.seq).toBeGreaterThan(a!.seq!);
    // A changes it from the version it had: a conflict, and B's version stands.
    expect((await s.push('st-a', [item('customers', 'cus_1', { id: 'cus_1', name: 'Annie' }, a!.seq)]))[0]).toMatchObject({ outcome: 'conflict', seq: b!.seq });
    // Operations: only the station that wrote the operation changes it.
    const [op] = await s.push('st-a', [item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 1, type: 'capture', state: 'sent', reference: 'R-1' })]);
    expect((await s.push('st-b', [item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 1, type: 'capture', state: 'succeeded', reference: 'R-1' }, op!.seq)]))[0]).toMatchObject({ outcome: 'conflict', detail: 'only station st-a changes this record' });
    expect((await s.push('st-a', [item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 1, type: 'capture', state: 'succeeded', reference: 'R-1' }, op!.seq)]))[0]!.outcome).toBe('stored');
    // Day closes are append-only.
    await s.push('st-a', [item('day_closes', 'st-a:2026-12-04', { date: '2026-12-04', hash: 'h1' })]);
    expect((await s.push('st-a', [item('day_closes', 'st-a:2026-12-04', { date: '2026-12-04', hash: 'h2' })], ))[0]).toMatchObject({ outcome: 'conflict' });
    // A table that is not replicated is refused by name.
    expect((await s.push('st-a', [item('hosted_sessions', 'hs_1', { id: 'hs_1' })]))[0]).toMatchObject({ outcome: 'rejected', detail: 'table hosted_sessions is not replicated' });
    // A station that never joined cannot push.
    await expect(s.push('st-z', [item('customers', 'cus_2', { id: 'cus_2' })])).rejects.toThrow(/has not joined/);
  });

  it('a push whose answer was lost: the station\'s next version of its own record is stored, not a conflict; another station\'s newer version still is one', async () => {
    const s = await server();
    // A pushes a payment in flight and is killed before it records the answer (it never learns the seq).
    const [v1] = await s.push('st-a', [item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P', open_ops: 1 })]);
    expect(v1!.outcome).toBe('stored');
    // Restarted, its sweep settles the payment; the outbox still has no base for it.
    const [v2] = await s.push('st-a', [item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P', open_ops: 0 })]);
    expect(v2).toMatchObject({ outcome: 'stored' });
    expect(v2!.seq).toBeGreaterThan(v1!.seq!);
    const [op] = await s.push('st-a', [item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 1, state: 'sent' })]);
    expect((await s.push('st-a', [item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 1, state: 'succeeded' })]))[0]).toMatchObject({ outcome: 'stored' });
    expect(op!.outcome).toBe('stored');
    // B changes it having seen A's version; A, not having seen B's, is refused as before.
    expect((await s.push('st-b', [item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P', open_ops: 0, note: 'b' }, v2!.seq)]))[0]!.outcome).toBe('stored');
    expect((await s.push('st-a', [item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P', open_ops: 1 })]))[0]).toMatchObject({ outcome: 'conflict', detail: 'changed on the server since this station last saw it' });
    // Append-only stays append-only for its own station too.
    await s.push('st-a', [item('day_closes', 'st-a:2026-12-04', { date: '2026-12-04', hash: 'h1' })]);
    expect((await s.push('st-a', [item('day_closes', 'st-a:2026-12-04', { date: '2026-12-04', hash: 'h2' })]))[0]).toMatchObject({ outcome: 'conflict' });
  });

  it('a push stored, its answer lost, then built on by another station: the same row again is its own version (same), a changed one still a conflict', async () => {
    const s = await server();
    // A makes a payment and its order and is killed once the server stored them, before it recorded the answer.
    const pay = { id: 'pay_1', reference: 'R-1-P', status: 'authorized', captured: 0 };
    const ord = { id: 'ord_1', reference: 'R-1', status: 'authorized' };
    const [p1, o1] = await s.push('st-a', [item('payments', 'pay_1', pay), item('orders', 'ord_1', ord)]);
    expect([p1!.outcome, o1!.outcome]).toEqual(['stored', 'stored']);
    // B saw A's versions and captured.
    const [p2, o2] = await s.push('st-b', [item('payments', 'pay_1', { ...pay, status: 'captured', captured: 900 }, p1!.seq), item('orders', 'ord_1', { ...ord, status: 'paid' }, o1!.seq)]);
    expect([p2!.outcome, o2!.outcome]).toEqual(['stored', 'stored']);
    // A, back, pushes its outbox again (no base): the versions it already stored, not a conflict.
    const again = await s.push('st-a', [item('payments', 'pay_1', pay), item('orders', 'ord_1', ord)]);
    expect(again).toMatchObject([{ outcome: 'same', seq: null }, { outcome: 'same', seq: null }]);
    // B's version stays, and is what A pulls next.
    const pulled = await s.pull('st-a', o1!.seq!, 10);
    expect(pulled.map((r) => [r.pk, r.seq, r.writtenBy])).toEqual([['pay_1', p2!.seq, 'st-b'], ['ord_1', o2!.seq, 'st-b']]);
    // A row A changed since (its own change, not seen by B) is still a conflict.
    expect((await s.push('st-a', [item('payments', 'pay_1', { ...pay, note: 'a' })]))[0]).toMatchObject({ outcome: 'conflict', detail: 'changed on the server since this station last saw it' });
    // And so is its stored version pushed with a base that already covers it (nothing was lost).
    expect((await s.push('st-a', [item('payments', 'pay_1', pay, p1!.seq)]))[0]).toMatchObject({ outcome: 'conflict' });
  });

  it('business keys are the duplicate backstop: one payment per reference, one operation per payment seq, one refund per reference, one token, one period', async () => {
    const s = await server();
    const results = await s.push('st-a', [
      item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P' }),
      item('operations', 'op_1', { id: 'op_1', payment_id: 'pay_1', seq: 2, type: 'refund', reference: 'R-1-P-R1' }),
      item('cards', 'card_1', { id: 'card_1', token_name: 'TOK1' }),
      item('recurring_periods', 'per_1', { id: 'per_1', schedule_id: 'sch_1', period: 3, reference: 'S1-3' }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored', 'stored']);
    // Station B, with other ids for the same business keys: each refused, one by one, and its
    // harmless record in the same push is stored all the same.
    const dup = await s.push('st-b', [
      item('payments', 'pay_9', { id: 'pay_9', reference: 'R-1-P' }),
      item('operations', 'op_9', { id: 'op_9', payment_id: 'pay_1', seq: 2, type: 'capture', reference: 'R-1-P' }),
      item('operations', 'op_8', { id: 'op_8', payment_id: 'pay_1', seq: 3, type: 'refund', reference: 'R-1-P-R1' }),
      item('cards', 'card_9', { id: 'card_9', token_name: 'TOK1' }),
      item('recurring_periods', 'per_9', { id: 'per_9', schedule_id: 'sch_1', period: 3, reference: 'S1-3b' }),
      item('customers', 'cus_9', { id: 'cus_9', name: 'Bo' }),
    ]);
    expect(dup.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'stored']);
    expect(dup[0]!.detail).toMatch(/records_payment_reference/);
    const { rows } = await s.pool.query(`SELECT tbl, pk FROM records ORDER BY seq`);
    expect(rows.map((r) => `${r.tbl}/${r.pk}`)).toEqual(['payments/pay_1', 'operations/op_1', 'cards/card_1', 'recurring_periods/per_1', 'customers/cus_9']);
  });

  it("audit: each station's chain is stored only in order and only if it chains; the newest entry is the anchor", async () => {
    const s = await server();
    const entry = (seq: number, prev: string, hash: string) => item('audit', `st-a:${seq}`, { seq, prev_hash: prev, hash, action: 'x' });
    expect((await s.push('st-a', [entry(1, '0', 'h1'), entry(2, 'h1', 'h2')])).map((r) => r.outcome)).toEqual(['stored', 'stored']);
    const gap = await s.push('st-a', [entry(4, 'h3', 'h4')]);
    expect(gap[0]).toMatchObject({ outcome: 'rejected', detail: 'audit entry st-a:4 arrived before entry 3' });
    const forged = await s.push('st-a', [entry(3, 'hX', 'h3')]);
    expect(forged[0]).toMatchObject({ outcome: 'rejected', detail: 'audit entry st-a:3 does not chain to entry 2' });
    // Keyed by its own station: B cannot write into A's chain.
    expect((await s.push('st-b', [entry(3, 'h2', 'h3')]))[0]).toMatchObject({ outcome: 'rejected', detail: expect.stringMatching(/must be keyed st-b:3/) });
    expect((await s.push('st-a', [entry(3, 'h2', 'h3')]))[0]!.outcome).toBe('stored');
  });

  it('pull: every record once, in server order, resumable from any seq; LISTEN fires on commit', async () => {
    const s = await server();
    let notified = 0;
    const stop = await s.listen(() => notified++, () => undefined);
    try {
      for (let i = 0; i < 5; i++) await s.push('st-a', [item('customers', `cus_${i}`, { id: `cus_${i}`, name: `C${i}` })]);
      const first = await s.pull('st-b', 0, 3);
      expect(first.map((r) => r.pk)).toEqual(['cus_0', 'cus_1', 'cus_2']);
      const rest = await s.pull('st-b', first.at(-1)!.seq, 100);
      expect(rest.map((r) => r.pk)).toEqual(['cus_3', 'cus_4']);
      expect(rest[0]).toMatchObject({ tbl: 'customers', origin: 'st-a', writtenBy: 'st-a', deleted: false, data: { id: 'cus_3', name: 'C3' } });
      expect(await s.pull('st-b', rest.at(-1)!.seq)).toEqual([]);
      // A changed record moves to the end of the order: a station that had pulled everything sees it next.
      await s.push('st-b', [item('customers', 'cus_0', { id: 'cus_0', name: 'C0 changed' }, first[0]!.seq)]);
      expect((await s.pull('st-b', rest.at(-1)!.seq)).map((r) => [r.pk, r.writtenBy])).toEqual([['cus_0', 'st-b']]);
      // Where each station stands is known to the server ("n records behind").
      const seen = await s.stations();
      expect(seen.find((x) => x.id === 'st-b')!.pulledSeq).toBe(rest.at(-1)!.seq);
      await expect.poll(() => notified, { timeout: 5_000 }).toBeGreaterThanOrEqual(6);
    } finally {
      await stop();
    }
  });

  it('pull order is commit order: a push that drew a seq first commits first', async () => {
    const s = await server();
    // Two concurrent pushes in open transactions: the second waits for the first's lock, so a
    // reader between them never sees seq n+1 without seq n.
    const c1 = await s.pool.connect();
    const c2 = await s.pool.connect();
    try {
      await c1.query('BEGIN');
      await c1.query(`SELECT * FROM shop_push('st-a', $1::jsonb)`, [JSON.stringify([item('customers', 'cus_x', { id: 'cus_x' })])]);
      await c2.query('BEGIN');
      let secondDone = false;
      const second = c2.query(`SELECT * FROM shop_push('st-b', $1::jsonb)`, [JSON.stringify([item('customers', 'cus_y', { id: 'cus_y' })])]).then(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(secondDone).toBe(false); // it waits: it could otherwise commit seq n+1 before seq n
      expect(await s.pull('st-a', 0)).toEqual([]); // nothing committed yet, and nothing jumped ahead
      await c1.query('COMMIT');
      await second;
      await c2.query('COMMIT');
      expect((await s.pull('st-a', 0)).map((r) => r.pk)).toEqual(['cus_x', 'cus_y']);
    } finally {
      c1.release();
      c2.release();
    }
  });

  it('payment lease: one holder at a time even when asked at the same moment; lapses; released only by its holder; renewed by token', async () => {
    const s = await server();
    await s.push('st-a', [item('payments', 'pay_1', { id: 'pay_1', reference: 'R-1-P' })]);
    const other = new ShopServer({ connectionString: s.pool.options.connectionString! });
    open.push(other);
    const [a, b] = await Promise.all([s.acquireLease('st-a', 'pay_1', 60_000), other.acquireLease('st-b', 'pay_1', 60_000)]);
    expect([a.granted, b.granted].filter(Boolean)).toHaveLength(1);
    const winner = a.granted ? a : b;
    const loser = a.granted ? b : a;
    expect(loser).toMatchObject({ granted: false, token: null, holder: a.granted ? 'st-a' : 'st-b' });
    expect(winner.paymentSeq).toBeGreaterThan(0);
    // The loser cannot release the winner's lease.
    expect(await s.releaseLease('pay_1', '00000000-0000-0000-0000-000000000000')).toBe(false);
    // The winner renews with its token; the station itself without the token does not get it twice.
    const holderId = a.granted ? 'st-a' : 'st-b';
    expect((await s.acquireLease(holderId, 'pay_1', 60_000, winner.token!)).granted).toBe(true);
    expect((await s.acquireLease(holderId, 'pay_1', 60_000)).granted).toBe(false);
    expect(await s.releaseLease('pay_1', winner.token!)).toBe(true);
    expect((await s.acquireLease('st-b', 'pay_1', 200)).granted).toBe(true);
    expect((await s.acquireLease('st-a', 'pay_1', 60_000)).granted).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    // A lapsed lease (its station died holding it) is taken over.
    const after = await s.acquireLease('st-a', 'pay_1', 60_000);
    expect(after.granted).toBe(true);
    // A payment the server has not seen yet: the lease says so (the station must push first).
    expect((await s.acquireLease('st-a', 'pay_unknown', 1_000)).paymentSeq).toBeNull();
  });

  it('the local cluster stops and starts again on its data (what the soak test and shop-server rely on)', async () => {
    const s = await server();
    await s.push('st-a', [item('customers', 'cus_keep', { id: 'cus_keep', name: 'Kept' })]);
    await s.close();
    open.splice(open.indexOf(s), 1);
    await harness.cluster().stop();
    await harness.cluster().start();
    const again = new ShopServer({ connectionString: s.pool.options.connectionString! });
    open.push(again);
    expect((await again.pull('st-b', 0)).map((r) => r.data)).toEqual([{ id: 'cus_keep', name: 'Kept' }]);
  });

  it('the least-privilege role of docs/stations.md can do everything a joined station does, and no more', async () => {
    const s = await server();
    const grants = `
      GRANT USAGE ON SCHEMA public TO pos_station;
      GRANT SELECT, INSERT, UPDATE ON stations, records TO pos_station;
      GRANT SELECT ON replicated_tables, shop_schema_migrations TO pos_station;
      GRANT SELECT, INSERT, UPDATE, DELETE ON payment_leases TO pos_station;
      GRANT SELECT, INSERT ON recurring_claims TO pos_station;
      GRANT USAGE ON SEQUENCE record_seq TO pos_station;
      GRANT EXECUTE ON FUNCTION shop_push(text, jsonb), shop_heartbeat(text, integer), shop_lease(text, text, uuid, integer, integer) TO pos_station;`;
    await s.pool.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pos_station') THEN CREATE ROLE pos_station LOGIN; END IF; END $$`);
    await s.pool.query(grants); // as in docs/stations.md
    const url = new URL(s.pool.options.connectionString!);
    url.username = 'pos_station';
    const least = new ShopServer({ connectionString: url.toString() });
    open.push(least);
    await least.join('st-c', 'Desk 3');
    expect((await least.push('st-c', [item('customers', 'cus_c', { id: 'cus_c' })]))[0]!.outcome).toBe('stored');
    expect((await least.pull('st-c', 0)).map((r) => r.pk)).toEqual(['cus_c']);
    const lease = await least.acquireLease('st-c', 'pay_c', 1_000);
    expect(lease.granted).toBe(true);
    expect(await least.releaseLease('pay_c', lease.token!)).toBe(true);
    expect((await least.claimPeriod('st-c', 'sch_c', 1, 'C-1')).granted).toBe(true);
    expect(await least.migrate()).toEqual([]);
    // It cannot rewrite history behind the rules' back, nor change the schema.
    await expect(least.pool.query('DELETE FROM records')).rejects.toThrow(/permission denied/);
    await expect(least.pool.query('DELETE FROM recurring_claims')).rejects.toThrow(/permission denied/);
    await expect(least.pool.query('CREATE TABLE evil (x int)')).rejects.toThrow(/permission denied/);
  });

  it('recurring claims: one station per schedule period, shop-wide; the holder may claim again after a restart', async () => {
    const s = await server();
    const [a, b] = await Promise.all([s.claimPeriod('st-a', 'sch_1', 1, 'S1-1'), s.claimPeriod('st-b', 'sch_1', 1, 'S1-1')]);
    expect([a.granted, b.granted].filter(Boolean)).toHaveLength(1);
    const holder = a.granted ? 'st-a' : 'st-b';
    expect((await s.claimPeriod(holder, 'sch_1', 1, 'S1-1')).granted).toBe(true);
    expect(await s.claimPeriod(holder === 'st-a' ? 'st-b' : 'st-a', 'sch_1', 1, 'S1-1')).toEqual({ granted: false, station: holder });
    expect((await s.claimPeriod('st-b', 'sch_1', 2, 'S1-2')).granted).toBe(true);
    // The derived reference is unique too: the same reference for another period is an error, not a claim.
    await expect(s.claimPeriod('st-b', 'sch_1', 3, 'S1-2')).rejects.toThrow(/already claimed/);
  });
});
