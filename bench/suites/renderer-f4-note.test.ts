import { describe, expect, it } from 'vitest';
import { notAheadNote } from './renderer';

describe("F4's note: which presses came before the list was drawn ahead", () => {
  it('counts and lists the presses that found no row drawn ahead', () => {
    const note = notAheadNote([
      { ms: 48, ahead: true },
      { ms: 212, ahead: false },
      { ms: 61, ahead: true },
      { ms: 149, ahead: false },
    ]);
    expect(note).toBe('drawn ahead: 2, max 61 ms; not yet drawn at the key: 2 (212, 149 ms)');
  });

  it('says so when every press found the list drawn', () => {
    expect(notAheadNote([{ ms: 50, ahead: true }])).toBe('drawn ahead: 1, max 50 ms; not yet drawn at the key: 0');
  });
});
