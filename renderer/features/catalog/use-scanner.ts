import { useEffect, useRef } from 'react';
import { DEFAULT_SCANNER, type ScannerSettingsT } from '../../../shared/contract';
import { ScanDetector } from './scan-detector';

type TextField = HTMLInputElement | HTMLTextAreaElement;

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

/**
 * Listens for a keyboard-wedge scanner anywhere on the page while mounted (the order screen).
 * Keys are watched in the capture phase, before any field or shortcut sees them: the scan's suffix
 * is swallowed (an Enter never submits or picks a suggestion), and the characters the scanner typed
 * into whatever field had focus are taken out of it again (its text from before the burst is put
 * back). Typing at a person's speed passes through untouched.
 */
export function useScanner(settings: ScannerSettingsT | undefined, onScan: (code: string) => void): void {
  const { enabled, maxKeyGapMs, minLength, suffix } = settings ?? DEFAULT_SCANNER;
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  });

  useEffect(() => {
    if (!enabled) return;
    const detector = new ScanDetector({ maxKeyGapMs, minLength, suffix });
    /** The focused field and its text when the current burst began. */
    let before: { el: TextField; value: string } | null = null;
    let pauseTimer: ReturnType<typeof setTimeout> | null = null;

    const finish = (code: string) => {
      if (before && before.el.value !== before.value) setFieldText(before.el, before.value);
      before = null;
      handler.current(code);
    };

    const onKey = (e: KeyboardEvent) => {
      if (e.isComposing) return;
      if (outsideScanning(e.target) || outsideScanning(document.activeElement)) {
        detector.reset();
        before = null;
        return;
      }
      const v = detector.key({ key: e.key, time: e.timeStamp, modified: e.ctrlKey || e.altKey || e.metaKey });
      if (v.kind === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        finish(v.code);
        return;
      }
      // A new burst began with this key: remember the field as it is before the key lands.
      if (detector.started) {
        const el = textField(document.activeElement);
        before = el ? { el, value: el.value } : null;
      }
      if (suffix === 'none' && detector.pending > 0) {
        if (pauseTimer) clearTimeout(pauseTimer);
        pauseTimer = setTimeout(() => {
          const p = detector.pause(performance.now());
          if (p.kind === 'scan') finish(p.code);
        }, maxKeyGapMs + 1);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      if (pauseTimer) clearTimeout(pauseTimer);
    };
  }, [enabled, maxKeyGapMs, minLength, suffix]);
}
