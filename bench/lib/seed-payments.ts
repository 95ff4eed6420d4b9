/**
 * Seeds a ledger with many realistic payments, fast, for the Transactions screen at scale
 * (e2e/transactions-scale.spec.ts, bench/suites/renderer.ts).
 *
 * THIS SEEDS THE SCREEN'S DATA SET, NOT PAYMENT BEHAVIOUR. The rows are written straight into
 * orders / payments / operations in one transaction, with the web-mode server STOPPED (the
 * ledger has one writer). Nothing goes through the gateway or the payment core, so nothing here
 * proves that a capture, refund or void works: the other e2e specs do that. What it gives is a
 * ledger whose rows are consistent with the schema (CHECK constraints, the stored status that
 * payment-state.ts would compute, operation rows for every amount moved, open_ops matching
 * unfinished operations) so that payments.list, its filters and the screen see what a busy
 * station would have after a month.
 *
 * Deterministic (seeded PRNG): the same options give the same rows, except that dates are
 * relative to `now`.
 */
import { openLedger } from '../../electron/core/db/database';
import type { KeyProtector } from '../../electron/core/db/key-protector';
import { prng } from './stats';

export interface SeedOptions {
  /** Web-mode data directory (ledger.db + key.json); the station must have been set up already. */
  dir: string;
  protector: KeyProtector;
  /** How many payments (one order each). */
  count: number;
  /** Station time the dates are relative to (default: the process clock). */
  now?: Date;
  /** Days back the payments spread over (default 30). */
  days?: number;
  /**
   * Payments whose outcome is unknown (an operation SENT / UNKNOWN). Web mode's start-up recovery
   * asks the gateway about them, so start it with the gateway unreachable (POS_SANDBOX_UNREACHABLE=1)
   * to keep them unknown. Default 0.
   */
  unknown?: number;
  seed?: number;
}

/** What was written, counted with plain SQL on the ledger (independent of payments.list). */
export interface SeedCounts {
  total: number;
  /** Created since the start of `now`'s UTC day. */
  today: number;
  /** Stored status (the 'expired' status is a query on expires_at, see expired). */
  byStatus: Record<string, number>;
  /** Authorizations not captured at all whose 7 days have passed. */
  expired: number;
  /** Open authorizations (authorized / partially captured) not yet expired: the "uncaptured" view. */
  uncaptured: number;
  unknown: number;
  ms: number;
}

const DAY = 86_400_000;
const AUTH_LIFETIME = 7 * DAY;
const CURRENCIES = [
  { code: 'USD', weight: 0.7, prices: [499, 1250, 2999, 4500, 8999, 12000, 24950, 64000] },
  { code: 'KWD', weight: 0.2, prices: [1500, 4250, 12000, 35500, 99000] }, // 3 decimals: 1.500 … 99.000
  { code: 'JPY', weight: 0.1, prices: [480, 1200, 3500, 9800, 25000, 128000] }, // 0 decimals
];
const FIRST = ['Amira', 'Bashar', 'Chen', 'Dana', 'Elif', 'Farah', 'Gustavo', 'Hana', 'Ivan', 'Jamila', 'Kenji', 'Layla', 'Marek', 'Noor', 'Omar', 'Priya', 'Quentin', 'Rania', 'Sven', 'Tariq', 'Ursula', 'Vikram', 'Wen', 'Yusuf', 'Zeynep'];
const LAST = ['Al-Sabah', 'Becker', 'Castillo', 'Dubois', 'Eriksen', 'Fujita', 'Haddad', 'Ibrahim', 'Jensen', 'Kowalski', 'Lindqvist', 'Mansour', 'Nakamura', 'Okafor', 'Petrova', 'Rahman', 'Silva', 'Tanaka', 'Varga', 'Whitfield'];
const ITEMS = ['Walnut side table', 'Linen curtains (pair)', 'Desk lamp', 'Oak bookcase', 'Wool rug 160x230', 'Ceramic vase', 'Office chair', 'Bed frame, queen', 'Mirror, round', 'Dining chairs (4)'];
const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'MADA'];
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

type Outcome = 'captured' | 'partially_refunded' | 'refunded' | 'authorized' | 'partially_captured' | 'voided' | 'declined' | 'cash' | 'unknown';

