import type { Migration } from './migration';

// Owned by the payments feature. Every live operation is written twice (inserted SENT before the
// request, finished after it), and each write paid for an entry in `operations_unfinished`, an
// index over the in-flight states too. In-flight work is found through the payment instead:
// `payments.open_ops` counts a payment's PENDING / SENT / UNKNOWN operations and is rewritten in
// the same transaction as every change of an operation's state (markSent included), and its
// partial index `payments_unknown` lists exactly those payments. The operations index keeps the
// states people and the forwarder page through by age: QUEUED and NEEDS_ATTENTION, written as an
// OR because SQLite proves `state = 'queued'` implies an OR of equalities but not an IN list (the
// IN-list index it replaces was never chosen for those queries). Counters are recomputed here so
// a ledger written by an earlier version starts exact.
export const OPERATIONS_WAITING_INDEX: Migration = {
  name: 'operations-waiting-index',
  up: `
    DROP INDEX operations_unfinished;
    CREATE INDEX operations_waiting ON operations(state, created_at) WHERE state = 'queued' OR state = 'needs_attention';
    UPDATE payments SET
      open_ops = (SELECT COUNT(*) FROM operations o WHERE o.payment_id = payments.id AND o.state IN ('pending', 'sent', 'unknown')),
      queued = (SELECT COUNT(*) FROM operations o WHERE o.payment_id = payments.id AND +o.state = 'queued')
    WHERE open_ops != (SELECT COUNT(*) FROM operations o WHERE o.payment_id = payments.id AND o.state IN ('pending', 'sent', 'unknown'))
       OR queued != (SELECT COUNT(*) FROM operations o WHERE o.payment_id = payments.id AND +o.state = 'queued');
  `,
};
