import { sleepOn, startTimer, type Timer } from '../clock';
import { audit, type Actor } from '../ledger/audit-entry';
import { getOperation, markSent, nextQueuedOf, refusedForwarded, type OperationRow } from '../payments';
import type { OpResult } from '../payments';
import { moveOperation } from '../payments';
import { getPaymentRow, totalsOf, updatePayment } from '../payments';
import { reconcilePayment } from '../payments';
import type { PaymentService } from '../payments';
import { GroupCommit, stmt, tx } from '../ledger/sql';
import { refreshOrderStatus } from '../orders';
import type { Connectivity } from './connectivity';
import { declinedNextStepText, recheck } from './rules';
import { englishText, type CoreText } from '../../../shared/contract/messages';

/** Who forwards: the station itself, on behalf of whoever queued the operation (kept on the row). */
export const FORWARDER_ACTOR: Actor = { id: 'system', name: 'forwarder' };

export interface ForwarderOptions {
  /** Payments forwarded at the same time (operations of one payment always go one by one). */
  concurrency?: number;
  /** Waits before asking check status again about an operation left UNKNOWN while forwarding. */
  resolveDelaysMs?: readonly number[];
  /** Wait before another pass when some payments could not finish (still unknown, gateway busy). */
  passDelayMs?: { min: number; max: number };
}

export const DEFAULT_FORWARDER: Required<ForwarderOptions> = {
  // Forwarding is bound by the gateway's latency (one operation per payment in flight, each a
  // round trip) and, on this side, by fsyncs, which the group commit shares between the payments
  // in flight: more payments at once means fewer fsyncs per operation. 64 (was 16, before that 8):
  // the same 3,000 queued refunds went 183 / 98 → 246 / 212 ops/s from 16 → 64 on a loaded machine
  // with 4x fewer fsyncs (docs/performance.md, issue 21), and against a remote gateway at ~30 ms
  // a round trip 16 in flight cap a station at ~500 ops/s, 64 at ~2,000. Still one operation per
  // payment at a time.
  concurrency: 64,
  resolveDelaysMs: [0, 200, 1_000, 3_000],
  passDelayMs: { min: 1_000, max: 30_000 },
};

type PaymentResult = 'done' | 'blocked';

/**
 * Sends the offline queue when the gateway is reachable (DESIGN "Offline-first"):
 *
 *   - per payment, in order (FIFO by seq: a capture queued before a refund goes first), under the
 *     payment's mutex, so it never races a live operation or the background resolver, and in a
 *     shop under the payment's lease too (PaymentService.underLease), so no other desk acts on it
 *     meanwhile; a payment whose lease is not granted waits for the next pass;
 *   - across payments, at most `concurrency` at a time;
 *   - each operation with the reference stored when it was queued, through the same write-ahead
 *     path as a live one (QUEUED → SENT → SUCCEEDED | DECLINED | UNKNOWN, SENT committed before the
 *     request); an UNKNOWN is resolved by check status before anything else of that payment goes out;
 *   - SENT and outcome writes of the payments in flight are committed together (GroupCommit in
 *     ledger/sql.ts: one fsync for all the writes of one event-loop turn); each payment still
 *     waits for its own write to be on disk before it sends or moves on;
 *   - before the first operation of a payment, a check status refreshes the totals when the
 *     gateway's differ from ours, then the rules are re-checked; what can no longer be done, or
 *     what the gateway refuses, goes to NEEDS_ATTENTION with the reason and a next step, never
 *     retried blindly.
 *
 * Nothing lives only in memory: a crash at any point leaves rows the start-up sweep (PENDING,
 * SENT, UNKNOWN) or the next pass (QUEUED, and DECLINED rows still marked `forwarded`: a refusal
 * nobody has handed to a person yet) picks up.
 */
export class Forwarder {
  readonly opts: Required<ForwarderOptions>;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private passDelay: number;
  private wakeTimer: Timer | null = null;
  /** SENT and outcomes of the payments in flight share fsyncs (see GroupCommit); each still waits for its own commit. */
  readonly group: GroupCommit;

