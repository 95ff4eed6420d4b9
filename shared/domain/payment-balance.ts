import { allowedAction, type PaymentTotals } from './payment-state';

/**
 * What is left of a payment and what becomes of it: the one figure every screen shows (summary,
 * forms, queue), computed by the core from the recorded totals and those after the queued work.
 *
 * The rules it reads are payment-state.ts's, checked against APS (docs/money.md, "What remains"):
 * a void releases the whole authorization and is refused once anything was captured (APS "Void
 * Authorization API": only before the authorization has been captured; sandbox 09034); a capture
 * needs the authorization still authorized or captured, so none after a refund (APS "Capturing a
 * Payment": the payment must be in an authorized state; sandbox 05034) and none after 7 days. An
 * uncaptured rest that can be neither captured nor voided lapses with the authorization.
 */
export type RestFate =
  /** Nothing authorized and uncaptured (a sale, a cash payment, everything captured, declined). */
  | 'none'
  /** Can be captured (until `until`), or voided while nothing was captured. */
  | 'capturable'
  /** Cannot be captured any more (a refund was made) nor voided (money was captured): lapses at `until`. */
  | 'lapses'
  /** The authorization lapsed at `until` with this much never captured. */
  | 'lapsed'
  /** A void is queued: released once it reaches the gateway. */
  | 'void_queued'
  /** Released by a void. */
  | 'voided';

export interface PaymentBalance {
  /** Authorized and not captured (after queued captures); for 'voided' / 'lapsed' what was released. */
  uncaptured: number;
  fate: RestFate;
  /** When the authorization lapses (or lapsed); null when it does not apply. */
  until: string | null;
  /** Whether a void of the rest is still possible now (nothing captured, not expired). */
  canVoid: boolean;
  /** What may still be refunded: captured − refunded, after queued captures and refunds (= the refund form's most). */
  refundable: number;
  /** Amounts waiting in the offline queue for this payment. */
  queuedCapture: number;
  queuedRefund: number;
}

export interface QueuedOp {
  type: string;
  amount: number | null;
}

/** `recorded`: what the gateway has confirmed; `queued`: operations of this payment still waiting to be sent. */
export function paymentBalance(recorded: PaymentTotals, queued: readonly QueuedOp[], now: Date): PaymentBalance {
  let queuedCapture = 0;
  let queuedRefund = 0;
  let voidQueued = false;
  for (const op of queued) {
    if (op.type === 'capture') queuedCapture += op.amount ?? 0;
    else if (op.type === 'refund') queuedRefund += op.amount ?? 0;
    else if (op.type === 'void') voidQueued = true;
  }
  const captured = recorded.captured + queuedCapture;
  const refunded = recorded.refunded + queuedRefund;
  // The rules, not the moment: an outcome still being checked does not change what the rest may become.
  const after: PaymentTotals = { ...recorded, captured, refunded, voided: recorded.voided || voidQueued, unknown: false };
  const refundable = recorded.method === 'card' && recorded.declined ? 0 : Math.max(0, captured - refunded);
  const base = { refundable, queuedCapture, queuedRefund, canVoid: allowedAction('void', after, now).allowed };
  const rest = Math.max(0, recorded.authorized - captured);
  const until = recorded.expiresAt;
  if (recorded.method !== 'card' || recorded.declined || rest === 0) return { ...base, uncaptured: 0, fate: 'none', until: null };
  if (recorded.voided) return { ...base, uncaptured: rest, fate: 'voided', until: null };
  if (voidQueued) return { ...base, uncaptured: rest, fate: 'void_queued', until: null };
  if (until !== null && now.getTime() >= Date.parse(until)) return { ...base, uncaptured: rest, fate: 'lapsed', until };
  if (allowedAction('capture', after, now).allowed) return { ...base, uncaptured: rest, fate: 'capturable', until };
  return { ...base, uncaptured: rest, fate: 'lapses', until };
}
