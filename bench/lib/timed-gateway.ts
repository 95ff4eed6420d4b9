import type { Gateway } from '../../electron/gateway/types';

/**
 * Wraps a Gateway so that the time spent inside its calls (request building and signing,
 * the HTTP round trip, the sandbox's own work, response verification) is accounted for and
 * can be subtracted from a core operation's wall time. Calls run one at a time in the bench,
 * so a single accumulator is exact.
 */
export class TimedGateway {
  private readonly acc = { spentMs: 0, calls: 0 };
  readonly gateway: Gateway;

  /** Total ms spent inside gateway calls since creation. */
  get spentMs(): number {
    return this.acc.spentMs;
  }

  get calls(): number {
    return this.acc.calls;
  }

  constructor(inner: Gateway) {
    const acc = this.acc;
    const done = (t0: number) => {
      acc.spentMs += performance.now() - t0;
      acc.calls++;
    };
    this.gateway = new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const t0 = performance.now();
          let out: unknown;
          try {
            out = (v as (...a: unknown[]) => unknown).apply(target, args);
          } catch (e) {
            done(t0);
            throw e;
          }
          if (out instanceof Promise) return out.finally(() => done(t0));
          done(t0);
          return out;
        };
      },
    });
  }
}
