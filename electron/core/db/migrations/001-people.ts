import type { Migration } from './migration';

// Users, customers, cards on file, the search index and the audit log. Owned by the people and
// customers features. Times are ISO-8601 UTC text; money is never stored here.
export const PEOPLE: Migration = {
  name: 'people',
  up: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
      secret_hash TEXT NOT NULL,            -- scrypt, with its salt and parameters
      active INTEGER NOT NULL DEFAULT 1,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE customers (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT NOT NULL DEFAULT '',
      phone TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    -- Cards on file: the gateway's token and what may be shown. Never a card number.
    CREATE TABLE cards (
      id TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL REFERENCES customers(id),
      token_name TEXT NOT NULL,
      brand TEXT NOT NULL,
      last4 TEXT NOT NULL CHECK (length(last4) = 4),
      expiry TEXT NOT NULL CHECK (length(expiry) = 4),   -- YYMM
      holder_name TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX cards_customer ON cards(customer_id);
    CREATE UNIQUE INDEX cards_token ON cards(token_name);

    -- Search-as-you-type: one row per searchable term (folded name words, email, phone digits,
    -- last 4, order reference); a prefix query is a range scan on the primary key.
    CREATE TABLE search_terms (
      term TEXT NOT NULL,
      kind TEXT NOT NULL,                   -- name | email | phone | last4 | order
      customer_id TEXT NOT NULL,
      ref TEXT NOT NULL DEFAULT '',         -- card id or order reference that produced the term
      PRIMARY KEY (term, customer_id, kind, ref)
    ) WITHOUT ROWID;
    CREATE INDEX search_terms_customer ON search_terms(customer_id);

    -- Append-only, hash-chained: hash = sha256(prev_hash || canonical row).
    CREATE TABLE audit (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      user_id TEXT,
      user_name TEXT,
      action TEXT NOT NULL,
      target TEXT,
      outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
      station TEXT NOT NULL,
      detail TEXT NOT NULL DEFAULT '',
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
};
