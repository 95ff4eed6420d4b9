import type { Db } from '../db/database';
import { shopState } from './outbox';
import type { ShopServer } from './server-client';

/**
 * The server keeps each station's audit chain (stored only in order and only if it chains,
 * server-migrations.ts), so its newest entry for this station is an anchor outside the station:
 * a ledger whose newest entries were cut off, or whose chain was rewritten from some point on,
 * no longer reaches it. (A chain checked only against itself cannot show a cut at its end.)
 */
export type AnchorCheck =
  | { ok: true; anchoredSeq: number }
  | { ok: false; problem: 'cut_off'; anchoredSeq: number; localSeq: number }
  | { ok: false; problem: 'diverged'; anchoredSeq: number };

export async function checkAuditAnchor(db: Db, server: ShopServer): Promise<AnchorCheck> {
  const st = shopState(db);
  if (!st) throw new Error('This station has not joined a shop');
  const anchor = await server.auditAnchor(st.stationId);
  if (!anchor) return { ok: true, anchoredSeq: 0 };
  const localSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM audit').get() as { n: number }).n;
  if (localSeq < anchor.seq) return { ok: false, problem: 'cut_off', anchoredSeq: anchor.seq, localSeq };
  const here = db.prepare('SELECT hash FROM audit WHERE seq = ?').get(anchor.seq) as { hash: string } | undefined;
  if (here?.hash !== anchor.hash) return { ok: false, problem: 'diverged', anchoredSeq: anchor.seq };
  return { ok: true, anchoredSeq: anchor.seq };
}
