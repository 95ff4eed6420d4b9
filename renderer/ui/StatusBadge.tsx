import type { PaymentStatus } from '../../shared/domain/payment-state';
import { Glyph } from './Glyph';

const LABEL: Record<PaymentStatus, [string, string, string]> = {
  // label, glyph, tone class
  pending: ['Pending', '…', 'neutral'],
  authorized: ['Authorized', '○', 'info'],
  partially_captured: ['Part captured', '◐', 'info'],
  captured: ['Captured', '✓', 'success'],
  partially_refunded: ['Part refunded', '↶', 'warning'],
  refunded: ['Refunded', '↶', 'neutral'],
  voided: ['Voided', '⊘', 'neutral'],
  declined: ['Declined', '✕', 'danger'],
  expired: ['Expired', '◔', 'neutral'],
  unknown: ['Unknown', '?', 'unknown'],
};

export function statusLabel(status: PaymentStatus): string {
  return LABEL[status]?.[0] ?? status;
}

/** Status with a glyph and a word, so it reads the same without colour. */
export function StatusBadge({ status, queued = 0 }: { status: PaymentStatus; queued?: number }) {
  const [label, glyph, tone] = LABEL[status] ?? [status, '', 'neutral'];
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
          {queued} queued
        </span>
      ) : null}
    </span>
  );
}
