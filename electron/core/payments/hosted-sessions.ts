import { ContractError, coreText } from '../../../shared/contract';
import type { TokenizationReturn } from '../../gateway/types';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/** A card handle is good for 30 minutes and for one charge. */
export const HOSTED_SESSION_MINUTES = 30;
export const HOSTED_SESSION_TTL_MS = HOSTED_SESSION_MINUTES * 60 * 1000;

export interface HostedSessionRow {
  id: string;
  merchant_reference: string;
  order_id: string | null;
  customer_id: string | null;
  state: 'waiting' | 'ready' | 'failed' | 'used';
  token_name: string | null;
  brand: string | null;
  last4: string | null;
  expiry: string | null;
  holder_name: string | null;
  message: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  returned_at: string | null;
  used_at: string | null;
  /** The account whose hosted page took the card (migration 008). */
  gateway_account: string;
}

export function insertSession(db: Db, row: HostedSessionRow): void {
  const cols = Object.keys(row);
  stmt(db, `INSERT INTO hosted_sessions (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

export function getSession(db: Db, id: string): HostedSessionRow | undefined {
  return stmt(db, 'SELECT * FROM hosted_sessions WHERE id = ?').get(id) as HostedSessionRow | undefined;
}

export function sessionByReference(db: Db, merchantReference: string): HostedSessionRow | undefined {
  return stmt(db, 'SELECT * FROM hosted_sessions WHERE merchant_reference = ?').get(merchantReference) as HostedSessionRow | undefined;
}

export function isSessionExpired(s: HostedSessionRow, now: Date): boolean {
  return now.getTime() >= Date.parse(s.expires_at);
}

/**
 * Records what the hosted page returned. Only a session still waiting accepts a return (a replayed
 * return cannot swap the card behind a handle already shown to the clerk).
 */
export function recordReturn(db: Db, s: HostedSessionRow, ret: TokenizationReturn, at: string): HostedSessionRow {
  if (ret.ok) {
    const v = ret.value;
    stmt(
      db,
      `UPDATE hosted_sessions SET state = 'ready', token_name = ?, brand = ?, last4 = ?, expiry = ?, holder_name = ?,
         message = 'Card ready', returned_at = ? WHERE id = ? AND state = 'waiting'`,
    ).run(v.tokenName, v.brand, v.last4, v.expiryDate, v.cardHolderName ?? '', at, s.id);
  } else {
    stmt(db, `UPDATE hosted_sessions SET state = 'failed', message = ?, returned_at = ? WHERE id = ? AND state = 'waiting'`).run(ret.message.slice(0, 200), at, s.id);
  }
  return getSession(db, s.id)!;
}

/** The handle for a charge: ready, not expired, not used before; refusals are typed and change nothing. */
export function usableSession(db: Db, handle: string, now: Date): HostedSessionRow {
  const s = getSession(db, handle);
  if (!s) throw new ContractError('NOT_FOUND', 'No such card handle.');
  if (s.state === 'used') throw new ContractError('NOT_ALLOWED', coreText('refuse.handleUsed'));
  if (s.state === 'failed') throw new ContractError('NOT_ALLOWED', coreText('refuse.handleFailed'));
  if (s.state !== 'ready' || !s.token_name) throw new ContractError('NOT_ALLOWED', coreText('refuse.handleNotReady'));
  if (isSessionExpired(s, now)) throw new ContractError('NOT_ALLOWED', coreText('refuse.handleExpired', { minutes: HOSTED_SESSION_MINUTES }));
  return s;
}

export function markSessionUsed(db: Db, id: string, at: string): void {
  const r = stmt(db, `UPDATE hosted_sessions SET state = 'used', used_at = ? WHERE id = ? AND state = 'ready'`).run(at, id);
  if (r.changes !== 1) throw new ContractError('CONFLICT', coreText('refuse.handleRace'));
}
