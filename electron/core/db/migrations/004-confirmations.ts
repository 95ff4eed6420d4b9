import type { Migration } from './migration';

// Owned by the confirmations feature (electron/core/confirmations): email confirmation of a MOTO
// charge by the cardholder (seed 003). One row per confirmation asked for an order. The charge is
// made by the core once the gateway reports `confirmed`; `charge_state` is the exactly-once guard
// (none → charging → done, moved forward only inside a transaction).
export const CONFIRMATIONS: Migration = {
  name: 'confirmations',
  up: `
    CREATE TABLE confirmations (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders(id),
      order_reference TEXT NOT NULL,
      card_id TEXT NOT NULL REFERENCES cards(id),
      mode TEXT NOT NULL CHECK (mode IN ('purchase', 'authorize')),
      gateway_id TEXT UNIQUE,                       -- the confirmation service's id (null when the start failed)
      email_address TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      currency TEXT NOT NULL,
      timeout_seconds INTEGER NOT NULL CHECK (timeout_seconds > 0),
      state TEXT NOT NULL CHECK (state IN ('idle', 'processing', 'confirmed', 'refused', 'failed', 'expired')),
      process_state TEXT NOT NULL,
      fail_reason TEXT,
      user_response TEXT,
      charge_state TEXT NOT NULL DEFAULT 'none' CHECK (charge_state IN ('none', 'charging', 'done')),
      charge_started_at TEXT,                       -- when charge_state left 'none'
      payment_id TEXT,
      charge_outcome TEXT CHECK (charge_outcome IN ('approved', 'declined', 'unknown', 'queued')),
      charge_message TEXT,
      last_error TEXT,                              -- the last time the service could not be read
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      finished_at TEXT,
      CHECK (charge_state = 'none' OR state = 'confirmed')
    );
    CREATE INDEX confirmations_order ON confirmations(order_id, created_at);
    CREATE INDEX confirmations_open ON confirmations(state, charge_state);
  `,
};
