import type { Migration } from './migration';

// Issue #17: the language and digits each person works in (NULL = the station's default, settings
// locale), and the language a customer prefers for what we send them (email confirmation, the
// gateway's pages; NULL = the station's default).
export const LANGUAGE: Migration = {
  name: 'language',
  up: `
    ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'ar'));
    ALTER TABLE users ADD COLUMN digits TEXT CHECK (digits IN ('latn', 'arab'));
    ALTER TABLE customers ADD COLUMN language TEXT CHECK (language IN ('en', 'ar'));
  `,
};