/** Opens the ledger (server stopped), writes `count` payments in one transaction, closes it. */
export async function seedPayments(opts: SeedOptions): Promise<SeedCounts> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const days = opts.days ?? 30;
  const unknownWanted = opts.unknown ?? 0;
  const rnd = prng(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  const db = await openLedger({ dir: opts.dir, protector: opts.protector });
  try {
    const user = db.prepare(`SELECT id, name FROM users WHERE active = 1 ORDER BY created_at LIMIT 1`).get() as { id: string; name: string } | undefined;
    if (!user) throw new Error('seedPayments: set the station up first (no user in the ledger)');
    const insOrder = db.prepare(
      `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
       VALUES (@id, @reference, @channel, NULL, @customer_name, @currency, @lines_json, @net, 0, @net, '', @status, @created_at, @created_by, @created_by_name, @created_at)`,
    );
    const insPayment = db.prepare(
      `INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, voided, declined, open_ops, queued, status,
         fort_id, brand, last4, expiry, holder_name, customer_name, authorization_code, tendered, change_due, refund_seq, created_at, authorized_at, expires_at, created_by, updated_at)
       VALUES (@id, @order_id, @reference, @method, @kind, @currency, @amount, @authorized, @captured, @refunded, @voided, @declined, @open_ops, 0, @status,
         @fort_id, @brand, @last4, @expiry, @holder_name, @customer_name, @authorization_code, @tendered, @change_due, @refund_seq, @created_at, @authorized_at, @expires_at, @created_by, @updated_at)`,
    );
    const insOp = db.prepare(
      `INSERT INTO operations (id, payment_id, seq, type, amount, state, reference, attempts, checks, response_code, message, user_id, user_name, reason, created_at, updated_at, sent_at, finished_at)
       VALUES (@id, @payment_id, @seq, @type, @amount, @state, @reference, @attempts, 0, @response_code, @message, @user_id, @user_name, @reason, @created_at, @updated_at, @sent_at, @finished_at)`,
    );

    // Evenly spread unknown ones (every k-th), the rest by weight.
    const unknownEvery = unknownWanted > 0 ? Math.floor(opts.count / unknownWanted) : 0;
    const outcomeFor = (i: number, ageMs: number): Outcome => {
      if (unknownEvery && i % unknownEvery === unknownEvery - 1 && Math.floor(i / unknownEvery) < unknownWanted) return 'unknown';
      const r = rnd();
      if (r < 0.42) return 'captured';
      if (r < 0.52) return 'cash';
      if (r < 0.66) return 'authorized'; // expired when older than 7 days
      if (r < 0.71) return ageMs < AUTH_LIFETIME ? 'partially_captured' : 'captured';
      if (r < 0.79) return 'partially_refunded';
      if (r < 0.84) return 'refunded';
      if (r < 0.89) return 'voided';
      return 'declined';
    };

    const tag = `${nowMs.toString(36)}`;
    db.transaction(() => {
      for (let i = 0; i < opts.count; i++) {
        // Newest first as i grows: i = 0 a minute ago, the last one `days` ago; a little jitter.
        const ageMs = 60_000 + Math.floor(((i + rnd() * 0.9) * days * DAY) / opts.count);
        const at = new Date(nowMs - ageMs).toISOString();
        const later = (ms: number) => new Date(Math.min(nowMs - 1000, nowMs - ageMs + ms)).toISOString();
        const cur = rnd() < CURRENCIES[0]!.weight ? CURRENCIES[0]! : rnd() < 0.67 ? CURRENCIES[1]! : CURRENCIES[2]!;
        const qty = 1 + Math.floor(rnd() * 3);
        const unit = pick(cur.prices);
        const total = unit * qty;
        const item = pick(ITEMS);
        const walkIn = rnd() < 0.12;
        const name = walkIn ? null : `${pick(FIRST)} ${pick(LAST)}`;
        let suffix = '';
        let x = (Math.imul(i + 1, 2654435761) >>> 0) ^ 0x5bd1e995;
        for (let k = 0; k < 6; k++) {
          suffix += B32[x & 31];
          x >>>= 5;
        }
        const orderRef = `D1-${at.slice(0, 10).replace(/-/g, '')}-${suffix}`;
        const payRef = `${orderRef}-P1`;
        const outcome = outcomeFor(i, ageMs);
        const cash = outcome === 'cash';
        const kind = cash ? 'cash' : outcome === 'authorized' || outcome === 'partially_captured' || outcome === 'voided' || (outcome === 'unknown' && i % 2 === 0) ? 'authorization' : 'purchase';
        const orderId = `ord_seed${tag}${i.toString(36).padStart(5, '0')}`;
        const payId = `pay_seed${tag}${i.toString(36).padStart(5, '0')}`;

        let authorized = 0;
        let captured = 0;
        let refunded = 0;
        let voided = 0;
        let declined = 0;
        let openOps = 0;
        const ops: { type: string; amount: number | null; state: string; response_code: string | null; message: string | null; reason: string | null; at: string }[] = [];
        const first = cash ? 'cash_sale' : kind === 'authorization' ? 'authorize' : 'purchase';
        switch (outcome) {
          case 'unknown':
            openOps = 1;
            ops.push({ type: first, amount: total, state: 'unknown', response_code: null, message: 'No answer from the gateway', reason: null, at });
            break;
          case 'declined':
            declined = 1;
            ops.push({ type: first, amount: total, state: 'declined', response_code: '14016', message: 'Insufficient funds', reason: null, at });
            break;
          default: {
            authorized = total;
            captured = kind === 'authorization' ? 0 : total;
            ops.push({ type: first, amount: total, state: 'succeeded', response_code: cash ? null : '14000', message: cash ? 'Cash received' : 'Success', reason: null, at });
            if (outcome === 'partially_captured') {
              captured = Math.max(1, Math.floor(total / 2));
              ops.push({ type: 'capture', amount: captured, state: 'succeeded', response_code: '04000', message: 'Success', reason: null, at: later(3_600_000) });
            } else if (outcome === 'voided') {
              voided = 1;
              ops.push({ type: 'void', amount: null, state: 'succeeded', response_code: '08000', message: 'Success', reason: 'Customer cancelled', at: later(1_800_000) });
            } else if (outcome === 'partially_refunded' || outcome === 'refunded') {
              refunded = outcome === 'refunded' ? captured : Math.max(1, Math.floor(captured / 3));
              ops.push({ type: cash ? 'cash_refund' : 'refund', amount: refunded, state: 'succeeded', response_code: cash ? null : '06000', message: 'Success', reason: 'Returned by the customer', at: later(2 * DAY) });
            }
          }
        }
        // The stored status: payment-state.ts's paymentStatus without the clock (expiry is a query).
        const status = openOps ? 'unknown' : declined ? 'declined' : voided ? 'voided' : captured === 0 ? 'authorized' : refunded > 0 ? (refunded >= captured ? 'refunded' : 'partially_refunded') : captured >= authorized ? 'captured' : 'partially_captured';
        const orderStatus = declined || openOps ? 'awaiting_payment' : voided ? 'cancelled' : kind === 'authorization' ? 'authorized' : 'paid';
        const last = ops[ops.length - 1]!;

        insOrder.run({
          id: orderId,
          reference: orderRef,
          channel: cash ? 'counter' : rnd() < 0.8 ? 'phone' : 'mail',
          customer_name: name,
          currency: cur.code,
          lines_json: JSON.stringify([{ description: item, quantity: qty, unitPrice: unit, taxRateBp: 0 }]),
          net: total,
          status: orderStatus,
          created_at: at,
          created_by: user.id,
          created_by_name: user.name,
        });
        insPayment.run({
          id: payId,
          order_id: orderId,
          reference: payRef,
          method: cash ? 'cash' : 'card',
          kind,
          currency: cur.code,
          amount: total,
          authorized,
          captured,
          refunded,
          voided,
          declined,
          open_ops: openOps,
          status,
          fort_id: cash || openOps || declined ? null : `1700${String(100000 + i).padStart(12, '0')}`,
          brand: cash ? null : pick(BRANDS),
          last4: cash ? null : String(1000 + Math.floor(rnd() * 9000)),
          expiry: cash ? null : `${28 + Math.floor(rnd() * 4)}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}`,
          holder_name: cash ? null : (name ?? '').toUpperCase() || null,
          customer_name: name,
          authorization_code: authorized && !cash ? String(100000 + Math.floor(rnd() * 900000)) : null,
          tendered: cash ? Math.ceil(total / 1000) * 1000 : null,
          change_due: cash ? Math.ceil(total / 1000) * 1000 - total : null,
          refund_seq: refunded && !cash ? 1 : 0,
          created_at: at,
          authorized_at: authorized ? at : null,
          expires_at: kind === 'authorization' && authorized ? new Date(nowMs - ageMs + AUTH_LIFETIME).toISOString() : null,
          created_by: user.id,
          updated_at: last.at,
        });
        ops.forEach((op, k) => {
          const final = op.state === 'succeeded' || op.state === 'declined';
          insOp.run({
            id: `op_seed${tag}${i.toString(36).padStart(5, '0')}${k}`,
            payment_id: payId,
            seq: k + 1,
            type: op.type,
            amount: op.amount,
            state: op.state,
            reference: op.type === 'refund' ? `${payRef}-R1` : payRef,
            attempts: op.type === 'cash_sale' || op.type === 'cash_refund' ? 0 : 1,
            response_code: op.response_code,
            message: op.message,
            user_id: user.id,
            user_name: user.name,
            reason: op.reason,
            created_at: op.at,
            updated_at: op.at,
            sent_at: op.type === 'cash_sale' || op.type === 'cash_refund' ? null : op.at,
            finished_at: final ? op.at : null,
          });
        });
      }
    })();

    // Expected figures, straight from the tables (not through listPayments).
    const nowIso = now.toISOString();
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
    const one = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    const byStatus: Record<string, number> = {};
    for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM payments GROUP BY status').all() as { status: string; n: number }[]) byStatus[r.status] = r.n;
    const counts: SeedCounts = {
      total: one('SELECT COUNT(*) AS n FROM payments'),
      today: one('SELECT COUNT(*) AS n FROM payments WHERE created_at >= ?', since),
      byStatus,
      expired: one(`SELECT COUNT(*) AS n FROM payments WHERE status = 'authorized' AND expires_at <= ?`, nowIso),
      uncaptured: one(`SELECT COUNT(*) AS n FROM payments WHERE kind = 'authorization' AND status IN ('authorized', 'partially_captured') AND expires_at > ?`, nowIso),
      unknown: one('SELECT COUNT(*) AS n FROM payments WHERE open_ops > 0'),
      ms: 0,
    };
    db.pragma('wal_checkpoint(TRUNCATE)');
    counts.ms = Math.round(performance.now() - t0);
    return counts;
  } finally {
    db.close();
  }
}
