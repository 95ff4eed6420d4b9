import type { CDPSession, Page } from '@playwright/test';

/**
 * Keys with the times they were "pressed" at, as a keyboard or a keyboard-wedge scanner gives them.
 *
 * Chromium stamps a key event (`event.timeStamp`, what the scanner detector reads) with the time
 * the input device produced it. page.keyboard has no such time: the browser stamps each key when it
 * gets round to it, so on a loaded machine a scanner's burst arrives 10-300 ms a key apart and a
 * person's keys typed 300 ms apart can arrive in one batch, which no real device does. The DevTools
 * protocol's Input.dispatchKeyEvent takes the time the key happened (`timestamp`, seconds since
 * the epoch, kept by Chromium as the event's timeStamp): the keys are sent at once and carry the
 * device's times, whenever the page handles them.
 */

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function session(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = page.context().newCDPSession(page);
    sessions.set(page, s);
  }
  return s;
}

const SPECIAL: Record<string, { code: string; keyCode: number; text?: string }> = {
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  Tab: { code: 'Tab', keyCode: 9 },
};

/**
 * Sends `keys` (characters, or 'Enter' / 'Tab') stamped `gapMs` apart, the last one stamped now,
 * all at once: the page may handle them late and together, their times stay the device's.
 */
export async function pressStamped(page: Page, keys: string[], gapMs: number | number[], opts: { paced?: boolean } = {}): Promise<void> {
  const s = await session(page);
  const gaps = keys.map((_, i) => (Array.isArray(gapMs) ? gapMs[i % gapMs.length]! : gapMs));
  const total = gaps.slice(1).reduce((a, b) => a + b, 0);
  const sends: Promise<unknown>[] = [];
  let at = opts.paced ? Date.now() : Date.now() - total;
  for (const [i, key] of keys.entries()) {
    if (i > 0) at += gaps[i]!;
    if (opts.paced) while (Date.now() < at) await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now() - 1)));
    const timestamp = at / 1000;
    const special = SPECIAL[key];
    const down = special
      ? { key, code: special.code, windowsVirtualKeyCode: special.keyCode, nativeVirtualKeyCode: special.keyCode, ...(special.text ? { text: special.text } : {}) }
      : { key, text: key, unmodifiedText: key };
    sends.push(s.send('Input.dispatchKeyEvent', { type: 'keyDown', timestamp, ...down }));
    sends.push(s.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: timestamp + 0.001, key, ...(special ? { code: special.code, windowsVirtualKeyCode: special.keyCode } : {}) }));
  }
  await Promise.all(sends);
}

/** A keyboard-wedge scanner: the code and its suffix, `gapMs` (default 4 ms) a key. */
export function scanCode(page: Page, code: string, opts: { gapMs?: number; suffix?: 'Enter' | 'Tab'; paced?: boolean } = {}): Promise<void> {
  return pressStamped(page, [...code, opts.suffix ?? 'Enter'], opts.gapMs ?? 4, { paced: opts.paced });
}

/** A person typing `text` (and Enter when asked) `gapMs` a key (or gaps in turn), handed to the page in one late batch. */
export function typeAsPerson(page: Page, text: string, gapMs: number | number[], enter = false): Promise<void> {
  return pressStamped(page, [...text, ...(enter ? ['Enter'] : [])], gapMs);
}
