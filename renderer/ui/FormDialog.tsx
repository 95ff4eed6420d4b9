import { useEffect, useRef, type ReactNode } from 'react';

interface FormDialogProps {
  /** id of the dialog's heading (aria-labelledby). */
  labelledBy: string;
  className?: string;
  /** Esc, or the browser's own cancel. */
  onCancel: () => void;
  /** Ctrl+Enter (⌘+Enter): submit from any field, a select or a textarea included. */
  onSubmitShortcut: () => void;
  children: ReactNode;
}

/**
 * A modal <dialog> holding a form: it opens itself, Esc cancels it (and only it: the page behind
 * must not take the key as "back"), Ctrl+Enter submits.
 */
export function FormDialog({ labelledBy, className = 'dialog', onCancel, onSubmitShortcut, children }: FormDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onSubmitShortcut();
        }
      }}
    >
      {children}
    </dialog>
  );
}
