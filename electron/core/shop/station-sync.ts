import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { applyPulled } from './apply';
import { buildDeferredSearchIndex, deferSearchIndex, searchIndexDeferred } from './first-pull-index';
import { isUnreachable } from './payment-guard';
import { ackPushBatch, enableReplication, outboxCount, readPushBatch, shopState } from './outbox';
import type { ShopServer } from './server-client';

/**
 * A station's replication loop: push the outbox (idempotent upserts), then pull the others'
 * records by seq, again whenever the outbox grows or the server NOTIFYs, and after any outage
 * from where it stopped (the seq is in the ledger, so a restart resumes too). Nothing here is on
 * the path of a payment: the desk writes its ledger and goes on; this catches up behind it.
 *
 * "Shop server unreachable" is this loop's own state, separate from the gateway's connectivity.
 */

export type ShopLinkState = 'connecting' | 'connected' | 'catching_up' | 'unreachable';

export interface ShopStatus {
  state: ShopLinkState;
  stationId: string | null;
  /** Records of the shop not yet pulled here (at the last look). */
  behind: number;
  /** Records pulled since this catch-up began (0 once caught up): the progress bar's part done. */
  fetched: number;
  /** Changes of this station not yet on the server. */
  waiting: number;
  unreachableSince: string | null;
  lastError: string | null;
}

export interface StationSyncOptions {
  clock: Clock;
  stationName: string;
  pushBatch?: number;
  pullBatch?: number;
  /** How often the outbox is looked at for new local changes. */
  pollMs?: number;
  /** How often a station with nothing to send still tells the server it is there (default 3 s). */
  heartbeatMs?: number;
  /** Waits between attempts while the server is unreachable (the last one repeats). */
  retryMs?: readonly number[];
  onStatus?: (s: ShopStatus) => void;
  /** Other desks' records were written into this ledger: the tables they went to (once per sync). */
  onApplied?: (tables: string[]) => void;
  /**
   * A first pull at least this long (records) builds the search index once at its end instead of
   * per record (default 20,000; Infinity never does).
   */
  deferIndexFrom?: number;
  /** The server's schema could not be brought up to this version's (a least-privilege role): the loop goes on. */
  onSchemaProblem?: (e: Error) => void;
}

export class StationSync {
  private running = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private failures = 0;
  private lastOutboxId = -1;
  private current: ShopStatus;
  private idle: Promise<void> = Promise.resolve();
  private lastContact = Date.now();
  private chain: Promise<void> = Promise.resolve();
  private lastRun = 0;
  private schemaChecked = false;

  constructor(
    private readonly db: Db,
    private readonly server: ShopServer,
    private readonly opts: StationSyncOptions,
  ) {
    this.current = { state: 'connecting', stationId: shopState(db)?.stationId ?? null, behind: 0, fetched: 0, waiting: 0, unreachableSince: null, lastError: null };
  }

  status(): ShopStatus {
    return { ...this.current, waiting: outboxCount(this.db) };
  }

  /**
   * Joins the shop: the server's schema brought up to date, this ledger's replication switched
   * on with everything it holds in the outbox, and the station registered. Needs the server.
   */
  async join(): Promise<string> {
    await this.server.migrate();
    const st = enableReplication(this.db, this.opts.clock.now().toISOString());
    await this.server.join(st.stationId, this.opts.stationName);
    this.current.stationId = st.stationId;
    return st.stationId;
  }

