import type { Migration } from './migration';

// Sentences the core stores for a person (why an operation needs attention, a recurring period's
// reason) keep their English in `message` / `reason` (logs, CSV, support) and, beside it, the same
// sentence as a key + params (shared/contract/messages.ts CoreText, JSON) that the screen says in
// the reader's language and digits. NULL on rows written before: the screen shows their English.
// Both tables replicate column by column (shop/replicated-tables.ts), so no change there.
export const SENTENCE_KEYS: Migration = {
  name: 'sentence-keys',
  up: `
    ALTER TABLE operations ADD COLUMN message_text TEXT;
    ALTER TABLE recurring_periods ADD COLUMN reason_text TEXT;
  `,
};
