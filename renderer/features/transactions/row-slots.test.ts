import { describe, expect, it } from 'vitest';
import { assignSlots } from './row-slots';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
const slotsOf = (m: Map<number, number>, xs: number[]) => xs.map((i) => m.get(i));

describe('row slots (React keys of the virtualised rows)', () => {
  it('a scrolled frame: rows that stay keep their slot, rows scrolled in take the freed ones', () => {
    const a = assignSlots(new Map(), range(0, 35));
    expect(slotsOf(a, range(0, 35))).toEqual(range(0, 35));
    const b = assignSlots(a, range(5, 40));
    expect(slotsOf(b, range(5, 35))).toEqual(slotsOf(a, range(5, 35)));
    expect(new Set(slotsOf(b, range(36, 40)))).toEqual(new Set(range(0, 4)));
  });

  it('fewer rows drawn (the list revealed at its real height) moves no row that stays', () => {
    const a = assignSlots(assignSlots(new Map(), range(90, 118)), range(100, 128));
    const b = assignSlots(a, range(100, 119));
    expect(slotsOf(b, range(100, 119))).toEqual(slotsOf(a, range(100, 119)));
    const c = assignSlots(b, range(100, 128));
    expect(slotsOf(c, range(100, 119))).toEqual(slotsOf(a, range(100, 119)));
  });

  it('every row drawn has its own slot, whatever the jump', () => {
    let m = new Map<number, number>();
    for (const [from, to] of [[0, 30], [400, 436], [398, 430], [0, 12], [24_960, 24_999]] as const) {
      m = assignSlots(m, range(from, to));
      const slots = slotsOf(m, range(from, to));
      expect(new Set(slots).size).toBe(slots.length);
      expect(Math.max(...(slots as number[]))).toBeLessThan(slots.length + 40);
    }
  });
});
