import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateShopServer } from './server-schema';

/**
 * A station's side of the shop server: a small pool for pushes, pulls, leases and claims, and
 * one dedicated connection for LISTEN. All the rules (policies, compare-and-set, the audit
 * anchor, lease expiry) are in the server's SQL, so two versions of this code cannot disagree
 * about them.
 */

/** A row as it travels: its ledger table, its key, the server version it was based on. */
export interface PushItem {
  tbl: string;
  pk: string;
  /** The record's server seq this station last saw; null for a record new to it. */
  base: number | null;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

export type PushOutcome = 'stored' | 'same' | 'conflict' | 'rejected';

export interface PushResult {
  outcome: PushOutcome;
  seq: number | null;
  detail: string | null;
}

export interface PulledRecord {
  seq: number;
  tbl: string;
  pk: string;
  origin: string;
  writtenBy: string;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

export interface LeaseResult {
  granted: boolean;
  /** Why not: another desk holds it; or the payment's own station is away or has changes not yet pushed. */
  refused: 'held' | 'owner_away' | 'owner_waiting' | 'owner_left' | null;
  /** Present when granted: what release and renew need. */
  token: string | null;
  /** Who holds it (or whose payment it is, when its station is away), and until when. */
  holder: string | null;
  expiresAt: Date | null;
  /** The server seq of the payment's record (null: the server has not seen the payment yet). */
  paymentSeq: number | null;
}

export interface ClaimResult {
  granted: boolean;
  /** The station holding the claim (this one when granted). */
  station: string;
}

export interface StationSeen {
  id: string;
  name: string;
  lastSeenAt: Date;
  pulledSeq: number;
  /** When it left the shop (null: a member). */
  leftAt: Date | null;
}

export interface ShopServerOptions {
  /** postgres:// URL (sslmode in the URL or `ssl`); or the fields below (a password never has to be put in a URL). */
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: pg.ConnectionConfig['ssl'];
  /** Connect timeout: an unreachable server must be noticed quickly, not hang the sync loop. */
  connectTimeoutMs?: number;
  poolSize?: number;
}

const toNum = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));

export class ShopServer {
  readonly pool: pg.Pool;

  constructor(private readonly opts: ShopServerOptions) {
    this.pool = new pg.Pool({
      ...this.connection(),
      max: opts.poolSize ?? 3,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      // A query stuck behind a dead connection must fail rather than hold the sync loop.
      query_timeout: 60_000,
    });
    // An idle client that loses its server emits 'error' on the pool: not a crash, the next use reconnects.
    this.pool.on('error', () => undefined);
  }

  private connection(): pg.ClientConfig {
    const o = this.opts;
    return { connectionString: o.connectionString, host: o.host, port: o.port, database: o.database, user: o.user, password: o.password, ssl: o.ssl };
  }

  async migrate(): Promise<number[]> {
    const { client, lost, done } = await this.checkout();
    try {
      return await migrateShopServer(client);
    } finally {
      done();
      client.release(lost());
    }
  }

  /**
   * A client of the pool, listened to from the moment the pool hands it over. A checked-out client
   * whose connection drops emits 'error' with no listener (the pool listens only to idle ones), which
   * kills the process. pool.connect()'s promise is too late to attach one: it resolves a microtask
   * after the hand-over, and the hand-over can happen while the parser is inside a chunk that holds
   * the previous query's end and the server's "terminating connection" (PostgreSQL restarting), so
   * the error is emitted before that microtask. The callback form runs inside the hand-over.
   * The statement in progress rejects anyway; a lost client is released with its error (destroyed).
   */
  private checkout(): Promise<{ client: pg.PoolClient; lost: () => Error | undefined; done: () => void }> {
    return new Promise((resolve, reject) => {
      this.pool.connect((err, client) => {
        if (err || !client) return reject(err ?? new Error('the pool gave no client'));
        let lost: Error | undefined;
        const onError = (e: Error): void => {
          lost = e;
        };
        client.on('error', onError);
        resolve({ client, lost: () => lost, done: () => client.off('error', onError) });
      });
    });
  }

