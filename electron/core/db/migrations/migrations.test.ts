import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../database';
import { MIGRATIONS } from './index';

/** A ledger as an earlier release left it: the first `upTo` migrations applied. */
function ledgerAt(upTo: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (let v = 0; v < upTo; v++) {
    db.exec(MIGRATIONS[v]!.up);
    db.pragma(`user_version = ${v + 1}`);
  }
  return db;
}

describe('migrations 006-007: operations WITHOUT ROWID, in-flight work found through payments', () => {
  it('keeps every operation row and every constraint, and drops the separate id index', () => {
    const db = ledgerAt(5);
    const at = '2026-11-21T08:00:00.000Z';
    db.prepare(`INSERT INTO orders (id, reference, channel, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at) VALUES ('ord_1', 'R-1', 'phone', 'USD', '[]', 1000, 0, 1000, 'paid', ?, 'u', 'U', ?)`).run(at, at);
    db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, status, created_at, created_by, updated_at) VALUES ('pay_1', 'ord_1', 'R-1-P', 'card', 'purchase', 'USD', 1000, 1000, 1000, 'captured', ?, 'u', ?)`).run(at, at);
    const ins = db.prepare(`INSERT INTO operations (id, payment_id, seq, type, amount, state, reference, attempts, checks, response_code, message, user_id, user_name, approved_by, approved_by_name, reason, created_at, updated_at, sent_at, finished_at)
      VALUES (?, 'pay_1', ?, ?, ?, ?, ?, 1, 0, ?, ?, 'u', 'U', ?, ?, ?, ?, ?, ?, ?)`);
    ins.run('op_b', 1, 'purchase', 1000, 'succeeded', 'R-1-P', '14000', 'Success', null, null, null, at, at, at, at);
    ins.run('op_a', 2, 'refund', 300, 'succeeded', 'R-1-P-R1', '06000', 'Success', 'sup', 'Sue', 'damaged '.repeat(80), at, at, at, at);
    ins.run('op_c', 3, 'refund', 200, 'queued', 'R-1-P-R2', null, null, null, null, 'late', at, at, null, null);
    ins.run('op_d', 4, 'capture', 100, 'sent', 'R-1-P', null, null, null, null, null, at, at, at, null);
    // Counters as an earlier version could leave them (a queued operation marked SENT without them).
    db.prepare('UPDATE payments SET open_ops = 0, queued = 0').run();
    const before = db.prepare('SELECT * FROM operations ORDER BY id').all();

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Every row kept as it was (later migrations may add columns: compare the columns it had).
    const after = db.prepare('SELECT * FROM operations ORDER BY id').all() as Record<string, unknown>[];
    expect(after.map((row, i) => Object.fromEntries(Object.keys(before[i] as object).map((k) => [k, row[k]])))).toEqual(before);
    // 007: the counters that now find in-flight work are exact again.
    expect(db.prepare(`SELECT open_ops, queued FROM payments WHERE id = 'pay_1'`).get()).toEqual({ open_ops: 1, queued: 1 });
    const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'operations'`).get() as { sql: string }).sql;
    expect(sql).toMatch(/WITHOUT ROWID/);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'operations' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['operations_finished', 'operations_refund_reference', 'operations_waiting']));
    // The rules still hold: one seq per payment, one refund per reference, known states only, real payments only.
    expect(() => ins.run('op_x', 3, 'capture', 1, 'sent', 'X', null, null, null, null, null, at, at, at, null)).toThrow(/UNIQUE/);
    expect(() => ins.run('op_e', 4, 'refund', 1, 'sent', 'R-1-P-R1', null, null, null, null, null, at, at, at, null)).toThrow(/UNIQUE/);
    expect(() => ins.run('op_f', 5, 'capture', 1, 'lost', 'X', null, null, null, null, null, at, at, at, null)).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO operations (id, payment_id, seq, type, state, reference, created_at, updated_at) VALUES ('op_g', 'pay_nope', 1, 'capture', 'sent', 'X', ?, ?)`).run(at, at)).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(`SELECT id FROM payments WHERE open_ops > 0 ORDER BY created_at, id`)).toMatch(/payments_unknown/);
    expect(plan(`SELECT id FROM payments WHERE queued > 0`)).toMatch(/payments_queued/);
    expect(plan(`SELECT COUNT(*) FROM operations WHERE state = 'queued'`)).toMatch(/operations_waiting/);
    expect(plan(`SELECT COUNT(*) FROM operations WHERE state = 'needs_attention'`)).toMatch(/operations_waiting/);
    // Per-payment lookups must stay on the payment's index, not walk every queued operation.
    expect(plan(`SELECT * FROM operations WHERE payment_id = 'pay_1' AND +state = 'queued' ORDER BY seq`)).toMatch(/sqlite_autoindex_operations_2 \(payment_id=\?\)/);
    expect(plan(`SELECT COALESCE(SUM(state = 'queued'), 0) FROM operations WHERE payment_id = 'pay_1'`)).toMatch(/sqlite_autoindex_operations_2 \(payment_id=\?\)/);
    expect(db.prepare('EXPLAIN QUERY PLAN SELECT * FROM operations WHERE id = ?').all('op_a')).toEqual(
      expect.arrayContaining([expect.objectContaining({ detail: expect.stringMatching(/USING PRIMARY KEY/) })]),
    );
    db.close();
  });
});
