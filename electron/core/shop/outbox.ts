import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';
import { REPLICATED_TABLES, replicatedTable, serverKey, type ReplicatedTable } from './replicated-tables';
import type { PushItem, PushResult } from './server-client';

/**
 * The station's outbox: which rows changed here and still have to reach the shop server. It is
 * filled by SQLite triggers on the replicated tables (installed when the station joins a shop),
 * so no feature's code knows about replication; the triggers record only the row's key, and the
 * row is read as it is when it is pushed.
 */

export interface ShopState {
  stationId: string;
  enabled: boolean;
  pulledSeq: number;
  /** When this station left its shop (enabled is then false); null: it never did, or joined again. */
  leftAt: string | null;
}

export function shopState(db: Db): ShopState | null {
  // Asked on every payment taken under a lease and every guarded call: prepared once.
  const r = stmt(db, 'SELECT station_id, enabled, pulled_seq, left_at FROM shop_state WHERE id = 1').get() as { station_id: string; enabled: number; pulled_seq: number; left_at: string | null } | undefined;
  return r ? { stationId: r.station_id, enabled: r.enabled === 1, pulledSeq: r.pulled_seq, leftAt: r.left_at } : null;
}

const trig = (t: ReplicatedTable, op: 'ins' | 'upd' | 'del') => `shop_out_${t.name}_${op}`;

/**
 * One trigger per change kind and table: re-insert the key so its outbox id is new (an
 * acknowledgement of an older read then deletes nothing). Silent unless replication is on (or
 * the station left a shop: what it changes meanwhile is sent if it joins again) and this is not
 * the transaction applying other stations' records.
 */
export function installOutboxTriggers(db: Db): void {
  for (const t of REPLICATED_TABLES) {
    for (const [op, when, row] of [['ins', 'INSERT', 'NEW'], ['upd', 'UPDATE', 'NEW'], ['del', 'DELETE', 'OLD']] as const) {
      // Keys are our own column names from REPLICATED_TABLES, not input.
      db.exec(`CREATE TRIGGER IF NOT EXISTS ${trig(t, op)} AFTER ${when} ON ${t.name}
        WHEN (SELECT (enabled = 1 OR left_at IS NOT NULL) AND applying = 0 FROM shop_state WHERE id = 1)
        BEGIN
          DELETE FROM shop_outbox WHERE tbl = '${t.name}' AND pk = CAST(${row}.${t.key} AS TEXT);
          INSERT INTO shop_outbox (tbl, pk) VALUES ('${t.name}', CAST(${row}.${t.key} AS TEXT));
        END`);
    }
  }
}

export function dropOutboxTriggers(db: Db): void {
  for (const t of REPLICATED_TABLES) for (const op of ['ins', 'upd', 'del'] as const) db.exec(`DROP TRIGGER IF EXISTS ${trig(t, op)}`);
}

/**
 * Turns replication on for this ledger: a station id (kept across leaving and joining again),
 * the triggers, and every existing row in the outbox, so a ledger that was a single station
 * joins a shop with everything it holds. One transaction: all of it or nothing.
 */
export function enableReplication(db: Db, at: string): ShopState {
  db.transaction(() => {
    const cur = shopState(db);
    if (!cur) {
      db.prepare('INSERT INTO shop_state (id, station_id, enabled, joined_at) VALUES (1, ?, 1, ?)').run(`st_${randomBytes(9).toString('base64url')}`, at);
    } else {
      db.prepare('UPDATE shop_state SET enabled = 1, left_at = NULL, joined_at = COALESCE(joined_at, ?) WHERE id = 1').run(at);
    }
    installOutboxTriggers(db);
    for (const t of REPLICATED_TABLES) {
      // Rows already known to the server (a station that joined before) are not sent again.
      db.exec(`INSERT OR IGNORE INTO shop_outbox (tbl, pk)
        SELECT '${t.name}', CAST(${t.key} AS TEXT) FROM ${t.name}
        WHERE NOT EXISTS (SELECT 1 FROM shop_known k WHERE k.tbl = '${t.name}' AND k.pk = CAST(${t.name}.${t.key} AS TEXT))
        ORDER BY ${t.key}`);
    }
  })();
  return shopState(db)!;
}

