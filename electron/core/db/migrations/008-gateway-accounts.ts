import type { Migration } from './migration';

// Owned by the gateway-accounts feature (docs/going-live.md). Every payment, card on file and hosted
// card session records the gateway account it belongs to ("environment:merchant identifier"), so
// its later operations go to that account and nowhere else. Rows written before this migration
// were all made on the embedded sandbox (its documented merchant, SANDBOXMID).
//
// Account settings live here, in the encrypted ledger, with their secrets (access code, SHA
// phrases, confirmation API key): never in settings.json. `gateway_active` is the one row naming
// the environment new payments go to; no row = the embedded sandbox.
export const GATEWAY_ACCOUNTS: Migration = {
  name: 'gateway-accounts',
  up: `
    ALTER TABLE payments ADD COLUMN gateway_account TEXT NOT NULL DEFAULT 'sandbox:SANDBOXMID';
    ALTER TABLE cards ADD COLUMN gateway_account TEXT NOT NULL DEFAULT 'sandbox:SANDBOXMID';
    ALTER TABLE hosted_sessions ADD COLUMN gateway_account TEXT NOT NULL DEFAULT 'sandbox:SANDBOXMID';
    CREATE TABLE gateway_accounts (
      environment TEXT PRIMARY KEY CHECK (environment IN ('test', 'production')),
      merchant_identifier TEXT NOT NULL,
      sha_type TEXT NOT NULL,
      currencies TEXT NOT NULL,                   -- JSON array of ISO 4217 codes
      confirmation_url TEXT,
      confirmation_template_id TEXT,
      payment_api_url TEXT,                       -- development override only; never for production
      payment_page_url TEXT,
      secrets TEXT NOT NULL,                      -- JSON; only ever read by the core to sign and verify
      secrets_meta TEXT NOT NULL,                 -- JSON: per secret when, by whom, last 2 characters
      last_test_at TEXT,
      last_test_outcome TEXT,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      CHECK (environment = 'test' OR payment_api_url IS NULL)
    );
    CREATE TABLE gateway_active (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'test', 'production')),
      changed_at TEXT NOT NULL,
      changed_by TEXT NOT NULL
    );
  `,
};
