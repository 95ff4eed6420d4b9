/**
 * Looks a barcode up while the scanner is still typing it, so that its suffix (Enter) finds the
 * product already here and the line goes on screen in the frame after Enter, not one round trip
 * and one frame later (docs/performance.md, scan to line).
 *
 * A scanner sends a code's keys a few milliseconds apart; the code is complete only at its suffix,
 * but most codes have one of a few lengths: the GS1 lengths (EAN-8, UPC-A, EAN-13, GTIN-14) and
 * the lengths this station has scanned before. When a burst reaches such a length, its text so far
 * is looked up ahead. At the suffix, an answer for exactly the scanned code is used; anything else
 * (another length, a code that went on) is looked up then, as without this.
 *
 * Read-only lookups only: an answer ahead is never acted on until the scan is complete, and a
 * burst that turns out to be typing just leaves an unused answer behind.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const GS1_LENGTHS: readonly number[] = [8, 12, 13, 14];
/** Lengths learned from scans, kept in a bounded set (a station's scanners read a few symbologies). */
const MAX_LEARNED = 8;

/** A scanner's whole code takes well under this; an answer older than it is asked again. */
const MAX_AGE_MS = 1_000;

interface Ahead<T> {
  code: string;
  /** When it was asked (ms, the page's clock). */
  at: number;
  promise: Promise<T>;
  settled: Settled<T> | null;
}

export class BarcodeLookahead<T> {
  private readonly lengths = new Set<number>(GS1_LENGTHS);
  private readonly learned: number[] = [];
  private ahead: Ahead<T> | null = null;

  constructor(
    private readonly lookup: (code: string) => Promise<T>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The burst so far (typed at scanner speed): looked up if its length is one codes have. */
  burst(soFar: string): void {
    if (!this.lengths.has(soFar.length) || this.ahead?.code === soFar) return;
    const entry: Ahead<T> = { code: soFar, at: this.now(), promise: this.lookup(soFar), settled: null };
    entry.promise.then(
      (value) => {
        entry.settled = { ok: true, value };
      },
      (error: unknown) => {
        entry.settled = { ok: false, error };
      },
    );
    this.ahead = entry;
  }

  /**
   * The scanned code's answer: already here (`settled`), on its way (`promise`, the request made
   * ahead), or asked now. Either way the code's length is remembered for the next scans.
   */
  take(code: string): { settled: Settled<T> } | { promise: Promise<T> } {
    this.learn(code.length);
    const ahead = this.ahead;
    this.ahead = null;
    // An answer from a burst long gone (fast typing that was never a scan) is not trusted: the product may have changed since.
    if (ahead?.code === code && this.now() - ahead.at <= MAX_AGE_MS) return ahead.settled ? { settled: ahead.settled } : { promise: ahead.promise };
    return { promise: this.lookup(code) };
  }

  private learn(length: number): void {
    if (this.lengths.has(length)) return;
    this.lengths.add(length);
    this.learned.push(length);
    if (this.learned.length > MAX_LEARNED) this.lengths.delete(this.learned.shift()!);
  }
}
