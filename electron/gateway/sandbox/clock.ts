import type { SandboxClock } from './types';

/**
 * The sandbox's own notion of "now": real time plus an offset. Tests move it forward to reach the
 * 7-day authorization expiry or a confirmation timeout without waiting. The offset (not the
 * absolute time) is what persists, so a restarted sandbox keeps ticking from where it was moved to.
 */
export class OffsetClock implements SandboxClock {
  constructor(
    private offsetMs: number,
    private readonly persist: (offsetMs: number) => void,
  ) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('advance(ms) needs a finite number');
    this.offsetMs += Math.trunc(ms);
    this.persist(this.offsetMs);
  }

  set(d: Date): void {
    const t = d.getTime();
    if (Number.isNaN(t)) throw new RangeError('set(d) needs a valid date');
    this.offsetMs = t - Date.now();
    this.persist(this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }
}
