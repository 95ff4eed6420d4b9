import type { PaymentStatus } from '../../shared/domain/payment-state';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { counted } from '../lib/format';
import { Glyph } from './Glyph';

const LOOK: Record<PaymentStatus, [glyph: string, tone: string]> = {
  pending: ['…', 'neutral'],
  authorized: ['○', 'info'],
  partially_captured: ['◐', 'info'],
  captured: ['✓', 'success'],
  partially_refunded: ['↶', 'warning'],
  refunded: ['↶', 'neutral'],
  voided: ['⊘', 'neutral'],
  declined: ['✕', 'danger'],
  expired: ['◔', 'neutral'],
  unknown: ['?', 'unknown'],
};

/** The status's word in the screen's language (catalogue common: status.*). */
export function statusLabel(status: PaymentStatus): string {
  const key = `common:status.${status}`;
  return i18next.exists(key) ? i18next.t(key) : status;
}

interface BadgeProps {
  status: PaymentStatus;
  queued?: number;
}

/** Status with a glyph and a word, so it reads the same without colour. */
export function StatusBadge(props: BadgeProps) {
  useTranslation('common'); // re-render when the language changes
  return <StatusBadgeView {...props} />;
}

/**
 * StatusBadge without a language hook of its own, for rows drawn by the hundred while scrolling
 * (a hook per row cost each new row its own i18n wrapper): its parent re-renders it when the
 * language changes.
 */
export function StatusBadgeView({ status, queued = 0 }: BadgeProps) {
  const label = statusLabel(status);
  const [glyph, tone] = LOOK[status] ?? ['', 'neutral'];
  const queuedText = queued > 0 ? counted('common:status.queued', queued) : '';
  return (
    <span className="badge-row">
      <span className={`badge badge-${tone}`} data-status={status}>
        <span aria-hidden="true" className="badge-glyph">
          <Glyph char={glyph} />
        </span>
        {label}
      </span>
      {queued > 0 ? (
        <span className="badge badge-queued" data-status="queued">
          <span aria-hidden="true" className="badge-glyph">
            <Glyph char="⏸" />
          </span>
          {queuedText}
        </span>
      ) : null}
    </span>
  );
}
