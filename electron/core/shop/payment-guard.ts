import type { Db } from '../db/database';
import { shopState } from './outbox';
import type { ShopServer } from './server-client';

/**
 * Who may capture, void or refund a payment right now, shop-wide (docs/decisions/
 * shop-money-semantics.md). Asked before the operation is written; the answer holds until
 * `release()` (or until the lease lapses, if the station dies first).
 *
 *   single station      nothing to coordinate: allowed
 *   server reachable    the payment's lease in PostgreSQL, held by one station at a time, and
 *                       this station's copy of the payment at least as new as the server's (it
 *                       pulls first when it is behind)
 *                       for another station's payment, only while that station is present
 *                       (seen within 10 s, nothing of its own left to push)
 *   server unreachable  only the payments this station took (their record was created here),
 *                       and only once no other desk can still hold a lease on them (present
 *                       window + lease length after this station's last contact); another
 *                       station's payment waits for the server
 */

export type GuardRefusal =
  | { allowed: false; code: 'HELD_ELSEWHERE'; holder: string; until: Date | null; message: string }
  | { allowed: false; code: 'OWNER_AWAY'; holder: string; message: string }
  | { allowed: false; code: 'WAIT_OFFLINE_GRACE'; message: string }
  | { allowed: false; code: 'BEHIND'; message: string }
  | { allowed: false; code: 'NOT_OURS_WHILE_UNREACHABLE'; message: string }
  | { allowed: false; code: 'OWNER_LEFT'; holder: string; message: string }
  | { allowed: false; code: 'NOT_OURS_LEFT_SHOP'; message: string };

export type GuardGrant = { allowed: true; via: 'single-station' | 'lease' | 'own-payment-offline'; release: () => Promise<void> };

export type GuardDecision = GuardGrant | GuardRefusal;

export interface PaymentGuardOptions {
  /** Longer than a gateway call with its retries, short enough that a dead station's lease lapses soon. */
  leaseMs?: number;
  /** Another station's payment is leased only if that station was seen this recently (default 10 s). */
  presentMs?: number;
  /** When this station last reached the server (StationSync.lastContactAt); for the offline grace. */
  lastContactAt: () => number;
  /** Now, epoch ms (tests move it). */
  now?: () => number;
  /**
   * Pushes this ledger's changes and pulls the others' (StationSync.syncOnce): before acting when
   * the server has a newer version of the payment, and before giving the lease back.
   */
  catchUp: () => Promise<void>;
  /**
   * The link already knows the server is unreachable (StationSync): apply the offline policy at
   * once instead of waiting for a connect timeout (the forwarder asks once per queued payment).
   */
  knownUnreachable?: () => boolean;
}

/** A failure to reach the server, as opposed to an answer from it. */
export function isUnreachable(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|57P01|57P03|08\w{3})$/.test(err.code)) return true;
  return /timeout|Connection terminated|ECONNREFUSED/i.test(err?.message ?? '');
}

export class PaymentGuard {
  constructor(
    private readonly db: Db,
    /** null: this station left its shop (no server): only its own payments are its to act on. */
    private readonly server: ShopServer | null,
    private readonly opts: PaymentGuardOptions,
  ) {}

  private knownPayment(paymentId: string): { seq: number; origin: string | null } | undefined {
    return this.db.prepare(`SELECT seq, origin FROM shop_known WHERE tbl = 'payments' AND pk = ?`).get(paymentId) as { seq: number; origin: string | null } | undefined;
  }

  /**
   * This station's payment: created here. Every record pulled from another station is in
   * shop_known with its origin, so a payment in this ledger without an entry was made here.
   */
  isOwnPayment(paymentId: string, stationId: string): boolean {
    const k = this.knownPayment(paymentId);
    if (k) return k.origin === stationId;
    return this.db.prepare('SELECT 1 FROM payments WHERE id = ?').get(paymentId) !== undefined;
  }

  /** How long after its last contact a cut-off station waits before acting on its own payments. */
  offlineGraceMs(): number {
    return (this.opts.presentMs ?? 10_000) + (this.opts.leaseMs ?? 60_000) + 5_000;
  }

