import type { Migration } from './migration';

// Owned by the payments feature (issue 21, docs/performance.md "year"). The Transactions search box
// matches a payment whose reference starts with the text or whose customer name contains it. On a
// year of payments (1,000,000) both were a scan of every payment, for the page and for its count:
// - references: an index SQLite's LIKE can use (LIKE is case-insensitive, so the index is NOCASE);
// - customer names: an FTS5 trigram index (built into SQLite), which answers LIKE '%text%' for
//   three characters or more. External content: it stores no copy of the names, only the index,
//   keyed by the payment's rowid (the app never VACUUMs the ledger, which could renumber rowids;
//   anything that does must run `INSERT INTO payments_text(payments_text) VALUES ('rebuild')`).
// Triggers keep it in step with every insert, update and delete of payments, whoever writes them
// (the payments feature, the shop's replication). listPayments still applies the exact LIKE to
// every candidate, so results are the same as before, only found faster.
export const TRANSACTIONS_TEXT_SEARCH: Migration = {
  name: 'transactions-text-search',
  up: `
    CREATE INDEX payments_reference_nocase ON payments(reference COLLATE NOCASE);
    CREATE VIRTUAL TABLE payments_text USING fts5(customer_name, content = 'payments', content_rowid = 'rowid', tokenize = 'trigram');
    INSERT INTO payments_text(payments_text) VALUES ('rebuild');
    CREATE TRIGGER payments_text_insert AFTER INSERT ON payments BEGIN
      INSERT INTO payments_text(rowid, customer_name) VALUES (NEW.rowid, NEW.customer_name);
    END;
    CREATE TRIGGER payments_text_update AFTER UPDATE OF customer_name ON payments BEGIN
      INSERT INTO payments_text(payments_text, rowid, customer_name) VALUES ('delete', OLD.rowid, OLD.customer_name);
      INSERT INTO payments_text(rowid, customer_name) VALUES (NEW.rowid, NEW.customer_name);
    END;
    CREATE TRIGGER payments_text_delete AFTER DELETE ON payments BEGIN
      INSERT INTO payments_text(payments_text, rowid, customer_name) VALUES ('delete', OLD.rowid, OLD.customer_name);
    END;
  `,
};