  constructor(
    private readonly service: PaymentService,
    private readonly connectivity: Connectivity,
    private readonly changed: () => void,
    opts: ForwarderOptions = {},
  ) {
    this.opts = { ...DEFAULT_FORWARDER, ...opts };
    this.passDelay = this.opts.passDelayMs.min;
    this.group = new GroupCommit(service.deps.db);
  }

  get forwarding(): boolean {
    return this.running !== null;
  }

  /** Start a pass now (or right after the current one). Cheap to call often. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.wakeTimer) {
      this.wakeTimer.clear();
      this.wakeTimer = null;
    }
    this.running = this.loop()
      .catch((err: unknown) => this.service.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'forwarder pass failed'))
      .finally(() => {
        this.running = null;
        this.changed();
        if (this.again && !this.closed) {
          this.again = false;
          this.kick();
        }
      });
    this.changed();
  }

  /** Resolves when no pass is running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.wakeTimer) this.wakeTimer.clear();
    await this.idle();
  }

  private async loop(): Promise<void> {
    for (;;) {
      this.again = false;
      if (this.closed) return;
      // Refusals of forwarded operations found by anyone (the start-up sweep after a crash, the
      // background resolver) reach a person first; this needs no gateway.
      await this.handOffRefused();
      if (!(await this.connectivity.ensureOnline())) return; // the transition to online kicks us again
      const ids = paymentsToForward(this.service);
      if (ids.length === 0) return;
      const results = await this.pool(ids);
      const blocked = results.filter((r) => r === 'blocked').length;
      if (blocked === 0) {
        this.passDelay = this.opts.passDelayMs.min;
        continue; // anything queued meanwhile
      }
      if (!this.connectivity.isOnline() || this.closed) return;
      // Some payments wait on an answer (UNKNOWN still being resolved): come back later.
      const delay = this.passDelay;
      this.passDelay = Math.min(this.passDelay * 2, this.opts.passDelayMs.max);
      if (this.again) continue;
      this.wakeTimer = startTimer(this.service.deps.clock, () => {
        this.wakeTimer = null;
        this.kick();
      }, delay);
      return;
    }
  }

  private async pool(ids: string[]): Promise<PaymentResult[]> {
    const results: PaymentResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length && !this.closed && this.connectivity.isOnline()) {
        const id = ids[next++]!;
        try {
          // In a shop, only under the payment's lease: another desk never sends on it at the same time.
          results.push(await this.service.mutex.run(id, () => this.service.underLease(id, () => this.forwardPayment(id), 'blocked' as const)));
        } catch (err) {
          results.push('blocked');
          this.service.deps.log.error({ paymentId: id, err: err instanceof Error ? err.message : String(err) }, 'forwarding a payment failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, ids.length) }, worker));
    if (results.length < ids.length) results.push('blocked');
    return results;
  }

  /** Caller holds the payment's mutex. */
  private async forwardPayment(paymentId: string): Promise<PaymentResult> {
    const { service } = this;
    const { db } = service.deps;
    // Whatever this payment left unresolved goes first: nothing is sent after an unknown.
    if (!(await this.resolve(paymentId))) return 'blocked';
    let refreshed = false;
    // The payment's next operation, taken to SENT in the commit of the previous one's outcome.
    let claimed: string | null = null;
    const next = () => this.claimNext(paymentId, refreshed);
    for (;;) {
      if (claimed) {
        // Its SENT is on disk: it goes now, whatever happened meanwhile (offline: refused
        // connection, back to the queue; anything else is settled like any request).
        const opId: string = claimed;
        const r = await service.runner.send(opId, FORWARDER_ACTOR, { commit: this.group.commit, sentByCaller: true, onSucceeded: next });
        claimed = await this.after(paymentId, opId, r);
        if (claimed === 'blocked') return 'blocked';
        continue;
      }
      if (this.closed || !this.connectivity.isOnline()) return 'blocked';
      const op = nextQueuedOf(db, paymentId);
      if (!op) return 'done';
      const p = getPaymentRow(db, paymentId)!;
      // Its own account or nowhere: an account no longer configured puts the work in front of a person.
      const gone = service.deps.accounts?.refusal(p.gateway_account);
      if (gone) {
        this.needsAttention(op, 'recheck_failed', gone);
        continue;
      }
      if (!refreshed && isMaintenance(op)) {
        // The payment may have moved at the gateway while we were offline (another desk, the
        // merchant portal, expiry): compare and repair first.
        if (!(await this.refresh(paymentId))) return 'blocked';
        refreshed = true;
        continue;
      }
      const now = service.deps.clock.now();
      const check = recheck(db, op, p, totalsOf(p), now, service.deps.settings.get());
      if (!check.ok) {
        this.needsAttention(op, 'recheck_failed', check.text);
        continue;
      }
      // QUEUED goes straight to SENT (committed by the runner before the request, with the
      // operation marked `forwarded` in that commit): the reference has been on disk since the
      // operation was queued.
      const r = await service.runner.send(op.id, FORWARDER_ACTOR, { commit: this.group.commit, onSucceeded: next });
      claimed = await this.after(paymentId, op.id, r);
      if (claimed === 'blocked') return 'blocked';
    }
  }