export interface OutboxEntry {
  id: number;
  tbl: string;
  pk: string;
}

export interface PushBatch {
  entries: OutboxEntry[];
  items: PushItem[];
  /** The local version of each item (null: the row is gone), kept if the server refuses it. */
  local: (Record<string, unknown> | null)[];
}

/** A ledger row as it travels: column by column. */
export function rowJson(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint' || v instanceof Uint8Array) throw new Error(`column ${k} holds a ${typeof v === 'bigint' ? 'bigint' : 'blob'}: not replicable as JSON`);
  }
  return row;
}

function stationIdOf(db: Db): string | null {
  return shopState(db)?.stationId ?? null;
}

export function outboxCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM shop_outbox').get() as { n: number }).n;
}

/** The oldest changes, read as the rows stand now. */
export function readPushBatch(db: Db, stationId: string, limit: number): PushBatch {
  const entries = db.prepare('SELECT id, tbl, pk FROM shop_outbox ORDER BY id LIMIT ?').all(limit) as OutboxEntry[];
  const known = db.prepare('SELECT seq FROM shop_known WHERE tbl = ? AND pk = ?');
  const items: PushItem[] = [];
  const local: (Record<string, unknown> | null)[] = [];
  const reads = new Map<string, ReturnType<Db['prepare']>>(); // one prepared read per table per batch
  for (const e of entries) {
    const t = replicatedTable(e.tbl);
    if (!t) throw new Error(`outbox holds a row of ${e.tbl}, which is not replicated`);
    let read = reads.get(t.name);
    if (!read) reads.set(t.name, (read = db.prepare(`SELECT * FROM ${t.name} WHERE ${t.key} = ?`)));
    const row = read.get(e.pk) as Record<string, unknown> | undefined;
    const base = known.get(e.tbl, e.pk) as { seq: number } | undefined;
    const data = row ? rowJson(row) : null;
    items.push({ tbl: e.tbl, pk: serverKey(t, stationId, e.pk), base: base?.seq ?? null, deleted: !row, data });
    local.push(data);
  }
  return { entries, items, local };
}

/**
 * Records the server's answers: what it stored (or already had) leaves the outbox and its seq
 * becomes this station's base; what it refused leaves the outbox into shop_conflicts with the
 * local version, and the server's version arrives with the next pull. An entry whose row
 * changed while the push was on the wire has a new id and stays.
 */
export function ackPushBatch(db: Db, batch: PushBatch, results: readonly PushResult[], at: string): { stored: number; refused: number } {
  let stored = 0;
  let refused = 0;
  const del = db.prepare('DELETE FROM shop_outbox WHERE id = ?');
  // A record first known here through its own push was created here.
  const know = db.prepare('INSERT INTO shop_known (tbl, pk, seq, origin) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, pk) DO UPDATE SET seq = MAX(seq, excluded.seq)');
  const keep = db.prepare('INSERT INTO shop_conflicts (tbl, pk, kind, detail, local_json, server_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const me = stationIdOf(db);
  db.transaction(() => {
    batch.entries.forEach((e, i) => {
      const r = results[i];
      if (!r) throw new Error(`no answer from the server for ${e.tbl}/${e.pk}`);
      const gone = del.run(e.id).changes === 1;
      if (r.outcome === 'stored' || r.outcome === 'same') {
        stored++;
        if (r.seq !== null) know.run(e.tbl, e.pk, r.seq, me);
      } else {
        refused++;
        if (gone) keep.run(e.tbl, e.pk, r.outcome, r.detail ?? r.outcome, batch.local[i] === null ? null : JSON.stringify(batch.local[i]), r.seq, at);
      }
    });
  })();
  return { stored, refused };
}

/**
 * Whether a record is this station's: always on a single station; in a shop, or after leaving
 * one, a record made here (every record pulled from another station is in shop_known with its
 * origin). So a station that left never runs another desk's schedule or follows its link.
 */
export function ownRecord(db: Db, table: string, key: string): boolean {
  const st = shopState(db);
  if (!st) return true;
  const k = db.prepare('SELECT origin FROM shop_known WHERE tbl = ? AND pk = ?').get(table, key) as { origin: string | null } | undefined;
  return k ? k.origin === st.stationId : true;
}
