import { randomUUID } from 'node:crypto';
import { stationLanguage } from '../../../shared/contract/locale';
import type { Db } from '../db/database';
import type { Role } from '../../../shared/domain/roles';
import { prepared } from '../ledger/stmt-cache';

/** The contract's UserSchema shape; the secret never leaves this folder. */
export interface User {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}

export type UserLanguage = 'en' | 'ar';
export type UserDigits = 'latn' | 'arab';

export interface UserRecord extends User {
  /** The screen's language and digits for this person; null = the station's default. */
  language: UserLanguage | null;
  digits: UserDigits | null;
  secretHash: string;
  failedAttempts: number;
  lockedUntil: string | null;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  language: UserLanguage | null;
  digits: UserDigits | null;
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id, name: r.name, role: r.role, active: r.active === 1,
    secretHash: r.secret_hash, failedAttempts: r.failed_attempts, lockedUntil: r.locked_until,
    language: r.language ?? null, digits: r.digits ?? null,
  };
}

export function publicUser(u: User): User {
  return { id: u.id, name: u.name, role: u.role, active: u.active };
}

const COLS = 'id, name, role, secret_hash, active, failed_attempts, locked_until, language, digits';

export function getUserRecord(db: Db, id: string): UserRecord | undefined {
  const r = prepared(db, `SELECT ${COLS} FROM users WHERE id = ?`).get(id) as UserRow | undefined;
  return r && toRecord(r);
}

export function countUsers(db: Db): number {
  return (prepared(db, `SELECT count(*) AS n FROM users`).get() as { n: number }).n;
}

export function listUsers(db: Db, onlyActive: boolean): User[] {
  const rows = prepared(db, `SELECT ${COLS} FROM users WHERE (@onlyActive = 0 OR active = 1) ORDER BY name COLLATE NOCASE, id`).all({ onlyActive: onlyActive ? 1 : 0 }) as UserRow[];
  return rows.map((r) => publicUser(toRecord(r)));
}

export function countActiveAdmins(db: Db): number {
  return (prepared(db, `SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1`).get() as { n: number }).n;
}

/** `secretHash`: from secrets.hashSecret, computed before the caller's transaction (it is awaited). */
export function insertUser(db: Db, input: { name: string; role: Role; secretHash: string }, at: string): User {
  const user: User = { id: randomUUID(), name: input.name.trim(), role: input.role, active: true };
  prepared(db, `INSERT INTO users (id, name, role, secret_hash, active, failed_attempts, locked_until, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 0, NULL, ?, ?)`).run(
    user.id, user.name, user.role, input.secretHash, at, at,
  );
  return user;
}

export function updateUserRow(db: Db, id: string, patch: { name?: string | undefined; role?: Role | undefined; active?: boolean | undefined; secretHash?: string | undefined }, at: string): void {
  const cur = getUserRecord(db, id);
  if (!cur) return;
  // A new PIN set by an admin also lifts a lockout: the admin has confirmed who the user is (PCI DSS 8.3.4).
  const newHash = patch.secretHash ?? cur.secretHash;
  prepared(
    db,
    `UPDATE users SET name = ?, role = ?, active = ?, secret_hash = ?, failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?`,
  ).run(
    patch.name?.trim() ?? cur.name,
    patch.role ?? cur.role,
    (patch.active ?? cur.active) ? 1 : 0,
    newHash,
    patch.secretHash !== undefined ? 0 : cur.failedAttempts,
    patch.secretHash !== undefined ? null : cur.lockedUntil,
    at,
    id,
  );
}

export function setLockState(db: Db, id: string, failedAttempts: number, lockedUntil: string | null, at: string): void {
  prepared(db, `UPDATE users SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?`).run(failedAttempts, lockedUntil, at, id);
}

/** One's own language and digits (null = back to the station's default); left out = unchanged. */
export function setUserLanguage(db: Db, id: string, patch: { language?: UserLanguage | null; digits?: UserDigits | null }, at: string): void {
  const cur = getUserRecord(db, id);
  if (!cur) return;
  prepared(db, `UPDATE users SET language = ?, digits = ?, updated_at = ? WHERE id = ?`).run(
    patch.language === undefined ? cur.language : patch.language,
    patch.digits === undefined ? cur.digits : patch.digits,
    at,
    id,
  );
}

/** The language a person works in: their own, else the station's (settings locale). */
export function workingLanguage(db: Db, userId: string, stationLocale: string): UserLanguage {
  return getUserRecord(db, userId)?.language ?? stationLanguage(stationLocale).language;
}
