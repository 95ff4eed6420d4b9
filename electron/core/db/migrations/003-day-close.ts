import type { Migration } from './migration';

// Owned by the reports feature: closed days. A row is the canonical JSON of the day's report as it
// stood when a supervisor closed it, with its sha256; it is never updated or deleted (triggers, as
// for the audit log). One close per station-local date: one ledger is one station.
export const DAY_CLOSE: Migration = {
  name: 'day-close',
  up: `
    CREATE TABLE day_closes (
      date TEXT PRIMARY KEY,                       -- YYYY-MM-DD, station-local
      station TEXT NOT NULL,
      utc_offset_minutes INTEGER NOT NULL,
      end_utc_offset_minutes INTEGER NOT NULL,
      from_at TEXT NOT NULL,                       -- the day in UTC: [from_at, to_at)
      to_at TEXT NOT NULL,
      closed_at TEXT NOT NULL,
      closed_by TEXT NOT NULL,
      closed_by_name TEXT NOT NULL,
      snapshot_json TEXT NOT NULL,                 -- canonical JSON (sorted keys, no spaces)
      hash TEXT NOT NULL CHECK (length(hash) = 64) -- sha256 hex of snapshot_json
    );
    CREATE INDEX day_closes_closed ON day_closes(closed_at);
    CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes BEGIN SELECT RAISE(ABORT, 'closed days are immutable'); END;
    CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes BEGIN SELECT RAISE(ABORT, 'closed days are immutable'); END;

    -- The end-of-day report reads succeeded operations by when they finished.
    CREATE INDEX operations_finished ON operations(finished_at) WHERE state = 'succeeded';
  `,
};
