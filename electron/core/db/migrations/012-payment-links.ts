import type { Migration } from './migration';

// Owned by the payment-links feature (electron/core/links, docs/payment-links.md). One row per link
// sent for an order, written BEFORE the gateway is asked (state 'sending'): its reference is the
// link's merchant_reference at the gateway, the idempotency key, and the reference of the payment
// the link becomes once paid. 'unknown' = the gateway may or may not have made the link; it is
// resolved by CHECK_PAYMENT_LINK_STATUS, never by sending a second link. payment_id is set once,
// inside the transaction that records the payment (the exactly-once guard of "paid").
export const PAYMENT_LINKS: Migration = {
  name: 'payment-links',
  up: `
    CREATE TABLE payment_links (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders(id),
      reference TEXT NOT NULL UNIQUE,
      gateway_account TEXT NOT NULL,
      gateway_link_id TEXT,
      url TEXT,
      state TEXT NOT NULL CHECK (state IN ('sending', 'unknown', 'sent', 'opened', 'paid', 'expired', 'cancelled', 'failed')),
      amount INTEGER NOT NULL CHECK (amount > 0),
      currency TEXT NOT NULL,
      customer_email TEXT NOT NULL,
      customer_phone TEXT,
      notify TEXT NOT NULL CHECK (notify IN ('EMAIL', 'SMS', 'EMAIL_SMS')),
      language TEXT NOT NULL,
      description TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      opened_count INTEGER NOT NULL DEFAULT 0,
      payment_id TEXT REFERENCES payments(id),
      fort_id TEXT,
      message TEXT NOT NULL DEFAULT '',
      attempts INTEGER NOT NULL DEFAULT 0,
      checks INTEGER NOT NULL DEFAULT 0,
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (state <> 'paid' OR payment_id IS NOT NULL)
    );
    CREATE INDEX payment_links_order ON payment_links(order_id, created_at);
    CREATE INDEX payment_links_open ON payment_links(state) WHERE state IN ('sending', 'unknown', 'sent', 'opened');

    -- Bulk capture / void / refund (electron/core/bulk, docs/decisions/bulk-operations.md). A run is
    -- previewed (every row judged) before anything is sent. Each accepted row has a row_key derived
    -- from the file (kind, payment reference, amount, occurrence): unique over all runs, so the same
    -- file twice is refused row by row and never moves money twice. A row is 'sending' (committed)
    -- before its operation starts; the operation it caused is found again by its marker (the
    -- operation's user_name), so a crash between the two is settled without a second send.
    CREATE TABLE bulk_runs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('capture', 'void', 'refund')),
      state TEXT NOT NULL CHECK (state IN ('ready', 'running', 'cancelled', 'done')),
      reason TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE bulk_rows (
      run_id TEXT NOT NULL REFERENCES bulk_runs(id),
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
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX bulk_rows_key ON bulk_rows(row_key) WHERE verdict = 'ok';
    CREATE INDEX bulk_rows_state ON bulk_rows(run_id, state);
  `,
};
