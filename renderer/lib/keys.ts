import { useLayoutEffect, useRef } from 'react';

/**
 * Keyboard shortcuts as text: "F2", "Alt+N", "Ctrl+Enter", "/", "Escape". A shortcut without a
 * modifier (a letter, "/") never fires while the person types in a field.
 */
export type Shortcut = string;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit'].includes(type);
  }
  return false;
}

/**
 * The character a punctuation key makes on a US layout, by its physical key (event.code), so "/" and
 * "?" work whatever the keyboard layout (on an Arabic layout the Slash key types "ظ", Shift+Slash "؟").
 */
const PUNCTUATION: Record<string, [plain: string, shifted: string]> = {
  Slash: ['/', '?'],
  Period: ['.', '>'],
  Comma: [',', '<'],
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Backquote: ['`', '~'],
};

/** Letters, digits and punctuation by physical key; named keys (F2, Enter, Escape) by their name. */
function keyName(e: KeyboardEvent): string {
  if (e.code.startsWith('Key')) return e.code.slice(3);
  if (e.code.startsWith('Digit')) return e.code.slice(5);
  const punct = PUNCTUATION[e.code];
  if (punct) return punct[e.shiftKey ? 1 : 0];
  if (e.key === ' ') return 'Space';
  return e.key.length === 1 ? e.key.toUpperCase() : e.key;
}

export function matches(e: KeyboardEvent, shortcut: Shortcut): boolean {
  const parts = shortcut.split('+');
  const key = parts[parts.length - 1] ?? '';
  const wantCtrl = parts.includes('Ctrl');
  const wantAlt = parts.includes('Alt');
  const wantShift = parts.includes('Shift');
  if (wantCtrl !== (e.ctrlKey || e.metaKey) || wantAlt !== e.altKey) return false;
  if (key !== '/' && key !== '?' && wantShift !== e.shiftKey) return false;
  // The physical key first; the typed character too, for a layout that puts "/" elsewhere (numpad).
  return keyName(e) === key.toUpperCase() || e.key === key;
}

/**
 * A plain shortcut (a letter, "/") pressed within this long of another character key is typing,
 * not a command: text typed where no field has the caret (a form the clerk thought had opened)
 * must not open forms letter by letter, and a scanner's burst is not a string of shortcuts.
 */
export const TYPING_GAP_MS = 400;

/** Keys pressed while typing that do not end it. */
const STILL_TYPING = new Set(['Shift', 'CapsLock', 'Backspace', 'Dead', 'AltGraph', 'Unidentified']);

/** The character key before the one being handled: when (its event's timeStamp), and whether it was a shortcut. */
let previousCharAt = -Infinity;
let previousWasShortcut = false;
let lastCharAt = -Infinity;
let lastWasShortcut = false;
if (typeof window !== 'undefined') {
  // Capture phase: recorded before any shortcut listener sees the key.
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.repeat) return;
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        previousCharAt = lastCharAt;
        previousWasShortcut = lastWasShortcut;
        lastCharAt = e.timeStamp;
        lastWasShortcut = false;
      } else if (!STILL_TYPING.has(e.key)) {
        // Enter, an arrow, Tab, Escape, a shortcut with Ctrl or Alt: the run of typing is over.
        previousCharAt = lastCharAt = -Infinity;
      }
    },
    true,
  );
}

/**
 * Whether this key comes in a run of typing (see TYPING_GAP_MS). A letter right after another
 * letter that was a shortcut (P, then V) is two commands, not typing.
 */
export function amidTyping(e: KeyboardEvent): boolean {
  return !previousWasShortcut && e.timeStamp - previousCharAt < TYPING_GAP_MS;
}

export function isPlain(shortcut: Shortcut): boolean {
  return !/(Ctrl|Alt)\+/.test(shortcut) && !/^F\d+$/.test(shortcut) && shortcut !== 'Escape';
}

/**
 * Binds shortcuts while the component is mounted. The handlers map may change on every render;
 * the listener reads the latest one. Bound in the commit, with the screen's first field focused
 * (autoFocus): a key pressed as soon as the screen shows is never lost before a passive effect runs.
 */
export function useHotkeys(map: Record<Shortcut, (e: KeyboardEvent) => void>, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useLayoutEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      if (document.body.dataset.locked === 'true') return;
      for (const [shortcut, handler] of Object.entries(ref.current)) {
        if (!matches(e, shortcut)) continue;
        if (isPlain(shortcut) && (isTyping(e.target) || amidTyping(e))) continue;
        e.preventDefault();
        if (e.key.length === 1) lastWasShortcut = true;
        handler(e);
        return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
