import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/database';
import { indexCard, indexCustomer, indexOrder } from '../customers';
import { replicatedTable } from './replicated-tables';
import type { PulledRecord } from './server-client';

/**
 * Writes other stations' records into this ledger. The server is authoritative: its version
 * replaces ours, and a local change still waiting in the outbox for the same record is kept in
 * shop_conflicts (never silently lost) before it is replaced. Money cannot be caught in this:
 * a payment is changed at one station at a time (the per-payment lease, docs/decisions/
 * shop-money-semantics.md).
 *
 * One transaction per batch with `applying = 1`, so the outbox triggers do not send the records
 * straight back; foreign keys are checked by the stations that wrote the rows, and records
 * arrive in server order, not parent-first (a parent changed later has a later seq), so they are
 * off while a batch is applied. A record this version cannot write (a constraint it does not
 * know how to meet) is kept in shop_conflicts and the batch goes on: one bad record never stops
 * a station from catching up.
 */

/**
 * Per ledger: the columns of each table and one prepared upsert per table and column list (a
 * first pull applies a million rows of a few shapes). Dropped when the schema changes (a
 * migration added a column); checked once per batch.
 */
interface SchemaCache {
  version: number;
  columns: Map<string, Set<string>>;
  upserts: Map<string, Database.Statement>;
}
const schemaCaches = new WeakMap<Db, SchemaCache>();

function schemaCache(db: Db): SchemaCache {
  const version = db.pragma('schema_version', { simple: true }) as number;
  let c = schemaCaches.get(db);
  if (!c || c.version !== version) schemaCaches.set(db, (c = { version, columns: new Map(), upserts: new Map() }));
  return c;
}

function columnsOf(db: Db, cache: SchemaCache, table: string): Set<string> {
  let cols = cache.columns.get(table);
  if (!cols) {
    cols = new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name));
    cache.columns.set(table, cols);
  }
  return cols;
}

function upsert(db: Db, cache: SchemaCache, table: string, key: string, data: Record<string, unknown>): void {
  const local = columnsOf(db, cache, table);
  // Columns this ledger does not have (a newer station's) are left out; columns it has that the
  // record lacks (an older station's) keep their defaults.
  const cols = Object.keys(data).filter((c) => local.has(c));
  if (!cols.includes(key)) throw new Error(`record of ${table} without its key ${key}`);
  const id = `${table}|${cols.join(',')}`;
  let stmt = cache.upserts.get(id);
  if (!stmt) {
    const q = (c: string) => `"${c}"`;
    const others = cols.filter((c) => c !== key);
    const sets = others.map((c) => `${q(c)} = excluded.${q(c)}`);
    // A version this ledger already holds is not written again: no UPDATE, so no update trigger
    // (a finished operation may never be updated, even to the same values: migration 009).
    const changed = others.map((c) => `${q(c)} IS NOT excluded.${q(c)}`).join(' OR ');
    stmt = db.prepare(`INSERT INTO ${table} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
      ON CONFLICT (${q(key)}) DO ${sets.length ? `UPDATE SET ${sets.join(', ')} WHERE ${changed}` : 'NOTHING'}`);
    cache.upserts.set(id, stmt);
  }
  stmt.run(...cols.map((c) => data[c]));
}

/** The search index follows the rows it is built from (search_terms is not replicated). */
function reindex(db: Db, table: string, data: Record<string, unknown>): void {
  if (table === 'customers') {
    indexCustomer(db, { id: String(data.id), name: String(data.name ?? ''), email: String(data.email ?? ''), phone: String(data.phone ?? '') });
  } else if (table === 'cards') {
    indexCard(db, { id: String(data.id), customerId: String(data.customer_id), last4: String(data.last4 ?? '') });
  } else if (table === 'orders') {
    indexOrder(db, { reference: String(data.reference ?? ''), customerId: data.customer_id == null ? null : String(data.customer_id) });
  }
}

/**
 * Another station's work in flight: an operation not finished there, a payment with such an
 * operation, an email confirmation it is still watching or has to charge. Written here it would be taken up by this station's start-up recovery and offline
 * forwarder (they find work through these rows), which would send another desk's operation a
 * second time. Held back until the settled version arrives.
 */
function inFlightElsewhere(table: string, data: Record<string, unknown> | null): boolean {
  if (!data) return false;
  if (table === 'operations') return ['pending', 'sent', 'unknown', 'queued', 'needs_attention'].includes(String(data.state));
  if (table === 'payments') return Number(data.open_ops ?? 0) > 0 || Number(data.queued ?? 0) > 0;
  // An email confirmation still open, or confirmed and not yet charged: its desk watches and charges it.
  if (table === 'confirmations') return ['idle', 'processing'].includes(String(data.state)) || (data.state === 'confirmed' && data.charge_state !== 'done');
  return false;
}

export interface ApplyResult {
  applied: number;
  /** Other stations' work in flight, held back (shop_deferred). */
  deferred: number;
  /** Records of this station, or keyed per station (kept by the server only). */
  skipped: number;
  unapplied: number;
  lastSeq: number;
}

