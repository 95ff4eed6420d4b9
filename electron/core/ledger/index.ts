// The ground floor of the core (docs/architecture.md): what every feature may stand on. It imports
// no feature; features import it, never each other's files.
export { stmt, tx, newId, immediateCommit, GroupCommit, groupCommitStats, type Committer } from './sql';
export { prepared, stmtCache } from './stmt-cache';
export { appendAudit, verifyAudit, listAudit, auditHash, GENESIS_HASH, type AuditEntry, type AuditInput, type AuditVerdict, type AuditQuery } from './audit-log';
export { auditAs, requireUser } from './audit-as';
