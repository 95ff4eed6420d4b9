import type { Migration } from './migration';

// Owned by the payments feature (issue 15; the recurring column by the recurring feature). The ledger itself refuses what the operation state
// machine (electron/core/payments/operation-states.ts) forbids, so no code path, present or
// future, can move an operation out of a final state or skip the status check:
// - a state change must be one of the table's moves (the list below; a test keeps it equal to
//   OPERATION_TRANSITIONS, so changing the table means a new migration, never an edit here);
// - a SUCCEEDED row never changes again, in any column;
// - a DECLINED row changes only by the named move to NEEDS_ATTENTION (forwarded_refused);
// - an operation is never deleted. (Which state a new row may start in is checked by
//   appendOperation: bulk seeders of historical ledgers write finished rows directly.)
export const OPERATION_STATE_GUARD: Migration = {
  name: 'operation-state-guard',
  up: `
    -- Item 4: "taken out of the queue by the forwarder" is on disk, set in the commit that takes
    -- a QUEUED operation to SENT and cleared when its outcome needs no one (succeeded) or has been
    -- handed to a person; a DECLINED row still marked is a refusal nobody has seen yet, whoever
    -- found it (the forwarder, the background resolver, the start-up sweep after a crash).
    ALTER TABLE operations ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1));
    CREATE INDEX operations_forwarded_refused ON operations(created_at) WHERE forwarded = 1 AND state = 'declined';

    -- Item 5: a schedule's periods follow the shop's calendar. Schedules written before this
    -- keep the UTC calendar their periods were computed on (their due dates do not move).
    ALTER TABLE recurring_schedules ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

    CREATE TRIGGER operations_state_moves BEFORE UPDATE OF state ON operations
    WHEN (OLD.state || '>' || NEW.state) NOT IN (
      'pending>sent', 'queued>sent', 'sent>succeeded', 'sent>declined', 'sent>unknown', 'sent>queued', 'sent>sent',
      'unknown>succeeded', 'unknown>declined', 'unknown>unknown', 'unknown>sent',
      'queued>needs_attention', 'declined>needs_attention', 'needs_attention>queued', 'needs_attention>declined')
    BEGIN SELECT RAISE(ABORT, 'operation state machine: illegal move'); END;

    CREATE TRIGGER operations_succeeded_final BEFORE UPDATE ON operations
    WHEN OLD.state = 'succeeded'
    BEGIN SELECT RAISE(ABORT, 'operation state machine: a succeeded operation is final'); END;

    CREATE TRIGGER operations_declined_final BEFORE UPDATE ON operations
    WHEN OLD.state = 'declined' AND NEW.state IS NOT 'needs_attention'
    BEGIN SELECT RAISE(ABORT, 'operation state machine: a declined operation is final'); END;

    CREATE TRIGGER operations_kept BEFORE DELETE ON operations
    BEGIN SELECT RAISE(ABORT, 'operation state machine: operations are never deleted'); END;
  `,
};
