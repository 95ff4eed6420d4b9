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
  `,
};
