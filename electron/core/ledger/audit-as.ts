import type { CoreDeps } from '../deps';
import type { CallContext } from '../context';
import { appendAudit, type AuditInput } from './audit-log';

/** Records an action of the calling user (or of nobody yet, before sign-in). */
export function auditAs(
  deps: CoreDeps,
  actor: { id: string; name: string } | null,
  e: Pick<AuditInput, 'action' | 'outcome'> & Partial<Pick<AuditInput, 'target' | 'detail'>>,
): void {
  appendAudit(deps.db, {
    at: deps.clock.now().toISOString(),
    userId: actor?.id ?? null,
    userName: actor?.name ?? null,
    action: e.action,
    target: e.target ?? null,
    outcome: e.outcome,
    station: deps.station,
    detail: e.detail ?? '',
  });
}

export function requireUser(ctx: CallContext): NonNullable<CallContext['user']> {
  // The dispatcher guarantees a user for channels above 'none'; this is a second line of defence.
  if (!ctx.user) throw new Error('handler called without a signed-in user');
  return ctx.user;
}