  async acquire(paymentId: string): Promise<GuardDecision> {
    const st = shopState(this.db);
    if (st && !st.enabled && !this.isOwnPayment(paymentId, st.stationId)) {
      // Left the shop: the desk that took it may still act on it, and this one no longer hears of it.
      return { allowed: false, code: 'NOT_OURS_LEFT_SHOP', message: 'This payment was taken at another desk of the shop this station left: act on it there' };
    }
    const server = this.server;
    if (!st?.enabled || !server) return { allowed: true, via: 'single-station', release: async () => undefined };
    let lease;
    try {
      if (this.opts.knownUnreachable?.()) throw Object.assign(new Error('the shop server is unreachable (known to the link)'), { code: 'ECONNREFUSED' });
      lease = await server.acquireLease(st.stationId, paymentId, this.opts.leaseMs ?? 60_000, undefined, this.opts.presentMs ?? 10_000);
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      if (this.isOwnPayment(paymentId, st.stationId)) {
        // Other desks may have leased this payment while this one was still seen, and hold it
        // until the lease lapses: act offline only once neither can still be true.
        const wait = this.offlineGraceMs() - ((this.opts.now ?? Date.now)() - this.opts.lastContactAt());
        if (wait > 0) {
          return { allowed: false, code: 'WAIT_OFFLINE_GRACE', message: `The shop server cannot be reached; this desk can act on its own payments in ${Math.ceil(wait / 1000)} s, once no other desk can still be working on them` };
        }
        return { allowed: true, via: 'own-payment-offline', release: async () => undefined };
      }
      return {
        allowed: false,
        code: 'NOT_OURS_WHILE_UNREACHABLE',
        message: 'The shop server cannot be reached, and this payment was taken at another desk: act on it there, or when the shop server is back',
      };
    }
    if (!lease.granted) {
      if (lease.refused === 'owner_left') {
        return { allowed: false, code: 'OWNER_LEFT', holder: lease.holder ?? '', message: 'The desk that took this payment has left the shop and acts on its payments alone now: capture, void or refund it there' };
      }
      if (lease.refused === 'owner_away' || lease.refused === 'owner_waiting') {
        return { allowed: false, code: 'OWNER_AWAY', holder: lease.holder ?? '', message: 'The desk that took this payment is not connected to the shop server (or has not sent its latest work yet): act on it there, or once it is back' };
      }
      return { allowed: false, code: 'HELD_ELSEWHERE', holder: lease.holder ?? '', until: lease.expiresAt, message: `Another desk (${lease.holder}) is working on this payment; try again in a moment` };
    }
    const token = lease.token!;
    const giveBack = async () => {
      await server.releaseLease(paymentId, token).catch(() => undefined); // a lease not released lapses
    };
    // The next desk must find this desk's result on the server: push it, then give the lease
    // back. If the push fails the lease is kept until it lapses (docs/decisions/shop-money-semantics.md).
    const release = async () => {
      try {
        await this.opts.catchUp();
      } catch {
        return;
      }
      await giveBack();
    };
    const behind = () => lease.paymentSeq !== null && (this.knownPayment(paymentId)?.seq ?? 0) < lease.paymentSeq;
    if (behind()) {
      try {
        await this.opts.catchUp();
      } catch (e) {
        await giveBack();
        if (isUnreachable(e)) return { allowed: false, code: 'BEHIND', message: 'This desk has not caught up with the shop server on this payment yet; try again in a moment' };
        throw e;
      }
      if (behind()) {
        await giveBack();
        return { allowed: false, code: 'BEHIND', message: 'This payment has work in flight at another desk, or this desk has not caught up with it yet; try again in a moment' };
      }
    }
    return { allowed: true, via: 'lease', release };
  }
}

/**
 * The guard as the payment service's lease for background work (PaymentService.lease: the
 * forwarder and the background resolver): granted, or null for "not now" (another desk holds
 * it, its station is away, or the offline grace has not passed); an error asking is "not now"
 * too, logged, and the work is tried again later.
 */
export function backgroundLease(guard: () => PaymentGuard | null, log: { warn(obj: object, msg?: string): void }): { take(paymentId: string): Promise<{ release(): Promise<void> } | null> } {
  return {
    async take(paymentId) {
      const g = guard();
      if (!g) return { release: () => Promise.resolve() };
      try {
        const d = await g.acquire(paymentId);
        if (d.allowed) return { release: d.release };
        log.warn({ paymentId, code: d.code }, 'background work on a payment waits: no lease');
        return null;
      } catch (e) {
        log.warn({ paymentId, err: e instanceof Error ? e.message : String(e) }, 'background work on a payment waits: the lease could not be asked');
        return null;
      }
    },
  };
}