  /**
   * Pushes everything waiting, then pulls everything new; throws when the server cannot be
   * reached. One at a time: the loop, a lease's catch-up and its release may all ask at once, and
   * two interleaved pushes and pulls would each judge the other's half-done work.
   */
  syncOnce(): Promise<{ pushed: number; refused: number; pulled: number }> {
    const next = this.chain.then(() => this.syncNow());
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async syncNow(): Promise<{ pushed: number; refused: number; pulled: number }> {
    const st = shopState(this.db);
    if (!st?.enabled) throw new Error('This station has not joined a shop');
    const out = { pushed: 0, refused: 0, pulled: 0 };
    for (;;) {
      const batch = readPushBatch(this.db, st.stationId, this.opts.pushBatch ?? 500);
      if (batch.entries.length === 0) break;
      const results = await this.server.push(st.stationId, batch.items);
      const r = ackPushBatch(this.db, batch, results, this.opts.clock.now().toISOString());
      out.pushed += r.stored;
      out.refused += r.refused;
    }
    let after = shopState(this.db)!.pulledSeq;
    const changedTables = new Set<string>();
    const startSeq = after;
    const latest = await this.server.latestSeq();
    this.setStatus({ behind: Math.max(0, latest - after), state: latest - after > (this.opts.pullBatch ?? 1000) ? 'catching_up' : this.current.state });
    // Recorded before the first batch: a station that dies mid-pull still owes the index.
    if (after === 0 && latest >= (this.opts.deferIndexFrom ?? 20_000)) deferSearchIndex(this.db, this.opts.clock.now().toISOString());
    const deferIndex = searchIndexDeferred(this.db);
    const pullBatch = this.opts.pullBatch ?? 1000;
    let next = this.server.pull(st.stationId, after, pullBatch);
    for (;;) {
      const recs = await next;
      if (recs.length === 0) break;
      // The next batch is asked for before this one is written: the server reads it and the
      // wire carries it while this ledger writes (a first pull is a long run of batches).
      next = this.server.pull(st.stationId, recs[recs.length - 1]!.seq, pullBatch);
      next.catch(() => undefined); // awaited (and thrown) on the next turn, unless this batch fails first
      const r = applyPulled(this.db, st.stationId, recs, this.opts.clock.now().toISOString(), { deferIndex });
      out.pulled += r.applied;
      // Written by another desk (a record created here and changed there is news here too).
      if (r.applied > 0) for (const rec of recs) if (rec.writtenBy !== st.stationId) changedTables.add(rec.tbl);
      after = r.lastSeq;
      this.setStatus({ behind: Math.max(0, latest - after), fetched: after - startSeq });
    }
    if (deferIndex) buildDeferredSearchIndex(this.db);
    this.setStatus({ behind: 0, fetched: 0 });
    if (changedTables.size > 0) this.opts.onApplied?.([...changedTables].sort());
    // Present, and with how much still to push: leases on this station's payments depend on it.
    await this.server.heartbeat(st.stationId, outboxCount(this.db));
    this.lastContact = Date.now();
    return out;
  }

  /**
   * When this station last completed a sync with the server (epoch ms). Before the first one in
   * this process it counts from start-up: a station that starts cut off waits the full grace
   * before acting offline on its own payments.
   */
  /** The link's last word: the server could not be reached (until the next successful sync). */
  isUnreachable(): boolean {
    return this.current.state === 'unreachable';
  }

  lastContactAt(): number {
    return this.lastContact;
  }

  /** Runs the loop until stop(): LISTEN, sync, then again on NOTIFY or local changes. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => {
      const id = (this.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'shop_outbox'`).get() as { seq: number } | undefined)?.seq ?? 0;
      // New local changes, or a heartbeat due (other desks lease this station's payments only while it is seen).
      if (id !== this.lastOutboxId || Date.now() - this.lastRun >= (this.opts.heartbeatMs ?? 3_000)) {
        this.lastOutboxId = id;
        this.kick();
      }
    }, this.opts.pollMs ?? 200);
    this.kick();
  }

  /** Asks for a sync soon; several asks while one runs make one more run. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.run().finally(() => {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async run(): Promise<void> {
    this.lastRun = Date.now();
    try {
      // A station updated while in a shop brings the server's schema up to its version once per
      // process (joining does it too); the tables the server already knows keep replicating if it cannot.
      if (!this.schemaChecked) {
        await this.server.migrate().catch((e: unknown) => {
          if (isUnreachable(e)) throw e;
          this.opts.onSchemaProblem?.(e as Error);
        });
        this.schemaChecked = true;
      }
      if (!this.unlisten) {
        this.unlisten = await this.server.listen(
          () => this.kick(),
          (e) => this.lost(e),
        );
      }
      await this.syncOnce();
      this.failures = 0;
      this.setStatus({ state: 'connected', unreachableSince: null, lastError: null });
    } catch (e) {
      this.lost(e as Error);
    }
  }

  private lost(e: Error): void {
    const u = this.unlisten;
    this.unlisten = null;
    void u?.();
    this.setStatus({ state: 'unreachable', unreachableSince: this.current.unreachableSince ?? this.opts.clock.now().toISOString(), lastError: e.message });
    if (this.stopped || this.retryTimer) return;
    const waits = this.opts.retryMs ?? [500, 1_000, 2_000, 5_000];
    const wait = waits[Math.min(this.failures++, waits.length - 1)]!;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, wait);
  }

  private setStatus(p: Partial<ShopStatus>): void {
    const before = this.current;
    this.current = { ...before, ...p };
    if (before.state !== this.current.state || before.behind !== this.current.behind || before.lastError !== this.current.lastError) this.opts.onStatus?.(this.status());
  }

  /** Stops the loop and waits for a sync in progress; the ledger keeps the outbox and the position. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = null;
    this.retryTimer = null;
    await this.idle.catch(() => undefined);
    const u = this.unlisten;
    this.unlisten = null;
    await u?.();
  }
}
