import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import { prepared } from './stmt-cache';
import { tx } from './sql';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so that someone
 * who holds the database key and drops the triggers still cannot alter, remove or reorder an entry
 * without verifyAudit noticing. Each hash covers the previous hash and every field of the row,
 * including its seq, so moving a row to another position breaks the chain too.
 *
 * Never put a PIN, password, hash, token or card number in `detail`.
 */
export interface AuditInput {
  at: string;
  userId: string | null;
  userName: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  station: string;
  detail: string;
}

/** The contract's audit entry shape (audit.list). */
export interface AuditEntry extends AuditInput {
  seq: number;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  station: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** Canonical JSON: fixed key order, explicit nulls; the same bytes on every platform. */
function canonical(seq: number, e: AuditInput): string {
  return JSON.stringify([seq, e.at, e.userId, e.userName, e.action, e.target, e.outcome, e.station, e.detail]);
}

export function auditHash(prevHash: string, seq: number, e: AuditInput): string {
  return createHash('sha256').update(prevHash).update(canonical(seq, e)).digest('hex');
}

function rowToEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq, at: r.at, userId: r.user_id, userName: r.user_name, action: r.action, target: r.target,
    outcome: r.outcome, station: r.station, detail: r.detail, hash: r.hash,
  };
}

/**
 * Appends one entry. Runs inside the caller's transaction when there is one (as a savepoint), so
 * an audited change and its entry commit or roll back together; reading the head and inserting in
 * one transaction keeps the chain linear even with several connections.
 */
export function appendAudit(db: Db, e: AuditInput): AuditEntry {
  return tx(db, (): AuditEntry => {
    const head = prepared(db, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).get() as { seq: number; hash: string } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prev = head?.hash ?? GENESIS_HASH;
    const hash = auditHash(prev, seq, e);
    prepared(
      db,
      `INSERT INTO audit (seq, at, user_id, user_name, action, target, outcome, station, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(seq, e.at, e.userId, e.userName, e.action, e.target, e.outcome, e.station, e.detail, prev, hash);
    return { seq, ...e, hash };
  });
}

export interface AuditVerdict {
  ok: boolean;
  checked: number;
  /** The first entry that was altered, moved, or is missing (its expected seq). */
  firstBadSeq: number | null;
  problem: string | null;
}

/**
 * Walks the whole chain in seq order. Detects: an altered row (its hash no longer matches its
 * content), a removed row (a gap in seq, or a prev_hash that does not match the entry before),
 * and reordered rows (seq is inside the hash). Limitation: removing the newest entries leaves a
 * valid shorter chain; a copy of the head kept elsewhere (backups, reports) is what catches that.
 */
export function verifyAudit(db: Db): AuditVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const rows = prepared(db, `SELECT * FROM audit ORDER BY seq`).iterate() as IterableIterator<AuditRow>;
  for (const r of rows) {
    if (r.seq !== expectedSeq) {
      return bad(checked, expectedSeq, r.seq > expectedSeq
        ? `Entry ${expectedSeq} is missing (the next entry is ${r.seq})`
        : `Entry ${r.seq} is out of order`);
    }
    if (r.prev_hash !== prevHash) {
      return bad(checked, r.seq, `Entry ${r.seq} does not follow entry ${r.seq - 1}: an entry was removed, replaced or moved`);
    }
    const e = rowToEntry(r);
    if (auditHash(prevHash, r.seq, e) !== r.hash) {
      return bad(checked, r.seq, `Entry ${r.seq} was altered after it was written`);
    }
    prevHash = r.hash;
    expectedSeq++;
    checked++;
  }
  return { ok: true, checked, firstBadSeq: null, problem: null };
}

function bad(checked: number, seq: number, problem: string): AuditVerdict {
  return { ok: false, checked, firstBadSeq: seq, problem };
}

export interface AuditQuery {
  action?: string | undefined;
  userId?: string | undefined;
  limit: number;
  beforeSeq?: number | undefined;
  /** Only 'success' or only 'failure' entries. */
  outcome?: 'success' | 'failure' | undefined;
  /** Case-insensitive substring of who, action, target, station or detail (no wildcards). */
  text?: string | undefined;
  /** ISO times: entries at or after `from`, and strictly before `to`. */
  from?: string | undefined;
  to?: string | undefined;
}

/** LIKE pattern for a literal substring: %, _ and the escape character itself are escaped with '\'. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest first, paged by seq (beforeSeq = the last seq of the previous page). */
export function listAudit(db: Db, q: AuditQuery): AuditEntry[] {
  const text = q.text?.trim() ? likeContains(q.text.trim()) : null;
  const rows = prepared(
    db,
    `SELECT * FROM audit
     WHERE (@action IS NULL OR action = @action) AND (@userId IS NULL OR user_id = @userId) AND (@before IS NULL OR seq < @before)
       AND (@outcome IS NULL OR outcome = @outcome) AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
       AND (@text IS NULL OR coalesce(user_name, '') LIKE @text ESCAPE '\\' OR action LIKE @text ESCAPE '\\'
            OR coalesce(target, '') LIKE @text ESCAPE '\\' OR station LIKE @text ESCAPE '\\' OR detail LIKE @text ESCAPE '\\')
     ORDER BY seq DESC LIMIT @limit`,
  ).all({
    action: q.action ?? null, userId: q.userId ?? null, before: q.beforeSeq ?? null, limit: q.limit,
    outcome: q.outcome ?? null, from: q.from ?? null, to: q.to ?? null, text,
  }) as AuditRow[];
  return rows.map(rowToEntry);
}
