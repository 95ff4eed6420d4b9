import type { Migration } from './migration';

// Owned by the bulk feature (electron/core/bulk, docs/decisions/bulk-operations.md). A bill run
// charges customers' cards on file as one bulk run (kind 'charge'). Its rows carry what a charge
// needs: the customer and the card on file the preview resolved, the description, and the order
// each row charges. The order's reference is derived from the row (one order per row, made once),
// and an order takes at most one live payment: a row resumed after a crash finds its order and
// never charges twice. SQLite cannot widen a CHECK in place: both tables are rebuilt, rows copied
// unchanged (bulk_rows_new refers to bulk_runs_new; the rename carries the reference over).
export const BILL_RUNS: Migration = {
  name: 'bill-runs',
  up: `
    CREATE TABLE bulk_runs_new (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('capture', 'void', 'refund', 'charge')),
      state TEXT NOT NULL CHECK (state IN ('ready', 'running', 'cancelled', 'done')),
      reason TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    INSERT INTO bulk_runs_new (id, kind, state, reason, created_by, created_by_name, created_at, updated_at)
      SELECT id, kind, state, reason, created_by, created_by_name, created_at, updated_at FROM bulk_runs;
    CREATE TABLE bulk_rows_new (
      run_id TEXT NOT NULL REFERENCES bulk_runs_new(id),
      seq INTEGER NOT NULL,
      row_key TEXT NOT NULL,
      reference TEXT NOT NULL,
      payment_id TEXT,
      amount INTEGER,
      currency TEXT,
      verdict TEXT NOT NULL CHECK (verdict IN ('ok', 'refused')),
      state TEXT NOT NULL CHECK (state IN ('waiting', 'sending', 'approved', 'declined', 'unknown', 'queued', 'refused', 'cancelled')),
      message TEXT NOT NULL DEFAULT '',
      marker TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      customer_id TEXT,
      card_id TEXT,
      description TEXT NOT NULL DEFAULT '',
      order_reference TEXT,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    INSERT INTO bulk_rows_new (run_id, seq, row_key, reference, payment_id, amount, currency, verdict, state, message, marker, updated_at)
      SELECT run_id, seq, row_key, reference, payment_id, amount, currency, verdict, state, message, marker, updated_at FROM bulk_rows;
    DROP TABLE bulk_rows;
    DROP TABLE bulk_runs;
    ALTER TABLE bulk_runs_new RENAME TO bulk_runs;
    ALTER TABLE bulk_rows_new RENAME TO bulk_rows;
    CREATE UNIQUE INDEX bulk_rows_key ON bulk_rows(row_key) WHERE verdict = 'ok';
    CREATE INDEX bulk_rows_state ON bulk_rows(run_id, state);
  `,
};
