import { describe, expect, it } from 'vitest';
import { DEFAULT_SCANNER } from '../../../shared/contract';
import { ScanDetector, type Verdict } from './scan-detector';

/** Feeds `text` then `suffix`, one key every `gapMs` (scanner: ~2-10 ms; a person: 60-250 ms). */
function typeAt(d: ScanDetector, text: string, gapMs: number | number[], suffix: string | null = 'Enter', start = 1000): Verdict[] {
  const gaps = Array.isArray(gapMs) ? gapMs : [gapMs];
  let t = start;
  const out: Verdict[] = [];
  [...text, ...(suffix ? [suffix] : [])].forEach((key, i) => {
    t += gaps[i % gaps.length]!;
    out.push(d.key({ key, time: t, modified: false }));
  });
  return out;
}

const last = (v: Verdict[]) => v.at(-1)!;

describe('ScanDetector', () => {
  it('a code typed at scanner speed and ended by Enter is a scan; no earlier key is', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    const v = typeAt(d, '4006381333931', 4);
    expect(v.slice(0, -1).every((x) => x.kind === 'pass')).toBe(true);
    expect(last(v)).toEqual({ kind: 'scan', code: '4006381333931', chars: 13 });
  });

  it('the same keys at a person\'s speed are typing, even the fastest typist (60 ms)', () => {
    for (const gap of [60, 120, 250, [45, 70, 38, 90]]) {
      const d = new ScanDetector(DEFAULT_SCANNER);
      expect(last(typeAt(d, '4006381333931', gap)), String(gap)).toEqual({ kind: 'pass' });
    }
  });

  it('a burst that began after slow typing counts only from where the speed changed', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    typeAt(d, 'mug', 150, null, 0);
    const v = typeAt(d, '0012345678905', 5, 'Enter', 2000);
    expect(last(v)).toEqual({ kind: 'scan', code: '0012345678905', chars: 13 });
  });

  it('a pause before the suffix makes it a person pressing Enter, not a scan', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    typeAt(d, '4006381333931', 4, null, 0);
    expect(d.key({ key: 'Enter', time: 52 + 400, modified: false })).toEqual({ kind: 'pass' });
  });

  it('shorter than minLength is not a scan (a quick "12" + Enter in a quantity field)', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    expect(last(typeAt(d, '12', 5))).toEqual({ kind: 'pass' });
  });

  it('the suffix is per station: Tab when set, and then Enter is only a key', () => {
    const d = new ScanDetector({ ...DEFAULT_SCANNER, suffix: 'Tab' });
    expect(last(typeAt(d, 'ABC-123-X', 3, 'Enter'))).toEqual({ kind: 'pass' });
    expect(last(typeAt(d, 'ABC-123-X', 3, 'Tab', 5000))).toEqual({ kind: 'scan', code: 'ABC-123-X', chars: 9 });
  });

  it('the speed is per station: a slow Bluetooth scanner (50 ms a key) passes when the gap allows it', () => {
    const strict = new ScanDetector(DEFAULT_SCANNER);
    expect(last(typeAt(strict, '96385074', 50))).toEqual({ kind: 'pass' });
    const slow = new ScanDetector({ ...DEFAULT_SCANNER, maxKeyGapMs: 60 });
    expect(last(typeAt(slow, '96385074', 50))).toMatchObject({ kind: 'scan', code: '96385074' });
  });

  it('Shift inside a burst (capitals) keeps it; a shortcut or an arrow key breaks it', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    let t = 0;
    const k = (key: string, modified = false) => d.key({ key, time: (t += 3), modified });
    for (const c of 'ab') k(c);
    k('Shift');
    for (const c of 'CD') k(c);
    expect(k('Enter')).toEqual({ kind: 'scan', code: 'abCD', chars: 4 });
    for (const c of 'abcd') k(c);
    k('ArrowLeft');
    expect(k('Enter')).toEqual({ kind: 'pass' });
    for (const c of 'abcd') k(c);
    k('a', true);
    expect(k('Enter')).toEqual({ kind: 'pass' });
  });

  it('suffix "none": the burst ends with a pause, then it is a scan', () => {
    const d = new ScanDetector({ ...DEFAULT_SCANNER, suffix: 'none' });
    typeAt(d, '4006381333931', 4, null, 0);
    expect(d.pause(52 + 10)).toEqual({ kind: 'pass' }); // still within the gap: more may come
    expect(d.pause(52 + 40)).toEqual({ kind: 'scan', code: '4006381333931', chars: 13 });
    typeAt(d, 'abc', 200, null, 1000);
    expect(d.pause(2000)).toEqual({ kind: 'pass' });
  });

  it('says when a key began a new possible code (so the field text from before it can be put back)', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    d.key({ key: 'x', time: 0, modified: false });
    expect(d.started).toBe(true);
    d.key({ key: 'y', time: 200, modified: false });
    expect(d.started).toBe(true);
    d.key({ key: 'z', time: 203, modified: false });
    expect(d.started).toBe(false);
  });

  it('every gap counts: one slow key anywhere starts the code again from it; none may be "forgiven"', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    // 13 digits 3 ms apart but one gap of 100 ms: only the 7 keys after it are a burst.
    expect(last(typeAt(d, '5012345678900', [3, 3, 3, 3, 3, 3, 100, 3, 3, 3, 3, 3, 3, 3]))).toEqual({ kind: 'scan', code: '5678900', chars: 7 });
    // Slow gaps every few keys: no run of minLength is left.
    expect(last(typeAt(d, '5012345678900', [3, 3, 100, 3, 3, 100, 3, 3, 100, 3, 3, 100, 3, 3], 'Enter', 5000))).toEqual({ kind: 'pass' });
    // Exactly at the limit is still a scanner; 1 ms over is not.
    expect(last(typeAt(d, '50123', 35, 'Enter', 9000))).toMatchObject({ kind: 'scan', code: '50123' });
    expect(last(typeAt(d, '50123', [35, 35, 36, 35, 35, 35], 'Enter', 12000))).toEqual({ kind: 'pass' });
  });

  it('a fast typist: rolled-over keys as close as 10-30 ms among ordinary ones are typing', () => {
    // Bigrams typed with overlapping fingers come out very close together; the rest at 70-140 ms.
    const typist = [20, 110, 12, 90, 25, 70, 30, 140, 18, 80, 28, 95, 15, 120];
    for (const text of ['0012345678912', 'the quick fox', 'Kettle 2 pcs']) {
      const d = new ScanDetector(DEFAULT_SCANNER);
      const v = typeAt(d, text, typist);
      expect(v.every((x) => x.kind === 'pass'), text).toBe(true);
    }
    // Even three quick keys then Enter 10 ms later: shorter than minLength.
    const d = new ScanDetector(DEFAULT_SCANNER);
    expect(last(typeAt(d, 'abc', [100, 10, 10, 10]))).toEqual({ kind: 'pass' });
  });

  it('keys handed over late in one batch keep their own times: a person\'s stay typing, a scanner\'s stay a scan', () => {
    // The detector reads no clock: the page being busy (when the keys are delivered) cannot matter.
    const now = performance.now;
    const dateNow = Date.now;
    performance.now = () => {
      throw new Error('the detector read the clock');
    };
    Date.now = performance.now;
    try {
      // A person's 13 keys at 120 ms, all delivered at once after a 2 s stall: their stamps are 120 ms apart.
      const person = new ScanDetector(DEFAULT_SCANNER);
      const stamps = [...'0012345678912', 'Enter'].map((key, i) => ({ key, time: 1000 + i * 120, modified: false }));
      expect(stamps.map((k) => person.key(k)).every((v) => v.kind === 'pass')).toBe(true);
      // A scanner's burst (4 ms apart) delivered in the same late batch after the person's keys.
      const burst = [...'4006381333931', 'Enter'].map((key, i) => ({ key, time: 3000 + i * 4, modified: false }));
      const both = new ScanDetector(DEFAULT_SCANNER);
      const v = [...stamps, ...burst].map((k) => both.key(k));
      expect(v.filter((x) => x.kind === 'scan')).toEqual([{ kind: 'scan', code: '4006381333931', chars: 13 }]);
    } finally {
      performance.now = now;
      Date.now = dateNow;
    }
  });

  it('a person\'s slow keys never become the start of a code, however fast the scan after them', () => {
    const d = new ScanDetector(DEFAULT_SCANNER);
    typeAt(d, '12', 90, null, 0); // a quantity typed; the scan follows 100 ms later
    const v = typeAt(d, '0012345678905', [100, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 'Enter', 180);
    expect(last(v)).toEqual({ kind: 'scan', code: '0012345678905', chars: 13 });
  });
});
