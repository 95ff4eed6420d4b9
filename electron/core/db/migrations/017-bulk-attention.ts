import type { Migration } from './migration';

// Owned by the bulk feature (electron/core/bulk, docs/decisions/bulk-operations.md). A row our own
// checks refuse when it is sent (the payment or card changed after the preview) has no operation
// to hold for a person, so the row itself is held: `attention` 'open' lists it under needs
// attention (the Queue screen) with `attention_reason`, until a supervisor dismisses it
// ('dismissed'). The partial index keeps the Queue screen's keyset paging and counts cheap.
export const BULK_ATTENTION: Migration = {
  name: 'bulk-attention',
  up: `
    ALTER TABLE bulk_rows ADD COLUMN attention TEXT CHECK (attention IN ('open', 'dismissed'));
    ALTER TABLE bulk_rows ADD COLUMN attention_at TEXT;
    ALTER TABLE bulk_rows ADD COLUMN attention_reason TEXT;
    CREATE INDEX bulk_rows_attention ON bulk_rows(attention_at, run_id, seq) WHERE attention = 'open';
  `,
};
