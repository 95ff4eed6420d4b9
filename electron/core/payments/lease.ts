/**
 * In a shop, work this station does on a payment in the background (the offline queue's
 * forwarder, the background resolver, which may re-send) runs only under the payment's lease, as
 * live capture, void and refund do (shop/payment-guard.ts; docs/decisions/shop-money-semantics.md).
 */
export interface PaymentLease {
  /** A grant to give back when done, or null: not now (another desk works on it, or the shop's policy says wait). */
  take(paymentId: string): Promise<{ release(): Promise<void> } | null>;
}

/** A single station: nothing to coordinate with. */
export const NO_SHOP_LEASE: PaymentLease = { take: () => Promise.resolve({ release: () => Promise.resolve() }) };

/** Runs background work on the payment under its lease, or answers `notNow` without running it. */
export async function underLease<T>(lease: PaymentLease, paymentId: string, work: () => Promise<T>, notNow: T): Promise<T> {
  const grant = await lease.take(paymentId);
  if (!grant) return notNow;
  try {
    return await work();
  } finally {
    await grant.release();
  }
}
