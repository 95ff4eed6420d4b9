import type { Migration } from './migration';

// Owned by the recurring feature (electron/core/recurring, docs/recurring.md): schedules of charges
// on a card on file (seed 001, eci RECURRING) and one row per period that fell due. A period row is
// written, with its deterministic reference (UNIQUE), before anything is charged; the order made
// for it carries the same reference (orders.reference is UNIQUE too), and the payments feature
// allows one live payment per order: a period can never be charged twice.
export const RECURRING: Migration = {
  name: 'recurring',
  up: `
    CREATE TABLE recurring_schedules (
      id TEXT PRIMARY KEY,
      short_id TEXT NOT NULL UNIQUE,                -- in every period reference
      customer_id TEXT NOT NULL REFERENCES customers(id),
      customer_name TEXT NOT NULL,
      card_id TEXT NOT NULL REFERENCES cards(id),
      amount INTEGER NOT NULL CHECK (amount > 0),   -- minor units
      currency TEXT NOT NULL,
      frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'yearly')),
      start_at TEXT NOT NULL,                       -- period 1 is due then
      end_at TEXT,                                  -- last instant a period may fall due
      count INTEGER CHECK (count IS NULL OR count > 0),
      description TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'cancelled', 'completed')),
      active_since TEXT NOT NULL,                   -- created or last resumed: a period due before it is "missed"
      last_period INTEGER NOT NULL DEFAULT 0,       -- highest period written to recurring_periods
      created_by TEXT NOT NULL,
      created_by_name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (end_at IS NULL OR count IS NULL)
    );
    CREATE INDEX recurring_schedules_customer ON recurring_schedules(customer_id, created_at);
    CREATE INDEX recurring_schedules_state ON recurring_schedules(state);

    CREATE TABLE recurring_periods (
      id TEXT PRIMARY KEY,
      schedule_id TEXT NOT NULL REFERENCES recurring_schedules(id),
      period INTEGER NOT NULL CHECK (period >= 1),
      due_at TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('missed', 'due', 'running', 'charged', 'skipped', 'needs_attention')),
      reference TEXT NOT NULL UNIQUE,               -- derived from the schedule and the period; the order's reference
      order_id TEXT REFERENCES orders(id),
      payment_id TEXT REFERENCES payments(id),      -- the latest attempt
      attempts INTEGER NOT NULL DEFAULT 0,          -- charges started (a retry after a decline is a new payment on the same order)
      reason TEXT,                                  -- why it needs attention, was skipped, or waits
      acted_by TEXT,                                -- who ran or skipped it (null: the runner)
      acted_by_name TEXT,
      started_at TEXT,
      finished_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (schedule_id, period)
    );
    CREATE INDEX recurring_periods_state ON recurring_periods(state, due_at);
  `,
};
