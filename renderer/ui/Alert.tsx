import type { ReactNode } from 'react';
import { Glyph } from './Glyph';

export type Tone = 'info' | 'success' | 'danger' | 'warning' | 'unknown' | 'queued';

const ICON: Record<Tone, string> = {
  info: 'ℹ',
  success: '✓',
  danger: '✕',
  warning: '!',
  unknown: '?',
  queued: '⏸',
};

/** A message box; the icon makes the tone readable without colour. */
export function Alert({ tone, title, children, className }: { tone: Tone; title?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div className={`alert alert-${tone} ${className ?? ''}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        <Glyph char={ICON[tone]} />
      </span>
      <div className="alert-body">
        {title ? <div className="alert-title">{title}</div> : null}
        {children ? <div className="alert-text">{children}</div> : null}
      </div>
    </div>
  );
}

export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      {children ? <div className="empty-text">{children}</div> : null}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </span>
  );
}
