import type { CoreDeps } from '../deps';
import type { Role } from '../../../shared/domain/roles';
import { roleAtLeast } from '../../../shared/domain/roles';
import { ContractError } from '../../../shared/contract/errors';
import { coreText } from '../../../shared/contract/messages';
import { appendAudit } from '../ledger/audit-log';
import { checkSecret, isLocked, lockedMessage } from './credentials';
import { getUserRecord } from './users-repo';

/**
 * Does a refund of `amount` (minor units) need a supervisor's PIN? settings.refundApprovalLimit:
 * 0 = every refund, otherwise refunds at or above the limit.
 *
 * The requester's role does not exempt anyone: a supervisor's or admin's own refund is approved by
 * another supervisor, or (if an admin set allowSelfApproval) by re-entering their own PIN, which
 * verifyApproval decides. The parameter is kept so the rule can depend on it without changing
 * every caller.
 */
export function refundNeedsApproval(deps: CoreDeps, amount: number, _requesterRole: Role): boolean {
  const limit = deps.settings.get().refundApprovalLimit;
  return limit === 0 || amount >= limit;
}

export interface ApprovalRequest {
  supervisorId?: string | undefined;
  pin?: string | undefined;
  /** Who asked for the refund (the signed-in user). */
  requesterId: string;
  /** For the audit entry: what is being approved (e.g. the payment id) and a plain summary (amount, no card data). */
  target?: string | null;
  detail?: string;
}

export interface Approval {
  supervisorId: string;
  supervisorName: string;
}

/**
 * Checks a supervisor's approval and records it (granted or refused) in the audit log. Throws
 * ContractError APPROVAL_REQUIRED (nothing given) or APPROVAL_INVALID (wrong person, wrong PIN,
 * own request, locked account). A wrong PIN counts toward that supervisor's lockout.
 *
 * Call it BEFORE opening the refund's transaction (it awaits the PIN's hash, which a synchronous
 * transaction cannot): the failure counter and the refusal's audit entry must survive the error
 * it throws. Right before writing, the refund calls approverStillValid (without awaiting anything
 * in between) for what may have changed during the wait (docs/decisions/async-pin-hashing.md).
 */
export async function verifyApproval(deps: CoreDeps, req: ApprovalRequest): Promise<Approval> {
  if (!req.supervisorId || !req.pin) {
    throw new ContractError('APPROVAL_REQUIRED', coreText('refuse.approvalRequired'));
  }
  const now = deps.clock.now();
  const requester = getUserRecord(deps.db, req.requesterId);
  const audit = (outcome: 'success' | 'failure', why: string, supervisorName: string | null) => {
    appendAudit(deps.db, {
      at: now.toISOString(),
      userId: req.requesterId,
      userName: requester?.name ?? null,
      action: outcome === 'success' ? 'approval.granted' : 'approval.refused',
      target: req.target ?? null,
      outcome,
      station: deps.station,
      detail: [`approver ${supervisorName ?? req.supervisorId}`, why, req.detail].filter(Boolean).join('; '),
    });
  };
  const refuse = (why: string, message: string, supervisorName: string | null = null): never => {
    audit('failure', why, supervisorName);
    throw new ContractError('APPROVAL_INVALID', message);
  };

  const sup = getUserRecord(deps.db, req.supervisorId);
  if (!sup || !sup.active || !roleAtLeast(sup.role, 'supervisor')) {
    return refuse('not an active supervisor', 'Only an active supervisor or admin can approve this.', sup?.name ?? null);
  }
  if (sup.id === req.requesterId && !deps.settings.get().allowSelfApproval) {
    return refuse('own request', 'You cannot approve your own refund: ask another supervisor.', sup.name);
  }
  const r = await checkSecret(deps, sup.id, req.pin);
  if (!r.ok) {
    if (r.reason === 'inactive' || r.reason === 'unknown') {
      return refuse('not an active supervisor', 'Only an active supervisor or admin can approve this.', sup.name);
    }
    if (r.reason === 'locked' || r.justLocked) {
      return refuse('approver locked out', `${sup.name}: ${lockedMessage(r.lockedUntil!, now)}`, sup.name);
    }
    return refuse('wrong PIN', 'That supervisor PIN is not right.', sup.name);
  }
  // The role as stored after the PIN's check: a demotion meanwhile wins.
  if (!roleAtLeast(r.user.role, 'supervisor')) {
    return refuse('not an active supervisor', 'Only an active supervisor or admin can approve this.', sup.name);
  }
  audit('success', sup.id === req.requesterId ? 'self-approved' : 'approved', sup.name);
  return { supervisorId: sup.id, supervisorName: sup.name };
}

/**
 * Re-checks a granted approval right before the refund is written (no await in between, so nothing
 * can change it before the write): the approver is still an active supervisor or admin and not
 * locked out. A failure throws APPROVAL_INVALID; the refund then writes nothing.
 */
export function approverStillValid(deps: CoreDeps, approval: Approval, req: Pick<ApprovalRequest, 'requesterId' | 'target' | 'detail'>): void {
  const sup = getUserRecord(deps.db, approval.supervisorId);
  if (!sup || !sup.active || !roleAtLeast(sup.role, 'supervisor') || isLocked(sup, deps.clock.now())) {
    appendAudit(deps.db, {
      at: deps.clock.now().toISOString(),
      userId: req.requesterId,
      userName: getUserRecord(deps.db, req.requesterId)?.name ?? null,
      action: 'approval.refused',
      target: req.target ?? null,
      outcome: 'failure',
      station: deps.station,
      detail: [`approver ${approval.supervisorName}`, 'no longer an active supervisor when the refund was written', req.detail].filter(Boolean).join('; '),
    });
    throw new ContractError('APPROVAL_INVALID', `${approval.supervisorName} can no longer approve this: ask again.`);
  }
}
