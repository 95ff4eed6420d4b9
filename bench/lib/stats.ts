/** Order statistics over raw samples (nearest-rank percentiles: p99 of 1,000 samples is the 990th). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const p50 = (s: readonly number[]) => percentile(s, 50);
export const p95 = (s: readonly number[]) => percentile(s, 95);
export const p99 = (s: readonly number[]) => percentile(s, 99);

export function mean(s: readonly number[]): number {
  return s.reduce((a, b) => a + b, 0) / s.length;
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Deterministic (mulberry32, the core's) so that query sets are the same run to run. */
export { prng } from '../../electron/core/prng';
