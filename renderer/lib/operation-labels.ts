/** How an operation's type and state read on every screen (timeline, queue, end of day). */
export const OPERATION_TYPE: Readonly<Record<string, string>> = {
  authorize: 'Authorization',
  purchase: 'Sale',
  capture: 'Capture',
  void: 'Void',
  refund: 'Refund',
  check_status: 'Status check',
  cash_sale: 'Cash sale',
  cash_refund: 'Cash refund',
};

export interface StateLook {
  label: string;
  /** Shown beside the word so a state never depends on colour alone. */
  glyph: string;
  tone: 'neutral' | 'success' | 'danger' | 'unknown' | 'queued' | 'warning';
}

export const OPERATION_STATE: Readonly<Record<string, StateLook>> = {
  pending: { label: 'Pending', glyph: '…', tone: 'neutral' },
  sent: { label: 'Sent', glyph: '↗', tone: 'neutral' },
  succeeded: { label: 'Succeeded', glyph: '✓', tone: 'success' },
  declined: { label: 'Declined', glyph: '✕', tone: 'danger' },
  unknown: { label: 'Unknown', glyph: '?', tone: 'unknown' },
  queued: { label: 'Queued', glyph: '⏸', tone: 'queued' },
  needs_attention: { label: 'Needs attention', glyph: '!', tone: 'warning' },
  /** End of day: an operation open at close that has since been resolved. */
  gone: { label: 'Gone', glyph: '–', tone: 'neutral' },
};

export function operationType(type: string): string {
  return OPERATION_TYPE[type] ?? type;
}

export function operationState(state: string): StateLook {
  return OPERATION_STATE[state] ?? { label: state, glyph: '', tone: 'neutral' };
}