  /** After one forwarded operation: 'blocked', or the next operation already SENT (null: none). */
  private async after(paymentId: string, opId: string, r: OpResult): Promise<string | null | 'blocked'> {
    this.changed();
    if (r.state === 'queued') return 'blocked'; // no connection: still queued, nothing was sent
    if (r.state === 'unknown' && !(await this.resolve(paymentId))) return 'blocked';
    if (r.state === 'succeeded') return r.claimed ?? null;
    const after = getOperation(this.service.deps.db, opId)!;
    if (after.state === 'declined' && after.forwarded === 1) this.needsAttention(after, 'forwarded_refused', declinedNextStepText(after, after.response_code, after.message ?? ''));
    return r.claimed ?? null;
  }

  /**
   * Inside the commit of a forwarded operation's SUCCEEDED outcome (OperationRunner onSucceeded):
   * the payment's next queued operation goes to SENT in that same commit when it could go out now
   * anyway (same checks as the loop: online, its account, the refresh before the first maintenance
   * operation, the rules against the totals just written). Anything else is left QUEUED for the
   * loop, which says why. One commit per forwarded operation instead of two; SENT is still on disk
   * before its request, which waits for this commit.
   */
  private claimNext(paymentId: string, refreshed: boolean): string | null {
    if (this.closed || !this.connectivity.isOnline()) return null;
    const { deps } = this.service;
    const op = nextQueuedOf(deps.db, paymentId);
    if (!op || (!refreshed && isMaintenance(op))) return null;
    const p = getPaymentRow(deps.db, paymentId)!;
    if (deps.accounts?.refusal(p.gateway_account)) return null;
    const now = deps.clock.now();
    if (!recheck(deps.db, op, p, totalsOf(p), now, deps.settings.get()).ok) return null;
    markSent(deps.db, op, 'send', now.toISOString());
    return op.id;
  }

  /** Resolves UNKNOWN / SENT / PENDING operations of the payment by check status, a few times. */
  private async resolve(paymentId: string): Promise<boolean> {
    const { db } = this.service.deps;
    for (const delay of this.opts.resolveDelaysMs) {
      if (delay > 0) await sleepOn(this.service.deps.clock, delay);
      if (this.closed || !this.connectivity.isOnline()) return false;
      const before = unfinishedIds(this.service, paymentId);
      if (before.length === 0) return true;
      const r = await this.service.resolveUnfinished(paymentId, FORWARDER_ACTOR);
      for (const id of before) {
        const op = getOperation(db, id)!;
        // A forwarded operation the gateway refused (found out by check status) needs a person.
        if (op.state === 'declined' && op.forwarded === 1) this.needsAttention(op, 'forwarded_refused', declinedNextStepText(op, op.response_code, op.message ?? ''));
      }
      this.changed();
      if (!r.stillUnknown) return unfinishedIds(this.service, paymentId).length === 0;
    }
    return false;
  }

