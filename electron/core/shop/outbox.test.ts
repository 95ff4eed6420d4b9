import { describe, expect, it } from 'vitest';
import { memoryDb } from '../people/test-kit';
import { applyPulled } from './apply';
import { ackPushBatch, enableReplication, outboxCount, readPushBatch, shopState } from './outbox';
import { LOCAL_ONLY_TABLES, REPLICATED_TABLES } from './replicated-tables';

const at = '2026-12-04T10:00:00.000Z';
const addCustomer = (db: ReturnType<typeof memoryDb>, id: string, name = 'Ann') =>
  db.prepare(`INSERT INTO customers (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(id, name, at, at);

describe('station outbox (ledger migration 012)', () => {
  it('every ledger table is either replicated or local-only with a reason: a new table is a decision, not an accident', () => {
    const db = memoryDb();
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const unclassified = tables.filter((t) => !REPLICATED_TABLES.some((r) => r.name === t) && !(t in LOCAL_ONLY_TABLES));
    expect(unclassified, `classify these tables in electron/core/shop/replicated-tables.ts (and the server's replicated_tables)`).toEqual([]);
    // And each replicated table's key is its whole primary key.
    for (const t of REPLICATED_TABLES) {
      const pk = (db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0`).all(t.name) as { name: string }[]).map((r) => r.name);
      expect(pk, t.name).toEqual([t.key]);
    }
  });

  it('a single station has no triggers and no outbox growth; joining puts every existing row in the outbox, in dependency order', () => {
    const db = memoryDb();
    addCustomer(db, 'cus_1');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'shop_out_%'`).get()).toEqual({ n: 0 });
    expect(outboxCount(db)).toBe(0);
    db.prepare(`INSERT INTO users (id, name, role, secret_hash, created_at, updated_at) VALUES ('u1', 'Una', 'clerk', 'x', ?, ?)`).run(at, at);
    const st = enableReplication(db, at);
    expect(st.stationId).toMatch(/^st_/);
    expect(db.prepare('SELECT tbl, pk FROM shop_outbox ORDER BY id').all()).toEqual([{ tbl: 'users', pk: 'u1' }, { tbl: 'customers', pk: 'cus_1' }]);
    // Joining again (after leaving) keeps the station id.
    expect(enableReplication(db, at).stationId).toBe(st.stationId);
  });

  it('a change while a push is on the wire survives its acknowledgement; a refused push is kept with the local version', () => {
    const db = memoryDb();
    addCustomer(db, 'cus_1');
    addCustomer(db, 'cus_2');
    const { stationId } = enableReplication(db, at);
    const batch = readPushBatch(db, stationId, 10);
    expect(batch.items.map((i) => [i.tbl, i.pk, i.base, i.data?.name])).toEqual([['customers', 'cus_1', null, 'Ann'], ['customers', 'cus_2', null, 'Ann']]);
    db.prepare(`UPDATE customers SET name = 'Ann 2' WHERE id = 'cus_1'`).run(); // while "on the wire"
    ackPushBatch(db, batch, [{ outcome: 'stored', seq: 5, detail: null }, { outcome: 'conflict', seq: 9, detail: 'changed on the server since this station last saw it' }], at);
    expect(db.prepare('SELECT tbl, pk FROM shop_outbox').all()).toEqual([{ tbl: 'customers', pk: 'cus_1' }]);
    expect(readPushBatch(db, stationId, 10).items[0]).toMatchObject({ pk: 'cus_1', base: 5, data: { name: 'Ann 2' } });
    expect(db.prepare('SELECT tbl, pk, kind, server_seq FROM shop_conflicts').all()).toEqual([{ tbl: 'customers', pk: 'cus_2', kind: 'conflict', server_seq: 9 }]);
  });

  it("a pull that read this station's own record before its newer push was acknowledged does not lower the base (found by the soak)", () => {
    const db = memoryDb();
    const { stationId } = enableReplication(db, at);
    addCustomer(db, 'cus_1');
    const batch = readPushBatch(db, stationId, 10);
    ackPushBatch(db, batch, [{ outcome: 'stored', seq: 15, detail: null }], at);
    applyPulled(db, stationId, [{ seq: 10, tbl: 'customers', pk: 'cus_1', origin: stationId, writtenBy: stationId, deleted: false, data: { id: 'cus_1', name: 'Ann' } }], at);
    db.prepare(`UPDATE customers SET name = 'Ann B' WHERE id = 'cus_1'`).run();
    expect(readPushBatch(db, stationId, 10).items[0]).toMatchObject({ pk: 'cus_1', base: 15 });
  });

  it("another desk's operation in flight is held back until it settles: this desk's recovery and forwarder never see it", () => {
    const db = memoryDb();
    const { stationId } = enableReplication(db, at);
    const order = { id: 'ord_o', reference: 'R-O', channel: 'phone', currency: 'USD', lines_json: '[]', net: 1000, tax: 0, total: 1000, status: 'authorized', created_at: at, created_by: 'u', created_by_name: 'U', updated_at: at };
    const pay = (over: Record<string, unknown>) => ({ id: 'pay_o', order_id: 'ord_o', reference: 'R-O-P', method: 'card', kind: 'authorization', currency: 'USD', amount: 1000, authorized: 1000, captured: 0, status: 'authorized', created_at: at, created_by: 'u', updated_at: at, open_ops: 0, queued: 0, ...over });
    const op = (state: string) => ({ id: 'op_o', payment_id: 'pay_o', seq: 2, type: 'capture', amount: 400, state, reference: 'R-O-P', created_at: at, updated_at: at });
    const rec = (seq: number, tbl: string, data: Record<string, unknown>) => ({ seq, tbl, pk: String(data.id), origin: 'st_o', writtenBy: 'st_o', deleted: false, data });
    const r1 = applyPulled(db, stationId, [rec(1, 'orders', order), rec(2, 'payments', pay({})), rec(3, 'payments', pay({ queued: 1 })), rec(4, 'operations', op('queued'))], at);
    expect(r1).toMatchObject({ applied: 2, deferred: 2 });
    // The payment stays at its last settled version; none of the in-flight state is in the ledger.
    expect(db.prepare('SELECT captured, open_ops, queued FROM payments').get()).toEqual({ captured: 0, open_ops: 0, queued: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM operations`).get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT tbl, pk FROM shop_deferred ORDER BY tbl').all()).toEqual([{ tbl: 'operations', pk: 'op_o' }, { tbl: 'payments', pk: 'pay_o' }]);
    // Settled at its desk: both arrive and replace what was held back.
    const r2 = applyPulled(db, stationId, [rec(5, 'operations', op('succeeded')), rec(6, 'payments', pay({ captured: 400, status: 'partially_captured' }))], at);
    expect(r2).toMatchObject({ applied: 2, deferred: 0 });
    expect(db.prepare('SELECT captured, open_ops, queued FROM payments').get()).toEqual({ captured: 400, open_ops: 0, queued: 0 });
    expect(db.prepare('SELECT state FROM operations').get()).toEqual({ state: 'succeeded' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM shop_deferred').get()).toEqual({ n: 0 });
    // The same version again (a station pulling from the start after rejoining) writes nothing:
    // a finished operation is never updated, not even to the same values.
    db.exec(`CREATE TRIGGER test_final BEFORE UPDATE ON operations WHEN OLD.state = 'succeeded' BEGIN SELECT RAISE(ABORT, 'final'); END`);
    expect(applyPulled(db, stationId, [rec(5, 'operations', op('succeeded'))], at)).toMatchObject({ applied: 1, unapplied: 0 });
    db.exec('DROP TRIGGER test_final');
    // An email confirmation its desk is still watching is held back too; once it is over, it is written.
    const cnf = (state: string) => ({ id: 'cnf_o', order_id: 'ord_o', order_reference: 'R-O', card_id: 'card_o', mode: 'purchase', email_address: 'a@example.com', amount: 1000, currency: 'USD', timeout_seconds: 600, state, process_state: 'x', charge_state: 'none', created_by: 'u', created_by_name: 'U', created_at: at, updated_at: at });
    expect(applyPulled(db, stationId, [rec(7, 'confirmations', cnf('processing'))], at)).toMatchObject({ applied: 0, deferred: 1 });
    expect(applyPulled(db, stationId, [rec(8, 'confirmations', cnf('expired'))], at)).toMatchObject({ applied: 1, deferred: 0 });
    expect(db.prepare('SELECT state FROM confirmations').get()).toEqual({ state: 'expired' });
  });

  it("applying others' records writes them without re-enqueuing them, keeps a pending local change it replaces, skips station-keyed tables", () => {
    const db = memoryDb();
    const { stationId } = enableReplication(db, at);
    addCustomer(db, 'cus_mine', 'Local edit');
    const r = applyPulled(db, stationId, [
      { seq: 3, tbl: 'customers', pk: 'cus_x', origin: 'st_o', writtenBy: 'st_o', deleted: false, data: { id: 'cus_x', name: 'Xena', email: '', phone: '', created_at: at, updated_at: at } },
      { seq: 4, tbl: 'customers', pk: 'cus_mine', origin: 'st_o', writtenBy: 'st_o', deleted: false, data: { id: 'cus_mine', name: 'Server edit', email: '', phone: '', created_at: at, updated_at: at } },
      { seq: 5, tbl: 'audit', pk: 'st_o:1', origin: 'st_o', writtenBy: 'st_o', deleted: false, data: { seq: 1 } },
      { seq: 6, tbl: 'cards', pk: 'card_bad', origin: 'st_o', writtenBy: 'st_o', deleted: false, data: { id: 'card_bad', customer_id: 'cus_x', token_name: 'T', brand: 'VISA', last4: '12345', expiry: '3001', created_at: at, updated_at: at } },
    ], at);
    expect(r).toEqual({ applied: 2, deferred: 0, skipped: 1, unapplied: 1, lastSeq: 6 });
    expect(outboxCount(db)).toBe(0);
    expect(db.prepare('SELECT id, name FROM customers ORDER BY id').all()).toEqual([{ id: 'cus_mine', name: 'Server edit' }, { id: 'cus_x', name: 'Xena' }]);
    expect(db.prepare('SELECT kind, pk FROM shop_conflicts ORDER BY id').all()).toEqual([{ kind: 'overwritten', pk: 'cus_mine' }, { kind: 'unapplied', pk: 'card_bad' }]);
    expect(JSON.parse((db.prepare(`SELECT local_json FROM shop_conflicts WHERE kind = 'overwritten'`).get() as { local_json: string }).local_json).name).toBe('Local edit');
    expect(shopState(db)).toMatchObject({ pulledSeq: 6 });
    expect(db.prepare('SELECT applying FROM shop_state').get()).toEqual({ applying: 0 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // The search index followed the applied customer.
    expect(db.prepare(`SELECT customer_id FROM search_terms WHERE term = 'n0:xena'`).all()).toEqual([{ customer_id: 'cus_x' }]);
    // Local changes after the apply are enqueued again.
    db.prepare(`UPDATE customers SET name = 'Xena B' WHERE id = 'cus_x'`).run();
    expect(readPushBatch(db, stationId, 10).items).toEqual([expect.objectContaining({ pk: 'cus_x', base: 3 })]);
  });
});
