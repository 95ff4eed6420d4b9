import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Kbd } from './Kbd';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'md' | 'sm' | 'lg';
  /** Shown as a key cap next to the label, e.g. "Ctrl+Enter". */
  shortcut?: string;
  /** Disables the button and replaces the label with `busyText`. */
  busy?: boolean;
  busyText?: ReactNode;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', size = 'md', shortcut, busy = false, busyText, children, className, disabled, type = 'button', ...rest },
  ref,
) {
  const classes = ['btn', `btn-${variant}`, size !== 'md' ? `btn-${size}` : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button ref={ref} type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} aria-keyshortcuts={shortcut} {...rest}>
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span>{busyText ?? children}</span>
        </>
      ) : (
        <span>{children}</span>
      )}
      {shortcut && !busy ? <Kbd keys={shortcut} /> : null}
    </button>
  );
});
