import { startTimer, systemClock, type Clock, type Timer } from '../clock';
import type { Logger } from '../deps';
import type { KeyedMutex } from './mutex';

/**
 * The background retries of payments whose outcome stayed unknown: one chain of retries per
 * payment with backoff, each under the payment's mutex; stops at close. What it cannot resolve
 * stays unfinished in the operation log for the next start-up sweep.
 */
export class BackgroundResolver {
  private readonly background = new Set<Promise<unknown>>();
  private readonly timers = new Set<Timer>();
  private readonly scheduled = new Set<string>();
  private closed = false;

  constructor(
    private readonly mutex: KeyedMutex,
    /** Resolves the payment's unfinished operations (called under its mutex). */
    private readonly resolve: (paymentId: string) => Promise<{ stillUnknown: boolean }>,
    private readonly retryDelays: readonly number[],
    private readonly log: Logger,
    /** Whose time the backoff waits in (the simulation's virtual clock; default real time). */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Bounded background retry with backoff; a failure here is logged, never thrown at anyone. */
  schedule(paymentId: string, attempt = 0): void {
    if (this.closed || attempt >= this.retryDelays.length) return;
    // One chain of retries per payment: a second request while one is scheduled is a no-op.
    if (attempt === 0) {
      if (this.scheduled.has(paymentId)) return;
      this.scheduled.add(paymentId);
    }
    const timer = startTimer(this.clock, () => {
      this.timers.delete(timer);
      const work = this.mutex
        .run(paymentId, () => this.resolve(paymentId))
        .then((r) => {
          if (r.stillUnknown && !this.closed && attempt + 1 < this.retryDelays.length) this.schedule(paymentId, attempt + 1);
          else this.scheduled.delete(paymentId);
        })
        .catch((err: unknown) => {
          this.scheduled.delete(paymentId);
          this.log.error({ paymentId, err: err instanceof Error ? err.message : String(err) }, 'background resolution failed');
        })
        .finally(() => this.background.delete(work));
      this.background.add(work);
    }, this.retryDelays[attempt]!);
    this.timers.add(timer);
  }

  /** Resolves once no background resolution is scheduled or running (tests, orderly shutdown). */
  async settle(): Promise<void> {
    while (this.background.size > 0 || this.timers.size > 0) {
      await Promise.allSettled([...this.background]);
      if (this.background.size === 0 && this.timers.size > 0) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops scheduling; unfinished work stays in the log for the next start-up sweep. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) t.clear();
    this.timers.clear();
    await Promise.allSettled([...this.background]);
  }
}
