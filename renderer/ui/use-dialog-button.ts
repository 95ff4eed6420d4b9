import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A button that opens a modal dialog (the top bar's "Change PIN", "Language"): open on click, the
 * focus back on the button once the dialog is gone, and closed when the station locks. A modal
 * <dialog> sits in the top layer, above the lock screen, so a lock must close it (and any PINs in
 * it); `showing` is false in the same render as the lock screen appears, so the lock's PIN field
 * can take the focus.
 */
export function useDialogButton(locked: boolean) {
  const [open, setOpen] = useState(false);
  const wasOpen = useRef(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (locked) setOpen(false);
  }, [locked]);
  // Back on the button once the dialog is gone (not before: a modal dialog keeps the focus in).
  useEffect(() => {
    if (!open && wasOpen.current) buttonRef.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const show = useCallback(() => setOpen(true), []);
  const close = useCallback(() => setOpen(false), []);
  return { buttonRef, showing: open && !locked, show, close };
}
