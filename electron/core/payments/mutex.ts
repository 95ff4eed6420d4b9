/**
 * One operation in flight per key (payment id, order id). Totals-based resolution of an UNKNOWN
 * operation is only sound if nothing else moved the payment meanwhile, so every change of a
 * payment runs inside `run(paymentId, …)`. In-process only: one core per ledger file.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous.catch(() => undefined);
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
