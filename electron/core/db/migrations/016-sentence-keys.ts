import type { Migration } from './migration';

// Sentences the core stores for a person (why an operation needs attention, a recurring period's
// reason, a bulk row's result) keep their English in `message` / `reason` (logs, CSV, support) and, beside it, the same
// sentence as a key + params (shared/contract/messages.ts CoreText, JSON) that the screen says in
// the reader's language and digits. NULL on rows written before: the screen shows their English.
// operations and recurring_periods replicate column by column (shop/replicated-tables.ts), so no
// change there; bulk_rows stay on their desk.
export const SENTENCE_KEYS: Migration = {
  name: 'sentence-keys',
  up: `
    ALTER TABLE operations ADD COLUMN message_text TEXT;
    ALTER TABLE recurring_periods ADD COLUMN reason_text TEXT;
    ALTER TABLE bulk_rows ADD COLUMN message_text TEXT;
  `,
};
