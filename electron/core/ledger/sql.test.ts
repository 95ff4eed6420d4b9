import { describe, expect, it } from 'vitest';
import { memoryDb } from '../people/test-kit';
import { GroupCommit, tx } from './sql';

function table() {
  const db = memoryDb();
  db.exec('CREATE TABLE t (v INTEGER NOT NULL)');
  const values = () => (db.prepare('SELECT v FROM t ORDER BY v').all() as { v: number }[]).map((r) => r.v);
  const put = (v: number) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
  return { db, values, put };
}

describe('tx', () => {
  it('commits, and a throw rolls back everything it wrote', () => {
    const { db, values, put } = table();
    expect(tx(db, () => (put(1), 'done'))).toBe('done');
    expect(() => tx(db, () => (put(2), put(3), (() => { throw new Error('no'); })()))).toThrow('no');
    expect(values()).toEqual([1]);
    expect(db.inTransaction).toBe(false);
  });

  it('nested: a failing inner savepoint undoes only itself; the outer one can go on and commit', () => {
    const { db, values, put } = table();
    tx(db, () => {
      put(1);
      expect(() => tx(db, () => (put(2), tx(db, () => put(3)), (() => { throw new Error('inner'); })()))).toThrow('inner');
      tx(db, () => put(4));
      // better-sqlite3's own transactions nest inside ours and ours inside theirs.
      db.transaction(() => tx(db, () => put(5)))();
    });
    expect(values()).toEqual([1, 4, 5]);
  });

  it('refuses a function that returns a promise, and keeps nothing it wrote', () => {
    const { db, values, put } = table();
    expect(() => tx(db, () => (put(1), Promise.resolve()))).toThrow(/promise/);
    expect(values()).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });
});

describe('GroupCommit', () => {
  it('writes of one turn share one commit; a throwing write fails alone', async () => {
    const { db, values, put } = table();
    const group = new GroupCommit(db);
    const results = await Promise.allSettled([group.commit(() => put(1)), group.commit(() => (put(2), (() => { throw new Error('bad'); })())), group.commit(() => put(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(values()).toEqual([1, 3]);
  });
});
