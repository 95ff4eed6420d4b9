import type { CoreDeps } from '../deps';
import type { PartialHandlers } from '../context';
import { SessionManager } from './sessions';
import { sessionHandlers } from './session-handlers';
import { usersHandlers, type PeopleOptions } from './users-handlers';

export type { PeopleOptions, ShopAuditCheck } from './users-handlers';

export { SessionManager } from './sessions';
export type { SessionState, CallerUser } from './sessions';
export { appendAudit, verifyAudit, listAudit, type AuditEntry, type AuditInput, type AuditVerdict } from '../ledger/audit-log';
export { approverStillValid, refundNeedsApproval, verifyApproval, type Approval, type ApprovalRequest } from './approval';

/** Sign-in, sessions, users and the audit log. */
export function createPeopleFeature(deps: CoreDeps, opts: PeopleOptions = {}): { handlers: PartialHandlers; sessions: SessionManager } {
  const sessions = new SessionManager(deps);
  return { handlers: { ...sessionHandlers(deps, sessions), ...usersHandlers(deps, sessions, opts) }, sessions };
}

// For the other features (their only way in: this file).
export { checkSecret, credentialError } from './credentials';
export { workingLanguage } from './users-repo';