  /** Registers (or renames) a station; idempotent. A station that left and joins again is back (its payments leasable again). */
  async join(stationId: string, name: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO stations (id, name) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, last_seen_at = now(), left_at = NULL`,
      [stationId, name],
    );
  }

  /**
   * Marks the station as gone: no other desk leases its payments from now on. Refused (the count
   * returned) while another desk holds a lease on one of them.
   */
  async leave(stationId: string): Promise<{ left: true } | { left: false; leasedElsewhere: number }> {
    const { rows } = await this.pool.query<{ held: number }>('SELECT shop_leave($1) AS held', [stationId]);
    const held = rows[0]?.held ?? 0;
    return held === 0 ? { left: true } : { left: false, leasedElsewhere: held };
  }

  async push(stationId: string, items: readonly PushItem[]): Promise<PushResult[]> {
    if (items.length === 0) return [];
    const { rows } = await this.pool.query<{ idx: number; outcome: PushOutcome; rec_seq: string | null; detail: string | null }>(
      'SELECT idx, outcome, rec_seq, detail FROM shop_push($1, $2::jsonb)',
      [stationId, JSON.stringify(items)],
    );
    const out: PushResult[] = new Array(items.length);
    for (const r of rows) out[r.idx] = { outcome: r.outcome, seq: r.rec_seq === null ? null : toNum(r.rec_seq), detail: r.detail };
    return out;
  }

  /** Records after `afterSeq` in server order; records where this station stands. */
  async pull(stationId: string, afterSeq: number, limit = 1000): Promise<PulledRecord[]> {
    const { rows } = await this.pool.query<{ seq: string; tbl: string; pk: string; origin: string; written_by: string; deleted: boolean; data: Record<string, unknown> | null }>(
      // Where the station stands is noted only if no push of its own holds its row: a pull never waits.
      `WITH seen AS (UPDATE stations SET pulled_seq = GREATEST(pulled_seq, $2), last_seen_at = now()
                      WHERE id = (SELECT id FROM stations WHERE id = $1 FOR UPDATE SKIP LOCKED))
       SELECT seq, tbl, pk, origin, written_by, deleted, data FROM records WHERE seq > $2 ORDER BY seq LIMIT $3`,
      [stationId, afterSeq, limit],
    );
    return rows.map((r) => ({ seq: toNum(r.seq), tbl: r.tbl, pk: r.pk, origin: r.origin, writtenBy: r.written_by, deleted: r.deleted, data: r.data }));
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ s: string | null }>('SELECT max(seq) AS s FROM records');
    return rows[0]?.s ? toNum(rows[0].s) : 0;
  }

  /** The newest audit entry the server holds for a station: the anchor its ledger is checked against. */
  async auditAnchor(stationId: string): Promise<{ seq: number; hash: string } | null> {
    const { rows } = await this.pool.query<{ seq: string; hash: string }>(
      `SELECT (data->>'seq')::bigint AS seq, data->>'hash' AS hash FROM records
        WHERE tbl = 'audit' AND origin = $1 ORDER BY (data->>'seq')::bigint DESC LIMIT 1`,
      [stationId],
    );
    return rows[0] ? { seq: toNum(rows[0].seq), hash: rows[0].hash } : null;
  }

  /**
   * The audit entries the server holds, station by station in chain order, after (origin, seq):
   * a page of every station's replicated chain, for checking it end to end.
   */
  async auditEntries(afterOrigin: string, afterSeq: number, limit = 2000): Promise<{ origin: string; data: Record<string, unknown> }[]> {
    const { rows } = await this.pool.query<{ origin: string; data: Record<string, unknown> }>(
      `SELECT origin, data FROM records
        WHERE tbl = 'audit' AND (origin, (data->>'seq')::bigint) > ($1, $2::bigint)
        ORDER BY origin, (data->>'seq')::bigint LIMIT $3`,
      [afterOrigin, afterSeq, limit],
    );
    return rows;
  }

  /** The shop's active people as the server holds them (id, name, role): what a joining desk's people are compared with. */
  async activeUsers(): Promise<{ id: string; name: string; role: string }[]> {
    const { rows } = await this.pool.query<{ id: string; name: string; role: string }>(
      `SELECT pk AS id, data->>'name' AS name, data->>'role' AS role FROM records
        WHERE tbl = 'users' AND NOT deleted AND (data->>'active')::int = 1`,
    );
    return rows;
  }

  /** Whether any desk has given the shop its settings yet (a joining desk seeds them when none has). */
  async hasShopSettings(): Promise<boolean> {
    const { rows } = await this.pool.query<{ e: boolean }>(`SELECT EXISTS (SELECT 1 FROM records WHERE tbl = 'shop_settings') AS e`);
    return rows[0]?.e === true;
  }

  async stations(): Promise<StationSeen[]> {
    const { rows } = await this.pool.query<{ id: string; name: string; last_seen_at: Date; pulled_seq: string; left_at: Date | null }>('SELECT id, name, last_seen_at, pulled_seq, left_at FROM stations ORDER BY name, id');
    return rows.map((r) => ({ id: r.id, name: r.name, lastSeenAt: r.last_seen_at, pulledSeq: toNum(r.pulled_seq), leftAt: r.left_at }));
  }

  /**
   * Takes the payment's lease for `ttlMs` if nobody holds it or the holder's has lapsed, and, for
   * another station's payment, only while that station is present (seen within `presentMs`,
   * nothing of its own waiting to be pushed). A station already holding it gets it again only
   * with its token (renew), so two actions of one station are serialized too.
   */
  async acquireLease(stationId: string, paymentId: string, ttlMs: number, renewToken?: string, presentMs = 10_000): Promise<LeaseResult> {
    const token = renewToken ?? randomUUID();
    const { rows } = await this.pool.query<{ station: string; token: string | null; expires_at: Date | null; payment_seq: string | null; refused: LeaseResult['refused'] }>(
      'SELECT station, token::text AS token, expires_at, payment_seq, refused FROM shop_lease($1, $2, $3, $4, $5)',
      [paymentId, stationId, token, Math.round(ttlMs), Math.round(presentMs)],
    );
    const r = rows[0];
    if (!r) throw new Error(`lease for ${paymentId}: no answer`);
    const granted = r.refused === null;
    return { granted, refused: r.refused, token: granted ? token : null, holder: granted ? stationId : r.station, expiresAt: r.expires_at, paymentSeq: r.payment_seq === null ? null : toNum(r.payment_seq) };
  }

  /** "This station is here, with this many changes still to push": what leases on its payments depend on. */
  async heartbeat(stationId: string, waiting: number): Promise<void> {
    await this.pool.query('SELECT shop_heartbeat($1, $2)', [stationId, waiting]);
  }

  /** Gives the lease back; only its holder (by token) can. */
  async releaseLease(paymentId: string, token: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM payment_leases WHERE payment_id = $1 AND token = $2', [paymentId, token]);
    return (rowCount ?? 0) === 1;
  }

  /**
   * Claims a recurring period for this station. Claiming again a period this station already
   * holds is granted (a restart after a crash resumes its own charge); another station's is not.
   */
  async claimPeriod(stationId: string, scheduleId: string, period: number, reference: string): Promise<ClaimResult> {
    // As for leases: a claim committed after this statement's snapshot is invisible; ask again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await this.tryClaim(stationId, scheduleId, period, reference);
      if (r) return r;
    }
    throw new Error(`period reference ${reference} is already claimed for another schedule or period`);
  }

  private async tryClaim(stationId: string, scheduleId: string, period: number, reference: string): Promise<ClaimResult | null> {
    const { rows } = await this.pool.query<{ station: string }>(
      `WITH ins AS (
         INSERT INTO recurring_claims (schedule_id, period, reference, station) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING station
       )
       SELECT station FROM ins
       UNION ALL
       SELECT station FROM recurring_claims WHERE schedule_id = $1 AND period = $2 AND NOT EXISTS (SELECT 1 FROM ins)`,
      [scheduleId, period, reference, stationId],
    );
    const holder = rows[0]?.station;
    if (holder === undefined) return null;
    return { granted: holder === stationId, station: holder };
  }

  /**
   * LISTEN on a connection of its own; `onNotify` on every commit of new records, `onError` when
   * that connection is lost (the caller reconnects: pulls by seq need nothing from the gap).
   */
  async listen(onNotify: () => void, onError: (e: Error) => void): Promise<() => Promise<void>> {
    const client = new pg.Client({ ...this.connection(), connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5_000 });
    client.on('notification', () => onNotify());
    client.on('error', (e) => onError(e));
    await client.connect();
    await client.query('LISTEN shop_records');
    let closed = false;
    return async () => {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
