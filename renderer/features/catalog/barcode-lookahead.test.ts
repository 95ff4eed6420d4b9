import { describe, expect, it } from 'vitest';
import { BarcodeLookahead } from './barcode-lookahead';

/** A lookup that records what it was asked and answers when told to. */
function lookups() {
  const asked: string[] = [];
  const waiting = new Map<string, { resolve: (v: string | null) => void; reject: (e: unknown) => void }>();
  const lookup = (code: string) =>
    new Promise<string | null>((resolve, reject) => {
      asked.push(code);
      waiting.set(code, { resolve, reject });
    });
  return { asked, lookup, answer: (code: string, v: string | null) => waiting.get(code)!.resolve(v), fail: (code: string) => waiting.get(code)!.reject(new Error('down')) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Types `code` one key at a time as the scanner hook reports a burst (from the minimum length, 4). */
function typeBurst(ahead: BarcodeLookahead<string | null>, code: string) {
  for (let n = 4; n <= code.length; n++) ahead.burst(code.slice(0, n));
}

describe('barcode lookahead', () => {
  it('looks a burst up at the GS1 lengths only, once each', () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, '4006381333931');
    ahead.burst('4006381333931');
    expect(l.asked).toEqual(['40063813', '400638133393', '4006381333931']);
  });

  it('the suffix finds the answer already here when it came back during the burst', async () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, '4006381333931');
    l.answer('4006381333931', 'Kettle');
    await tick();
    expect(ahead.take('4006381333931')).toEqual({ settled: { ok: true, value: 'Kettle' } });
    expect(l.asked).toHaveLength(3);
  });

  it('the suffix waits for the request made ahead rather than asking again', async () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, '4006381333931');
    const got = ahead.take('4006381333931');
    expect('promise' in got).toBe(true);
    l.answer('4006381333931', 'Kettle');
    await expect((got as { promise: Promise<string | null> }).promise).resolves.toBe('Kettle');
    expect(l.asked).toHaveLength(3);
  });

  it('a failed lookup ahead is the scan\'s failure, said once', async () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, '12345678');
    l.fail('12345678');
    await tick();
    const got = ahead.take('12345678');
    expect('settled' in got && !got.settled.ok).toBe(true);
  });

  it('a code of another length, or one that went on past the answer, is asked at the suffix', () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, 'ABC12345X');
    expect(l.asked).toEqual(['ABC12345']);
    expect('promise' in ahead.take('ABC12345X')).toBe(true);
    expect(l.asked).toEqual(['ABC12345', 'ABC12345X']);
  });

  it('learns the lengths this station scans: the next code of that length is looked up ahead', () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    ahead.take('SKU-00042');
    l.asked.length = 0;
    typeBurst(ahead, 'SKU-00077');
    expect(l.asked).toEqual(['SKU-0007', 'SKU-00077']);
  });

  it('an answer from a burst long ago (typing, never scanned) is not used: the product may have changed', async () => {
    const l = lookups();
    let now = 0;
    const ahead = new BarcodeLookahead(l.lookup, () => now);
    typeBurst(ahead, '12345678');
    l.answer('12345678', 'old price');
    await tick();
    now = 60_000;
    const got = ahead.take('12345678');
    expect('promise' in got).toBe(true);
    expect(l.asked).toEqual(['12345678', '12345678']);
  });

  it('each answer ahead is used by one scan only', async () => {
    const l = lookups();
    const ahead = new BarcodeLookahead(l.lookup, () => 0);
    typeBurst(ahead, '12345678');
    l.answer('12345678', 'Mug');
    await tick();
    expect('settled' in ahead.take('12345678')).toBe(true);
    expect('promise' in ahead.take('12345678')).toBe(true);
  });
});
