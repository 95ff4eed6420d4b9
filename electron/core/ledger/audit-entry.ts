import type { CoreDeps } from '../deps';
import type { Ports } from '../ports';
import { tx } from './sql';

export interface Actor {
  id: string;
  name: string;
}

/** The system itself (start-up sweep, background resolution) when no user is acting. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'system' };

/**
 * One audit entry. Called inside the transaction that records the outcome, so the ledger and the
 * audit log never disagree; run as a savepoint and never allowed to undo a money outcome (a
 * failing audit is logged loudly instead). Detail is built by callers from amounts, references
 * and codes only: never card data, never a token name.
 */
export function audit(
  deps: CoreDeps,
  ports: Ports,
  actor: Actor | null,
  action: string,
  target: string | null,
  outcome: 'success' | 'failure',
  detail: string,
): void {
  try {
    tx(deps.db, () =>
      ports.appendAudit(deps.db, {
        at: deps.clock.now().toISOString(),
        userId: actor?.id ?? null,
        userName: actor?.name ?? null,
        action,
        target,
        outcome,
        station: deps.station,
        detail,
      }),
    );
  } catch (err) {
    deps.log.error({ action, target, err: err instanceof Error ? err.message : String(err) }, 'audit append failed');
  }
}
