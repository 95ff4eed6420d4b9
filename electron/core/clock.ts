/** Time source of the core; tests and the sandbox drive it. */
export interface Clock {
  now(): Date;
  /**
   * Runs `fn` once after `ms` of this clock's time. Absent: the process timer (real time). The
   * deterministic simulation's virtual clock provides it, so every wait of the core (retry
   * backoff, probes, passes, ticks) happens in simulated time, in an order the seed decides.
   */
  setTimer?(fn: () => void, ms: number): Timer;
}

/** A scheduled callback that can be cancelled. */
export interface Timer {
  clear(): void;
}

export const systemClock: Clock = { now: () => new Date() };

/** `fn` after `ms` on `clock` (its own timers when it has them, else an unref'd process timer). */
export function startTimer(clock: Clock, fn: () => void, ms: number): Timer {
  if (clock.setTimer) return clock.setTimer(fn, ms);
  const t = setTimeout(fn, ms);
  t.unref?.();
  return { clear: () => clearTimeout(t) };
}

/** `fn` every `ms` on `clock` until cleared. */
export function startInterval(clock: Clock, fn: () => void, ms: number): Timer {
  let current: Timer | null = null;
  let stopped = false;
  const arm = (): void => {
    current = startTimer(
      clock,
      () => {
        if (stopped) return;
        arm();
        fn();
      },
      ms,
    );
  };
  arm();
  return {
    clear() {
      stopped = true;
      current?.clear();
    },
  };
}

/** Resolves after `ms` on `clock`. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => startTimer(clock, resolve, ms));
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-01-15T10:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(d: Date | string): void {
    this.t = new Date(d).getTime();
  }
}
