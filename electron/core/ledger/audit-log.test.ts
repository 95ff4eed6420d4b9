import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendAudit, GENESIS_HASH, listAudit, verifyAudit, type AuditInput } from './audit-log';
import { memoryDb } from '../people/test-kit';

const entry = (i: number): AuditInput => ({
  at: `2026-01-15T10:00:${String(i).padStart(2, '0')}.000Z`,
  userId: 'u1', userName: 'Ada', action: `test.${i % 3}`, target: `t${i}`, outcome: i % 4 === 0 ? 'failure' : 'success',
  station: 'Desk 1', detail: `entry ${i}`,
});

function seeded(n = 10) {
  const db = memoryDb();
  for (let i = 1; i <= n; i++) appendAudit(db, entry(i));
  return db;
}

/** Simulates an attacker holding the database key: the append-only triggers are dropped first. */
function dropGuards(db: ReturnType<typeof memoryDb>) {
  db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
}

describe('audit log', () => {
  it('chains entries from 64 zeros and verifies', () => {
    const db = seeded();
    const first = db.prepare('SELECT prev_hash FROM audit WHERE seq = 1').get() as { prev_hash: string };
    expect(first.prev_hash).toBe(GENESIS_HASH);
    expect(verifyAudit(db)).toEqual({ ok: true, checked: 10, firstBadSeq: null, problem: null });
    expect(verifyAudit(memoryDb())).toEqual({ ok: true, checked: 0, firstBadSeq: null, problem: null });
  });

  it('refuses UPDATE and DELETE through the triggers', () => {
    const db = seeded(2);
    expect(() => db.exec(`UPDATE audit SET detail = 'x' WHERE seq = 1`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM audit WHERE seq = 1`)).toThrow(/append-only/);
  });

  it('points at an altered row', () => {
    const db = seeded();
    dropGuards(db);
    db.exec(`UPDATE audit SET detail = 'nothing to see' WHERE seq = 6`);
    expect(verifyAudit(db)).toMatchObject({ ok: false, checked: 5, firstBadSeq: 6 });
    expect(verifyAudit(db).problem).toMatch(/altered/);
  });

  it('points at an altered row even when its hash was recomputed (the next entry no longer follows)', () => {
    const db = seeded();
    dropGuards(db);
    db.exec(`UPDATE audit SET outcome = 'success', hash = '${'a'.repeat(64)}' WHERE seq = 4`);
    expect(verifyAudit(db).firstBadSeq).toBe(4);
  });

  it('points at a removed row (the gap), including the first one', () => {
    const db = seeded();
    dropGuards(db);
    db.exec(`DELETE FROM audit WHERE seq = 7`);
    const v = verifyAudit(db);
    expect(v).toMatchObject({ ok: false, checked: 6, firstBadSeq: 7 });
    expect(v.problem).toMatch(/missing/);

    const db2 = seeded(3);
    dropGuards(db2);
    db2.exec(`DELETE FROM audit WHERE seq = 1`);
    expect(verifyAudit(db2).firstBadSeq).toBe(1);
  });

  it('detects a removed row whose successors were renumbered to hide the gap', () => {
    const db = seeded();
    dropGuards(db);
    db.exec(`DELETE FROM audit WHERE seq = 5; UPDATE audit SET seq = seq - 1 WHERE seq > 5;`);
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('detects two rows swapped', () => {
    const db = seeded();
    dropGuards(db);
    db.exec(`UPDATE audit SET seq = -3 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 8; UPDATE audit SET seq = 8 WHERE seq = -3;`);
    expect(verifyAudit(db)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('rolls back with the caller’s transaction and nests as a savepoint', () => {
    const db = seeded(2);
    expect(() =>
      db.transaction(() => {
        appendAudit(db, entry(3));
        throw new Error('the audited change failed');
      })(),
    ).toThrow();
    expect(verifyAudit(db).checked).toBe(2);
    db.transaction(() => appendAudit(db, entry(3)))();
    expect(verifyAudit(db)).toMatchObject({ ok: true, checked: 3 });
  });

  it('lists newest first with filters and paging', () => {
    const db = seeded();
    expect(listAudit(db, { limit: 3 }).map((e) => e.seq)).toEqual([10, 9, 8]);
    expect(listAudit(db, { limit: 3, beforeSeq: 8 }).map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(listAudit(db, { limit: 100, action: 'test.0' }).map((e) => e.seq)).toEqual([9, 6, 3]);
    expect(listAudit(db, { limit: 100, userId: 'nobody' })).toEqual([]);
  });

  it('narrows by outcome, plain text (no wildcards) and time range, and pages with them', () => {
    const db = seeded();
    appendAudit(db, { ...entry(11), detail: '100% off_sale' });
    expect(listAudit(db, { limit: 100, outcome: 'failure' }).map((e) => e.seq)).toEqual([8, 4]);
    expect(listAudit(db, { limit: 100, outcome: 'failure', beforeSeq: 8 }).map((e) => e.seq)).toEqual([4]);
    expect(listAudit(db, { limit: 100, text: 'ENTRY 1' }).map((e) => e.seq)).toEqual([10, 1]);
    expect(listAudit(db, { limit: 100, text: '  t7 ' }).map((e) => e.seq)).toEqual([7]);
    expect(listAudit(db, { limit: 100, text: 'desk 1' })).toHaveLength(11);
    // % and _ are literal characters, not wildcards.
    expect(listAudit(db, { limit: 100, text: '%' }).map((e) => e.seq)).toEqual([11]);
    expect(listAudit(db, { limit: 100, text: 'y_1' })).toEqual([]);
    expect(listAudit(db, { limit: 100, text: 'off_s' }).map((e) => e.seq)).toEqual([11]);
    expect(listAudit(db, { limit: 100, from: '2026-01-15T10:00:03.000Z', to: '2026-01-15T10:00:06.000Z' }).map((e) => e.seq)).toEqual([5, 4, 3]);
    expect(listAudit(db, { limit: 100, action: 'test.0', outcome: 'success', text: 'entry' }).map((e) => e.seq)).toEqual([9, 6, 3]);
  });
});

describe('audit chain (property)', () => {
  it('any single altered field of any entry is reported at that entry', () => {
    const fields = ['at', 'user_id', 'user_name', 'action', 'target', 'outcome', 'station', 'detail'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ action: fc.string({ maxLength: 20 }), detail: fc.string({ maxLength: 40 }), userName: fc.option(fc.string({ maxLength: 10 })) }), { minLength: 1, maxLength: 15 }),
        fc.nat(),
        fc.constantFrom(...fields),
        (rows, pick, field) => {
          const db = memoryDb();
          rows.forEach((r, i) => appendAudit(db, { ...entry(i + 1), action: r.action, detail: r.detail, userName: r.userName }));
          expect(verifyAudit(db).ok).toBe(true);
          const seq = (pick % rows.length) + 1;
          const value = field === 'outcome' ? null : 'tampered\u0000value';
          dropGuards(db);
          if (field === 'outcome') {
            db.prepare(`UPDATE audit SET outcome = CASE outcome WHEN 'success' THEN 'failure' ELSE 'success' END WHERE seq = ?`).run(seq);
          } else {
            db.prepare(`UPDATE audit SET ${field} = ? WHERE seq = ?`).run(value, seq);
          }
          const v = verifyAudit(db);
          expect(v.ok).toBe(false);
          expect(v.firstBadSeq).toBe(seq);
        },
      ),
      { numRuns: 150 },
    );
  });
});
