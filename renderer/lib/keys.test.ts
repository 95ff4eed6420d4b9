import { describe, expect, it } from 'vitest';
import { matches } from './keys';

/** A keydown as the browser reports it: `key` is what the layout types, `code` the physical key. */
function press(key: string, code: string, mods: { shift?: boolean; alt?: boolean; ctrl?: boolean } = {}): KeyboardEvent {
  return { key, code, shiftKey: !!mods.shift, altKey: !!mods.alt, ctrlKey: !!mods.ctrl, metaKey: false } as KeyboardEvent;
}

describe('shortcuts match the physical key, whatever the keyboard layout', () => {
  it('"/" is the Slash key: on an Arabic layout it types "ظ"', () => {
    expect(matches(press('ظ', 'Slash'), '/')).toBe(true);
    expect(matches(press('/', 'Slash'), '/')).toBe(true);
    // Shift+Slash is "?" (Arabic "؟"), not "/".
    expect(matches(press('؟', 'Slash', { shift: true }), '/')).toBe(false);
    expect(matches(press('؟', 'Slash', { shift: true }), '?')).toBe(true);
    expect(matches(press('ظ', 'Slash'), '?')).toBe(false);
  });

  it('a key that types "/" elsewhere (numpad) still counts', () => {
    expect(matches(press('/', 'NumpadDivide'), '/')).toBe(true);
  });

  it('Alt+letter and Alt+digit by physical key on an Arabic layout', () => {
    expect(matches(press('ى', 'KeyN', { alt: true }), 'Alt+N')).toBe(true);
    expect(matches(press('ؤ', 'KeyC', { alt: true }), 'Alt+C')).toBe(true);
    expect(matches(press('م', 'KeyL', { alt: true }), 'Alt+L')).toBe(true);
    expect(matches(press('ى', 'KeyN', { alt: true }), 'Alt+C')).toBe(false);
    expect(matches(press('ى', 'KeyN'), 'Alt+N')).toBe(false);
    expect(matches(press('١', 'Digit1', { alt: true }), 'Alt+1')).toBe(true);
  });

  it('named keys keep their names', () => {
    expect(matches(press('F2', 'F2'), 'F2')).toBe(true);
    expect(matches(press('Enter', 'Enter', { ctrl: true }), 'Ctrl+Enter')).toBe(true);
    expect(matches(press('Escape', 'Escape'), 'Escape')).toBe(true);
  });
});
