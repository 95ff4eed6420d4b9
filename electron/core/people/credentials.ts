import type { CoreDeps } from '../deps';
import { ContractError } from '../../../shared/contract/errors';
import { LOCKOUT_MINUTES } from '../../../shared/contract/limits';
import { appendAudit } from '../ledger/audit-log';
import { decoyHash, verifySecret } from './secrets';
import { getUserRecord, setLockState, type UserRecord } from './users-repo';

/** PCI DSS 8.3.4: lock after not more than 10 invalid attempts, for at least 30 minutes. */
export const MAX_FAILED_ATTEMPTS = 10;
export const LOCKOUT_MS = LOCKOUT_MINUTES * 60_000;

export type CheckResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: 'unknown' | 'inactive' | 'locked' | 'wrong'; user?: UserRecord; lockedUntil?: string; justLocked?: boolean };

export function isLocked(user: UserRecord, now: Date): boolean {
  return user.lockedUntil !== null && now.getTime() < Date.parse(user.lockedUntil);
}

/**
 * Checks one user's PIN or password and keeps the lockout counter, whatever the purpose (sign in,
 * unlock, refund approval): every wrong secret counts. The counter and lock are written in their
 * own statement, not in a caller's transaction that might roll back on the error that follows.
 * A locked account is refused without looking at the secret, so guessing on continues to fail.
 *
 * The hash is computed off the event loop (secrets.ts), so other calls run meanwhile: the verdict
 * is applied to the user as stored AFTER the hash (settle), in one synchronous transaction, so
 * concurrent wrong PINs each count and a lock, deactivation or new PIN set meanwhile wins.
 */
export async function checkSecret(deps: CoreDeps, userId: string, secret: string): Promise<CheckResult> {
  const before = getUserRecord(deps.db, userId);
  if (!before || !before.active) {
    await verifySecret(secret, await decoyHash()); // same cost as a real check
    return before ? { ok: false, reason: 'inactive', user: before } : { ok: false, reason: 'unknown' };
  }
  if (isLocked(before, deps.clock.now())) return { ok: false, reason: 'locked', user: before, lockedUntil: before.lockedUntil! };
  const matches = await verifySecret(secret, before.secretHash);
  return deps.db.transaction(() => settle(deps, userId, before.secretHash, matches))();
}

/** Applies a verified (or refused) secret to the user as stored now; see checkSecret. */
function settle(deps: CoreDeps, userId: string, hashChecked: string, matches: boolean): CheckResult {
  const now = deps.clock.now();
  const at = now.toISOString();
  const user = getUserRecord(deps.db, userId);
  if (!user) return { ok: false, reason: 'unknown' };
  if (!user.active) return { ok: false, reason: 'inactive', user };
  if (isLocked(user, now)) return { ok: false, reason: 'locked', user, lockedUntil: user.lockedUntil! };
  // A new PIN was set while the old one was being checked: the old one no longer signs anyone in.
  const ok = matches && user.secretHash === hashChecked;
  if (ok) {
    if (user.failedAttempts !== 0 || user.lockedUntil !== null) setLockState(deps.db, user.id, 0, null, at);
    return { ok: true, user: { ...user, failedAttempts: 0, lockedUntil: null } };
  }
  const failures = user.failedAttempts + 1;
  if (failures >= MAX_FAILED_ATTEMPTS) {
    // The counter starts again after the lock: 10 more tries once the 30 minutes are over.
    const lockedUntil = new Date(now.getTime() + LOCKOUT_MS).toISOString();
    setLockState(deps.db, user.id, 0, lockedUntil, at);
    appendAudit(deps.db, {
      at, userId: user.id, userName: user.name, action: 'user.lockout', target: user.id, outcome: 'failure',
      station: deps.station, detail: `${MAX_FAILED_ATTEMPTS} wrong PINs: locked until ${lockedUntil}`,
    });
    deps.log.warn({ userId: user.id, lockedUntil }, 'account locked after failed attempts');
    return { ok: false, reason: 'wrong', user, lockedUntil, justLocked: true };
  }
  setLockState(deps.db, user.id, failures, null, at);
  return { ok: false, reason: 'wrong', user };
}

export function lockedMessage(lockedUntil: string, now: Date): string {
  const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 60_000));
  return `This account is locked after too many wrong PINs. Try again in ${minutes} minute${minutes === 1 ? '' : 's'} or ask an admin to set a new PIN.`;
}

/** Turns a failed check into the error a sign-in or unlock shows. */
export function credentialError(deps: CoreDeps, r: Extract<CheckResult, { ok: false }>): ContractError {
  if (r.lockedUntil) return new ContractError('ACCOUNT_LOCKED', lockedMessage(r.lockedUntil, deps.clock.now()));
  return new ContractError('BAD_CREDENTIALS', 'That user or PIN is not right.');
}
