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

/**
 * The words looked up so far, for one language and one set of loaded catalogues: a list redraws
 * the same ten words on every row, and each lookup runs i18next's resolution and interpolation
 * (~0.3 ms a row when the Transactions list is shown, measured). Emptied when the language changes
 * or a catalogue is added.
 */
let labels: { language: string; words: Map<PaymentStatus, string> } | null = null;
let watching = false;

/** The status's word in the screen's language (catalogue common: status.*). */
export function statusLabel(status: PaymentStatus): string {
  if (!watching) {
    watching = true;
    const forget = () => (labels = null);
    i18next.on('languageChanged', forget);
    i18next.store?.on('added', forget);
  }
  if (labels?.language !== i18next.language) labels = { language: i18next.language, words: new Map() };
  let word = labels.words.get(status);
  if (word === undefined) {
    const key = `common:status.${status}`;
    word = i18next.exists(key) ? i18next.t(key) : status;
    labels.words.set(status, word);
  }
  return word;
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
