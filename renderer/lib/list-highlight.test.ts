import { describe, expect, it } from 'vitest';
import { highlightIndex, keptHighlight, movedHighlight } from './list-highlight';

const id = (x: { id: string }) => x.id;
const list = (...ids: string[]) => ids.map((i) => ({ id: i }));

describe('list highlight', () => {
  it('an answer that still lists the highlighted entry keeps it, wherever it moved', () => {
    const next = list('b', 'a');
    expect(keptHighlight('a', next, id)).toBe('a');
    expect(highlightIndex('a', next, id)).toBe(1);
  });

  it('an answer without it drops the highlight rather than taking what sits at the old position', () => {
    expect(keptHighlight('a', list('b', 'c'), id)).toBeNull();
    expect(keptHighlight(null, list('b'), id)).toBeNull();
    expect(highlightIndex(null, list('b'), id)).toBe(-1);
  });

  it('arrows move one step and stop at the ends', () => {
    const items = list('a', 'b', 'c');
    expect(movedHighlight(null, items, id, 1)).toBe('a');
    expect(movedHighlight('a', items, id, 1)).toBe('b');
    expect(movedHighlight('c', items, id, 1)).toBe('c');
    expect(movedHighlight('b', items, id, -1)).toBe('a');
    expect(movedHighlight('a', items, id, -1)).toBe('a');
    expect(movedHighlight(null, items, id, -1)).toBe('a');
    expect(movedHighlight('a', [], id, 1)).toBeNull();
  });

  it('a list whose first entry shows highlighted moves on from it', () => {
    const items = list('a', 'b');
    expect(movedHighlight(null, items, id, 1, 0)).toBe('b');
    expect(movedHighlight(null, items, id, -1, 0)).toBe('a');
    expect(movedHighlight('gone', items, id, 1, 0)).toBe('b');
  });
});
