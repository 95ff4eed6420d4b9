/** The child side of bench/lib/child.ts, apart from it: a child imports nothing it does not use (its RSS is measured). */
export const MARK = 'BENCH_JSON=';

/** Child side: hand the parent one JSON value. */
export function emit(value: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(value)}\n`);
}
