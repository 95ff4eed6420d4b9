import { useEffect, useRef } from 'react';
import type { ScannerSettingsT } from '../../../shared/contract';
import { DEFAULT_SCANNER } from '../../../shared/contract/constants';
import { ScanDetector } from './scan-detector';

type TextField = HTMLInputElement | HTMLTextAreaElement;

/** The longest a scanned key stays in the field while the scan's answer is awaited. */
const RESTORE_WAIT_MS = 60;

function textField(el: Element | null): TextField | null {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : null;
}

/** Keys typed in a dialog (the lock screen, Change PIN, an approval) or in a secret field are never a scan. */
function outsideScanning(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLInputElement && target.type === 'password') return true;
  return target.closest('dialog, [role="dialog"], [role="alertdialog"], [aria-modal="true"]') !== null;
}

/** Sets a field's text the way typing does, so React's onChange (and the store) sees it. */
function setFieldText(el: TextField, value: string): void {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Puts `text` into the field where typing would have put it (at the caret, over a selection), within its maxLength. */
function insertTyped(el: TextField, text: string): void {
  let start: number | null = null;
  let end: number | null = null;
  try {
    start = el.selectionStart;
    end = el.selectionEnd;
  } catch {
    /* a field type without a caret (email, number): typing appends */
  }
  const at = start ?? el.value.length;
  const head = el.value.slice(0, at);
  const tail = el.value.slice(end ?? at);
  const room = el.maxLength >= 0 ? Math.max(0, el.maxLength - head.length - tail.length) : text.length;
  const put = text.slice(0, room);
  setFieldText(el, head + put + tail);
  try {
    el.setSelectionRange(at + put.length, at + put.length);
  } catch {
    /* no caret to place */
  }
}

/**
 * Listens for a keyboard-wedge scanner anywhere on the page while mounted (the order screen).
 * Keys are watched in the capture phase, before any field or shortcut sees them: the scan's suffix
 * is swallowed (an Enter never submits or picks a suggestion), and the characters the scanner typed
 * into whatever field had focus are taken out of it again (its text from before the burst is put
 * back). Typing at a person's speed passes through untouched.
 *
 * From the second key of a burst on, the characters are held back instead of reaching the field
 * (docs/performance.md, scan row): each typed character costs the page its text insertion, layout,
 * React's onChange and a search as you type, ~3 ms a key on an idle machine and ten times that
 * when it is loaded, all before the scan's Enter can be handled. If the burst turns out to be
 * typing (a slower key, another key, a pause), the held characters are put into the field where
 * they would have gone, before the next key lands, so nothing typed is lost or reordered.
 *
 * `onBurst` hears the code so far on each key of a fast burst (the scan handler looks it up ahead,
 * barcode-lookahead.ts). `onScan` gets `putBack`, to call just before it shows the scan's answer:
 * the field's text is put back then (or after RESTORE_WAIT_MS), in the same render as the answer.
 */
export function useScanner(settings: ScannerSettingsT | undefined, onScan: (code: string, putBack: () => void) => void, onBurst?: (soFar: string) => void): void {
  const { enabled, maxKeyGapMs, minLength, suffix } = settings ?? DEFAULT_SCANNER;
  const handler = useRef(onScan);
  const burstHandler = useRef(onBurst);
  useEffect(() => {
    handler.current = onScan;
    burstHandler.current = onBurst;
  });

  useEffect(() => {
    if (!enabled) return;
    const detector = new ScanDetector({ maxKeyGapMs, minLength, suffix });
    /** The focused field and its text when the current burst began. */
    let before: { el: TextField; value: string } | null = null;
    let pauseTimer: ReturnType<typeof setTimeout> | null = null;
    /** Characters of the burst kept from the field so far, and the field they were typed into. */
    let held = '';
    let heldIn: TextField | null = null;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    /** Keys held back whose key-up has not come yet. */
    const heldKeys = new Set<string>();

    /** The burst was typing after all: its held characters go where they were typed. */
    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      const text = held;
      const el = heldIn;
      held = '';
      heldIn = null;
      if (text && el && el.isConnected) insertTyped(el, text);
    };

    const finish = (code: string) => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      held = '';
      heldIn = null;
      const restore = before;
      before = null;
      // The field's text goes back with the scan's answer, in one render: a render of its own
      // here would be a frame the answer (often already on its way, asked ahead) waits behind.
      // Never later than RESTORE_WAIT_MS, whatever the answer does; once only.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const putBack = () => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        if (restore && restore.el.value !== restore.value) setFieldText(restore.el, restore.value);
      };
      timer = setTimeout(putBack, RESTORE_WAIT_MS);
      handler.current(code, putBack);
    };

    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      if (outsideScanning(e.target) || outsideScanning(document.activeElement)) {
        flush();
        detector.reset();
        before = null;
        return;
      }
      // A held key (auto-repeat) is a person: no scanner repeats.
      if (e.repeat) {
        flush();
        detector.reset();
        return;
      }
      const v = detector.key({ key: e.key, time: e.timeStamp, modified: e.ctrlKey || e.altKey || e.metaKey });
      if (v.kind === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        finish(v.code);
        return;
      }
      const printable = e.key.length === 1 && !(e.ctrlKey || e.altKey || e.metaKey);
      // Anything but the next character of a fast burst (or Shift inside it): what was held goes in first.
      if (held && !(e.key === 'Shift' || (printable && !detector.started))) flush();
      // A new burst began with this key: remember the field as it is before the key lands.
      if (detector.started) {
        const el = textField(document.activeElement);
        before = el ? { el, value: el.value } : null;
      }
      // The second and later keys of a fast burst: held back from the field until the burst is judged.
      if (printable && !detector.started && detector.pending >= 2) {
        const el = textField(document.activeElement);
        if (el && (heldIn === null || heldIn === el)) {
          // Nothing past this listener sees a held key either (React's root, the shortcuts): a
          // scan's keys cost the page this listener only. Nothing there acts on a plain character
          // in a field, and a burst that was typing reaches the field as input (flush).
          e.preventDefault();
          e.stopPropagation();
          heldKeys.add(e.code || e.key);
          held += e.key;
          heldIn = el;
          if (flushTimer) clearTimeout(flushTimer);
          flushTimer = setTimeout(flush, maxKeyGapMs + 5);
        }
      }
      // A burst long enough to be a code so far (the scan handler may look it up ahead).
      if (printable && !detector.started && detector.pending >= minLength) burstHandler.current?.(detector.soFar);
      if (suffix === 'none' && detector.pending > 0) {
        if (pauseTimer) clearTimeout(pauseTimer);
        pauseTimer = setTimeout(() => {
          const p = detector.pause(performance.now());
          if (p.kind === 'scan') finish(p.code);
        }, maxKeyGapMs + 1);
      }
    };
    // The key-up of a held key goes no further either.
    const onKeyUp = (e: KeyboardEvent) => {
      if (heldKeys.delete(e.code || e.key)) e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', onKeyUp, true);
      if (pauseTimer) clearTimeout(pauseTimer);
      flush();
    };
  }, [enabled, maxKeyGapMs, minLength, suffix]);
}
