import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';

export interface Actor {
  id: string;
  name: string;
}

/** Who charges a period that fell due while the station was running. */
export const RUNNER: Actor = { id: 'system', name: 'recurring runner' };

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One audit entry as a savepoint: a failing audit is logged, never allowed to undo what was recorded. */
export function recurringAudit(deps: CoreDeps, actor: Actor, action: string, target: string, outcome: 'success' | 'failure', detail: string): void {
  try {
    deps.db.transaction(() => auditAs(deps, actor, { action, target, outcome, detail }))();
  } catch (e) {
    deps.log.error({ action, target, err: errText(e) }, 'audit append failed');
  }
}
