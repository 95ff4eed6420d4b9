import type { Db } from '../db/database';
import { auditHash, GENESIS_HASH, type AuditInput } from '../ledger/audit-log';
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

/** One station's chain as the server holds it. */
export interface StationChainCheck {
  stationId: string;
  checked: number;
  /** The first entry that is altered, missing or out of its chain; null when intact. */
  firstBadSeq: number | null;
  problem: string | null;
}

/** audit.verify's shop part (people/users-handlers.ts reports it). */
export interface ShopAuditResult {
  reachable: boolean;
  /** This station's chain against the server's newest entry of it; null when not checked. */
  anchor: { ok: true } | Exclude<AnchorCheck, { ok: true }> | null;
  stations: { stationId: string; name: string; thisStation: boolean; checked: number; problem: string | null }[];
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function entryOf(d: Record<string, unknown>): AuditInput {
  return {
    at: String(d.at), userId: str(d.user_id), userName: str(d.user_name), action: String(d.action), target: str(d.target),
    outcome: d.outcome as AuditInput['outcome'], station: String(d.station), detail: String(d.detail),
  };
}

/**
 * Walks every station's replicated chain on the server, entry by entry, with the same hash as
 * the ledger (verifyAudit): a row of another station altered on the server (its content, its
 * hash, or its place) is found here, from any desk. The server's trigger checks each entry as it
 * arrives; this checks what is stored now, after anyone with access to the database.
 */
export async function checkServerChains(server: ShopServer, pageSize = 2000): Promise<StationChainCheck[]> {
  const out: StationChainCheck[] = [];
  type Walk = StationChainCheck & { prevHash: string; expected: number };
  let cur = null as Walk | null;
  const finish = () => {
    if (cur) out.push({ stationId: cur.stationId, checked: cur.checked, firstBadSeq: cur.firstBadSeq, problem: cur.problem });
  };
  let after = { origin: '', seq: 0 };
  for (;;) {
    const page = await server.auditEntries(after.origin, after.seq, pageSize);
    for (const { origin, data } of page) {
      const seq = Number(data.seq);
      after = { origin, seq };
      if (cur?.stationId !== origin) {
        finish();
        cur = { stationId: origin, checked: 0, firstBadSeq: null, problem: null, prevHash: GENESIS_HASH, expected: 1 };
      }
      if (cur.problem) continue; // the first break is the one to report
      const bad = (problem: string, at = seq) => {
        cur!.firstBadSeq = at;
        cur!.problem = problem;
      };
      if (seq !== cur.expected) bad(`entry ${cur.expected} is missing`, cur.expected);
      else if (data.prev_hash !== cur.prevHash) bad(`entry ${seq} does not follow entry ${seq - 1}`);
      else if (auditHash(cur.prevHash, seq, entryOf(data)) !== data.hash) bad(`entry ${seq} was altered on the server`);
      else {
        cur.prevHash = String(data.hash);
        cur.expected++;
        cur.checked++;
      }
    }
    if (page.length < pageSize) break;
  }
  finish();
  return out;
}
