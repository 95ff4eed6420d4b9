import type { Migration } from './migration';

// Owned by the payments feature: orders, payments, operations (the write-ahead log), hosted card
// sessions. Money is INTEGER minor units; times are ISO-8601 UTC text (they sort as text).
// CHECK constraints repeat the payment invariants of DESIGN.md so that a bug in the core can never
// commit an impossible state (captured > authorized, refunded > captured, void after capture).
export const PAYMENTS: Migration = {
  name: 'payments',
  up: `
    CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      reference TEXT NOT NULL UNIQUE,
      channel TEXT NOT NULL CHECK (channel IN ('phone', 'mail', 'counter')),
      customer_id TEXT REFERENCES customers(id),
      customer_name TEXT,                         -- copied at creation: lists never join customers
      currency TEXT NOT NULL,
      lines_json TEXT NOT NULL,
      net INTEGER NOT NULL CHECK (net >= 0),
      tax INTEGER NOT NULL CHECK (tax >= 0),
      total INTEGER NOT NULL CHECK (total = net + tax),
      note TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'paid', 'authorized', 'cancelled')),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX orders_customer ON orders(customer_id, created_at);

    -- Card handles from the gateway's hosted page. Token, brand, last 4, expiry, holder: never a PAN.
    CREATE TABLE hosted_sessions (
      id TEXT PRIMARY KEY,                        -- the card handle the screen passes to payments.charge
      merchant_reference TEXT NOT NULL UNIQUE,    -- tokenization reference sent to the hosted page
      order_id TEXT REFERENCES orders(id),
      customer_id TEXT,
      state TEXT NOT NULL CHECK (state IN ('waiting', 'ready', 'failed', 'used')),
      token_name TEXT,
      brand TEXT,
      last4 TEXT,
      expiry TEXT,
      holder_name TEXT,
      message TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      returned_at TEXT,
      used_at TEXT
    );
    CREATE INDEX hosted_sessions_expires ON hosted_sessions(expires_at);

    CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders(id),
      reference TEXT NOT NULL UNIQUE,             -- merchant_reference: the idempotency key at the gateway
      method TEXT NOT NULL CHECK (method IN ('card', 'cash')),
      kind TEXT NOT NULL CHECK (kind IN ('purchase', 'authorization', 'cash')),
      eci TEXT,
      currency TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount > 0),
      authorized INTEGER NOT NULL DEFAULT 0 CHECK (authorized >= 0),
      captured INTEGER NOT NULL DEFAULT 0 CHECK (captured >= 0),
      refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0),
      voided INTEGER NOT NULL DEFAULT 0,
      declined INTEGER NOT NULL DEFAULT 0,
      open_ops INTEGER NOT NULL DEFAULT 0,        -- operations PENDING / SENT / UNKNOWN (outcome not known)
      queued INTEGER NOT NULL DEFAULT 0,          -- operations QUEUED for the offline forwarder
      status TEXT NOT NULL,                       -- paymentStatus() without the clock; 'expired' is a query on expires_at
      fort_id TEXT,
      card_id TEXT REFERENCES cards(id),
      hosted_session_id TEXT REFERENCES hosted_sessions(id),
      token_name TEXT,                            -- kept so a resend after a crash needs nothing else
      save_card INTEGER NOT NULL DEFAULT 0,       -- customer agreed: save the hosted card once the charge succeeds
      saved_card_id TEXT,
      brand TEXT,
      last4 TEXT,
      expiry TEXT,
      holder_name TEXT,
      customer_id TEXT,
      customer_name TEXT,
      customer_email TEXT,
      authorization_code TEXT,
      tendered INTEGER,
      change_due INTEGER,
      refund_seq INTEGER NOT NULL DEFAULT 0,      -- last maintenance_reference sequence used
      created_at TEXT NOT NULL,
      authorized_at TEXT,
      expires_at TEXT,                            -- authorized_at + 7 days, authorizations only
      created_by TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (captured <= authorized),
      CHECK (refunded <= captured),
      CHECK (NOT (voided = 1 AND captured > 0))
    );
    CREATE INDEX payments_order ON payments(order_id);
    -- Transactions list: newest first with a keyset cursor (created_at, id), per filter.
    CREATE INDEX payments_created ON payments(created_at, id);
    CREATE INDEX payments_status ON payments(status, created_at, id);
    -- "uncaptured" and "expiring": open authorizations by when they lapse.
    CREATE INDEX payments_open_auth ON payments(expires_at)
      WHERE kind = 'authorization' AND status IN ('authorized', 'partially_captured');
    CREATE INDEX payments_unknown ON payments(created_at, id) WHERE open_ops > 0;
    CREATE INDEX payments_queued ON payments(created_at, id) WHERE queued > 0;
    CREATE INDEX payments_customer_name ON payments(customer_name COLLATE NOCASE);

    -- The write-ahead operation log. A row is PENDING (committed before the first network attempt),
    -- SENT (committed before each attempt), then SUCCEEDED | DECLINED | UNKNOWN. QUEUED and
    -- NEEDS_ATTENTION are states of the same row for the offline forwarder.
    CREATE TABLE operations (
      id TEXT PRIMARY KEY,
      payment_id TEXT NOT NULL REFERENCES payments(id),
      seq INTEGER NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('authorize', 'purchase', 'capture', 'void', 'refund', 'check_status', 'cash_sale', 'cash_refund')),
      amount INTEGER,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'succeeded', 'declined', 'unknown', 'queued', 'needs_attention')),
      reference TEXT NOT NULL,                    -- merchant_reference, or maintenance_reference of a refund
      attempts INTEGER NOT NULL DEFAULT 0,        -- how many times it went out on the wire
      checks INTEGER NOT NULL DEFAULT 0,          -- how many check-status resolutions were tried
      response_code TEXT,
      message TEXT,
      user_id TEXT,
      user_name TEXT,
      approved_by TEXT,
      approved_by_name TEXT,
      reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      sent_at TEXT,
      finished_at TEXT,
      UNIQUE (payment_id, seq)
    );
    CREATE INDEX operations_unfinished ON operations(state, created_at)
      WHERE state IN ('pending', 'sent', 'unknown', 'queued', 'needs_attention');
    CREATE UNIQUE INDEX operations_refund_reference ON operations(reference) WHERE type = 'refund';
  `,
};
