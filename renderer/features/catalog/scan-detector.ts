import type { ScannerSettingsT } from '../../../shared/contract';

/**
 * Tells a keyboard-wedge scanner from a person by timing (docs/decisions/catalog-and-scanner.md):
 * a scanner types a whole code in a burst, a few milliseconds per character, then its suffix
 * (Enter or Tab); people leave 60-250 ms between keys. A run of at least `minLength` printable
 * characters, each within `maxKeyGapMs` of the one before, followed by the suffix within the same
 * gap, is a scan. With suffix 'none' the burst ends with a pause of `maxKeyGapMs`.
 *
 * A busy computer may hand the page one key of a burst late. So one or two slower gaps (up to
 * HICCUP times the limit) do not break a burst whose keys so far were all scanner-fast, as long
 * as the burst's average gap stays within the limit; a person's keys are slow from the start, so
 * the digits a person typed before a scan are never taken as part of its code.
 *
 * No DOM and no clock of its own (times come with the keys), so it is tested key by key.
 */

export interface KeyIn {
  key: string;
  /** ms, from the event's timeStamp. */
  time: number;
  /** Ctrl/Alt/Meta held: a shortcut, never part of a code. */
  modified: boolean;
}

export type Verdict =
  /** Not (yet) a scan: let the key do what it does. */
  | { kind: 'pass' }
  /** The suffix of a scan: swallow this key; `code` was scanned, `chars` keys of it reached the page. */
  | { kind: 'scan'; code: string; chars: number };

/** How much slower than the limit one late key of a fast burst may be. */
const HICCUP = 4;
const MAX_HICCUPS = 2;

export class ScanDetector {
  private buf = '';
  private last = -Infinity;
  private gaps = 0;
  private hiccups = 0;
  /** The last key began a new possible code (the hook remembers the field's text from before it). */
  started = false;

  constructor(private settings: Pick<ScannerSettingsT, 'maxKeyGapMs' | 'minLength' | 'suffix'>) {}

  configure(settings: Pick<ScannerSettingsT, 'maxKeyGapMs' | 'minLength' | 'suffix'>): void {
    this.settings = settings;
    this.reset();
  }

  reset(): void {
    this.buf = '';
    this.last = -Infinity;
    this.gaps = 0;
    this.hiccups = 0;
  }

  /** Mean gap of the burst if `gap` is added to it. */
  private meanWith(gap: number): number {
    return (this.gaps + gap) / this.buf.length;
  }

  /** A slow gap inside a burst that has been scanner-fast so far. */
  private isHiccup(gap: number): boolean {
    const max = this.settings.maxKeyGapMs;
    return this.buf.length >= 2 && this.hiccups < MAX_HICCUPS && gap <= max * HICCUP && this.gaps / (this.buf.length - 1) <= max;
  }

  /** The burst so far starts a new code when this key comes too late after the previous one. */
  key(k: KeyIn): Verdict {
    const gap = k.time - this.last;
    const fast = gap <= this.settings.maxKeyGapMs;
    this.started = false;
    if (k.modified) {
      this.reset();
      return { kind: 'pass' };
    }
    if (k.key === this.settings.suffix) {
      const code = this.buf;
      const inTime = (fast || this.isHiccup(gap)) && this.meanWith(gap) <= this.settings.maxKeyGapMs;
      const scan = inTime && code.length >= this.settings.minLength;
      this.reset();
      return scan ? { kind: 'scan', code, chars: code.length } : { kind: 'pass' };
    }
    if (k.key.length !== 1) {
      // Shift, arrows, Backspace…: not part of a code. Shift comes before capitals: keep the burst.
      if (k.key !== 'Shift') this.reset();
      return { kind: 'pass' };
    }
    const hiccup = !fast && this.isHiccup(gap);
    const joins = this.buf !== '' && (fast || hiccup);
    this.started = !joins;
    if (joins) {
      this.gaps += gap;
      if (hiccup) this.hiccups++;
      this.buf += k.key;
    } else {
      this.buf = k.key;
      this.gaps = 0;
      this.hiccups = 0;
    }
    this.last = k.time;
    return { kind: 'pass' };
  }

  /**
   * Suffix 'none': called `maxKeyGapMs` after the last key (a timer in the hook); a long enough
   * burst that stopped is a scan.
   */
  pause(now: number): Verdict {
    if (this.settings.suffix !== 'none' || now - this.last < this.settings.maxKeyGapMs) return { kind: 'pass' };
    const code = this.buf;
    this.reset();
    return code.length >= this.settings.minLength ? { kind: 'scan', code, chars: code.length } : { kind: 'pass' };
  }

  /** How many characters of a possible code have been typed (the hook keeps the field's text from before them). */
  get pending(): number {
    return this.buf.length;
  }
}