export interface ApplyOptions {
  /** A first pull: search_terms is built once at its end (first-pull-index.ts), not per record. */
  deferIndex?: boolean;
}

export function applyPulled(db: Db, stationId: string, records: readonly PulledRecord[], at: string, opts: ApplyOptions = {}): ApplyResult {
  const res: ApplyResult = { applied: 0, deferred: 0, skipped: 0, unapplied: 0, lastSeq: 0 };
  if (records.length === 0) return res;
  // Never backwards: a pull that read a record before this station's own newer push was acknowledged must not lower its base.
  const know = db.prepare('INSERT INTO shop_known (tbl, pk, seq, origin) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, pk) DO UPDATE SET seq = MAX(seq, excluded.seq), origin = excluded.origin');
  const pending = db.prepare('SELECT id FROM shop_outbox WHERE tbl = ? AND pk = ?');
  const unqueue = db.prepare('DELETE FROM shop_outbox WHERE id = ?');
  const keep = db.prepare('INSERT INTO shop_conflicts (tbl, pk, kind, detail, local_json, server_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const defer = db.prepare('INSERT INTO shop_deferred (tbl, pk, seq, origin, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tbl, pk) DO UPDATE SET seq = excluded.seq, origin = excluded.origin, data = excluded.data');
  const undefer = db.prepare('DELETE FROM shop_deferred WHERE tbl = ? AND pk = ?');
  const cache = schemaCache(db);
  const write = (r: PulledRecord, table: string, key: string) => {
    if (r.deleted || !r.data) db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`).run(r.pk);
    else {
      upsert(db, cache, table, key, r.data);
      if (!opts.deferIndex) reindex(db, table, r.data);
    }
  };
  // A record that fails must leave nothing half-written: one savepoint per record does that, but
  // costs a fifth of a long pull. So a batch is first written without them; if any record fails,
  // that attempt is rolled back whole and the batch is written again with a savepoint per record.
  // Made once per batch, not per record.
  const writeOne = db.transaction(write);
  const attempt = (guarded: boolean) =>
    db.transaction(() => {
      Object.assign(res, { applied: 0, deferred: 0, skipped: 0, unapplied: 0, lastSeq: 0 });
      db.prepare('UPDATE shop_state SET applying = 1 WHERE id = 1').run();
      // Two lookups per record a first pull does not need: nothing waits in the outbox (and with
      // applying = 1 nothing is queued during the batch), nothing is held back yet.
      const outboxEmpty = db.prepare('SELECT 1 FROM shop_outbox LIMIT 1').get() === undefined;
      let anyDeferred = db.prepare('SELECT 1 FROM shop_deferred LIMIT 1').get() !== undefined;
      for (const r of records) {
        res.lastSeq = r.seq;
        const t = replicatedTable(r.tbl);
        if (!t || t.scope === 'station' || r.writtenBy === stationId) {
          // Ours (we have it, maybe newer), or another station's audit / closed day (the server keeps those).
          if (t && t.scope === 'shop' && r.writtenBy === stationId) know.run(r.tbl, r.pk, r.seq, r.origin);
          res.skipped++;
          continue;
        }
        if (inFlightElsewhere(t.name, r.data)) {
          defer.run(r.tbl, r.pk, r.seq, r.origin, JSON.stringify(r.data));
          anyDeferred = true;
          res.deferred++;
          continue;
        }
        if (anyDeferred) undefer.run(r.tbl, r.pk);
        const waiting = outboxEmpty ? undefined : (pending.get(r.tbl, r.pk) as { id: number } | undefined);
        if (waiting && t.latest) {
          // Ours is still to be sent and will come after this one in the server's order: it wins.
          know.run(r.tbl, r.pk, r.seq, r.origin);
          res.skipped++;
          continue;
        }
        if (waiting) {
          const mine = db.prepare(`SELECT * FROM ${t.name} WHERE ${t.key} = ?`).get(r.pk);
          keep.run(r.tbl, r.pk, 'overwritten', `replaced by station ${r.writtenBy}'s newer version before this one was sent`, mine ? JSON.stringify(mine) : null, r.seq, at);
          unqueue.run(waiting.id);
        }
        if (!guarded) {
          write(r, t.name, t.key);
          know.run(r.tbl, r.pk, r.seq, r.origin);
          res.applied++;
          continue;
        }
        try {
          writeOne(r, t.name, t.key);
          know.run(r.tbl, r.pk, r.seq, r.origin);
          res.applied++;
        } catch (e) {
          keep.run(r.tbl, r.pk, 'unapplied', `could not be written here: ${(e as Error).message}`, r.data ? JSON.stringify(r.data) : null, r.seq, at);
          res.unapplied++;
        }
      }
      db.prepare('UPDATE shop_state SET applying = 0, pulled_seq = MAX(pulled_seq, ?) WHERE id = 1').run(res.lastSeq);
    })();
  db.pragma('foreign_keys = OFF');
  try {
    try {
      attempt(false);
    } catch {
      attempt(true);
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return res;
}
