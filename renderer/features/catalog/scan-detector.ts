import type { ScannerSettingsT } from '../../../shared/contract';

/**
 * Tells a keyboard-wedge scanner from a person by timing (docs/decisions/catalog-and-scanner.md):
 * a scanner types a whole code in a burst, a few milliseconds per character, then its suffix
 * (Enter or Tab); people leave 60-250 ms between keys. A scan is a run of at least `minLength`
 * printable characters, EVERY gap between them within `maxKeyGapMs`, and the suffix within the same
 * gap (with suffix 'none': a pause of `maxKeyGapMs` after the run). One slower gap starts the run
 * again from that key, so the digits a person typed before a scan are never part of its code.
 *
 * The times are the events' own `timeStamp`s, which Chromium takes from the input device when the
 * key happened, not when the page got round to it: a busy main thread hands over a person's keys
 * late and in one batch, yet their times stay a person's, and a scanner's burst handed over late
 * stays a burst. Nothing here reads a clock (tested key by key, with batches delivered late).
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

export class ScanDetector {
  private buf = '';
  private last = -Infinity;
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
      const scan = fast && code.length >= this.settings.minLength;
      this.reset();
      return scan ? { kind: 'scan', code, chars: code.length } : { kind: 'pass' };
    }
    if (k.key.length !== 1) {
      // Shift, arrows, Backspace…: not part of a code. Shift comes before capitals: keep the burst.
      if (k.key !== 'Shift') this.reset();
      return { kind: 'pass' };
    }
    const joins = this.buf !== '' && fast;
    this.started = !joins;
    this.buf = joins ? this.buf + k.key : k.key;
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

  /** The possible code typed so far. */
  get soFar(): string {
    return this.buf;
  }
}