  /** Every forwarded operation left DECLINED without a person knowing goes to needs attention, under its payment's mutex. */
  private async handOffRefused(): Promise<void> {
    const { db } = this.service.deps;
    for (const seen of refusedForwarded(db)) {
      await this.service.mutex.run(seen.payment_id, () => {
        const op = getOperation(db, seen.id)!;
        if (op.state === 'declined' && op.forwarded === 1) this.needsAttention(op, 'forwarded_refused', declinedNextStepText(op, op.response_code, op.message ?? ''));
        return Promise.resolve();
      });
    }
  }

  /** Check status; repair the local totals when the gateway's differ. False when unanswered. */
  private async refresh(paymentId: string): Promise<boolean> {
    const { deps, ports } = this.service;
    const p = getPaymentRow(deps.db, paymentId)!;
    const check = await deps.gateway.checkStatus({ merchantReference: p.reference, ...(p.fort_id ? { fortId: p.fort_id } : {}) });
    if (check.kind !== 'succeeded') return false;
    const g = check.value;
    if (!g.found) return true; // the send itself will say what the gateway thinks
    const differs = g.authorizedAmount !== p.authorized || g.capturedAmount !== p.captured || g.refundedAmount !== p.refunded || (g.transactionStatus === '08' && p.voided === 0);
    if (differs) {
      const r = await reconcilePayment(deps, ports, paymentId, FORWARDER_ACTOR);
      if (r.outcome !== 'approved') return false;
    }
    return true;
  }

  /**
   * Holds an operation for a person: a QUEUED one the rules no longer allow (`recheck_failed`), or
   * one this forwarder sent that the gateway refused (`forwarded_refused`: the named exit from
   * DECLINED, because the clerk who queued it was told "queued", never "declined").
   */
  private needsAttention(op: OperationRow, event: 'recheck_failed' | 'forwarded_refused', said: CoreText | string): void {
    const { deps, ports } = this.service;
    const message = typeof said === 'string' ? said : englishText(said);
    const at = deps.clock.now().toISOString();
    tx(deps.db, () => {
      moveOperation(deps.db, op.id, event === 'recheck_failed' ? 'queued' : 'declined', event, { message: message.slice(0, 500), text: typeof said === 'string' ? null : said }, at);
      const p = updatePayment(deps.db, op.payment_id, {}, at);
      refreshOrderStatus(deps.db, p.order_id, at);
      audit(deps, ports, FORWARDER_ACTOR, 'sync.needs_attention', op.reference, 'failure', `${op.type}${op.amount !== null ? ` ${op.amount} ${p.currency}` : ''} ref ${op.reference}: ${message}`.slice(0, 500));
    });
    this.changed();
  }
}

function isMaintenance(op: Pick<OperationRow, 'type'>): boolean {
  return op.type === 'capture' || op.type === 'void' || op.type === 'refund';
}

function unfinishedIds(service: PaymentService, paymentId: string): string[] {
  return (stmt(service.deps.db, `SELECT id FROM operations WHERE payment_id = ? AND state IN ('pending', 'sent', 'unknown') ORDER BY seq`).all(paymentId) as { id: string }[]).map((r) => r.id);
}

/**
 * Payments with queued work, or with an outcome still unknown (a forwarded operation whose reply
 * was lost when the connection dropped is resolved here, by check status, once the gateway is back),
 * the one waiting longest first.
 */
export function paymentsToForward(service: PaymentService): string[] {
  // Each half uses its partial index (payments_queued, payments_unknown); the counters are kept
  // exact by every state change (operation-log.ts markSent / updatePayment).
  const rows = stmt(
    service.deps.db,
    `SELECT id, created_at FROM payments WHERE queued > 0
     UNION
     SELECT id, created_at FROM payments WHERE open_ops > 0
     ORDER BY created_at, id`,
  ).all() as { id: string }[];
  return rows.map((r) => r.id);
}
