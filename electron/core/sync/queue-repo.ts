import type { OutputOf } from '../../../shared/contract';
import type { Db } from '../db/database';
import { toOperation, type OperationRow } from '../payments/operation-log';
import { stmt } from '../payments/sql';

export type QueueEntry = OutputOf<'sync.queue'>[number];

/** Counts for sync.status; both use the partial index operations_unfinished. */
export function queueCounts(db: Db): { queued: number; oldestQueuedAt: string | null; needsAttention: number } {
  const q = stmt(db, `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM operations WHERE state = 'queued'`).get() as { n: number; oldest: string | null };
  const a = stmt(db, `SELECT COUNT(*) AS n FROM operations WHERE state = 'needs_attention'`).get() as { n: number };
  return { queued: q.n, oldestQueuedAt: q.oldest, needsAttention: a.n };
}

/** What the Queue screen lists: needs attention first, then queued, oldest first within each. */
export function queueEntries(db: Db, limit = 1000): QueueEntry[] {
  const rows = stmt(
    db,
    `SELECT o.*, ord.reference AS order_reference, p.currency AS currency
     FROM operations o JOIN payments p ON p.id = o.payment_id JOIN orders ord ON ord.id = p.order_id
     WHERE o.state IN ('needs_attention', 'queued')
     ORDER BY o.state = 'queued', o.created_at, o.seq LIMIT ?`,
  ).all(limit) as (OperationRow & { order_reference: string; currency: string })[];
  return rows.map((r) => ({ ...toOperation(r), orderReference: r.order_reference, currency: r.currency }));
}
