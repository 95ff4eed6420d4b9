import { describe, expect, it } from 'vitest';
import { keepSameRows } from './same-rows';

const row = (id: string, status = 'captured', amount = 100) => ({ id, status, amount, last4: null as string | null });

describe('keepSameRows', () => {
  it('returns the old array when the page read again is the same', () => {
    const old = [row('a'), row('b')];
    expect(keepSameRows(old, [row('a'), row('b')])).toBe(old);
  });

  it('keeps each unchanged row object and takes the changed and new ones', () => {
    const old = [row('a'), row('b'), row('c')];
    const fresh = [row('n'), row('a'), row('b', 'refunded'), row('c')];
    const out = keepSameRows(old, fresh);
    expect(out).toEqual(fresh);
    expect(out[0]).toBe(fresh[0]);
    expect(out[1]).toBe(old[0]);
    expect(out[2]).toBe(fresh[2]);
    expect(out[3]).toBe(old[2]);
  });

  it('notices a field that became null, a field added, and a shorter page', () => {
    const old = [{ ...row('a'), last4: '4242' }, row('b')];
    expect(keepSameRows(old, [row('a'), row('b')])[0]!.last4).toBeNull();
    const added = keepSameRows([row('a')], [{ ...row('a'), extra: 1 } as ReturnType<typeof row>]);
    expect(added[0]).toHaveProperty('extra', 1);
    const shorter = keepSameRows(old, [old[1]!]);
    expect(shorter).toEqual([old[1]]);
    expect(shorter).not.toBe(old);
  });

  it('takes the fresh page as it is when nothing was shown', () => {
    const fresh = [row('a')];
    expect(keepSameRows([], fresh)).toBe(fresh);
  });
});
