import { i18next } from '../i18n';

/** How an operation's type and state read on every screen (timeline, queue, end of day). */
const OPERATION_TYPE_KEY: Readonly<Record<string, string>> = {
  authorize: 'authorize',
  purchase: 'purchase',
  capture: 'capture',
  void: 'void',
  refund: 'refund',
  check_status: 'checkStatus',
  cash_sale: 'cashSale',
  cash_refund: 'cashRefund',
};

export interface StateLook {
  label: string;
  /** Shown beside the word so a state never depends on colour alone. */
  glyph: string;
  tone: 'neutral' | 'success' | 'danger' | 'unknown' | 'queued' | 'warning';
}

const OPERATION_STATE: Readonly<Record<string, Omit<StateLook, 'label'> & { key: string }>> = {
  pending: { key: 'pending', glyph: '…', tone: 'neutral' },
  sent: { key: 'sent', glyph: '↗', tone: 'neutral' },
  succeeded: { key: 'succeeded', glyph: '✓', tone: 'success' },
  declined: { key: 'declined', glyph: '✕', tone: 'danger' },
  unknown: { key: 'unknown', glyph: '?', tone: 'unknown' },
  queued: { key: 'queued', glyph: '⏸', tone: 'queued' },
  needs_attention: { key: 'needsAttention', glyph: '!', tone: 'warning' },
  /** End of day: an operation open at close that has since been resolved. */
  gone: { key: 'gone', glyph: '–', tone: 'neutral' },
};

/** "Authorization", "Sale"… in the screen's language (the catalogue 'transactions', operation.type). */
export function operationType(type: string): string {
  const key = OPERATION_TYPE_KEY[type];
  return key ? i18next.t(`transactions:operation.type.${key}`) : type;
}

export function operationState(state: string): StateLook {
  const look = OPERATION_STATE[state];
  if (!look) return { label: state, glyph: '', tone: 'neutral' };
  return { label: i18next.t(`transactions:operation.state.${look.key}`), glyph: look.glyph, tone: look.tone };
}
