import type { z } from 'zod';
import type { CardSchema } from '../../../shared/contract';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

export type Card = z.output<typeof CardSchema>;

/** A row of the cards table (migration 001). token_name never leaves the core. */
export interface CardRow {
  id: string;
  customer_id: string;
  token_name: string;
  brand: string;
  last4: string;
  expiry: string;
  holder_name: string;
  status: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
  /** The gateway account the token belongs to (migration 008): "environment:merchant identifier". */
  gateway_account: string;
}

export function getCardRow(db: Db, id: string): CardRow | undefined {
  return stmt(db, 'SELECT * FROM cards WHERE id = ?').get(id) as CardRow | undefined;
}

export function cardByToken(db: Db, tokenName: string): CardRow | undefined {
  return stmt(db, 'SELECT * FROM cards WHERE token_name = ?').get(tokenName) as CardRow | undefined;
}

export function insertCard(db: Db, row: CardRow): void {
  stmt(
    db,
    `INSERT INTO cards (id, customer_id, token_name, brand, last4, expiry, holder_name, status, created_at, updated_at, gateway_account)
     VALUES (@id, @customer_id, @token_name, @brand, @last4, @expiry, @holder_name, @status, @created_at, @updated_at, @gateway_account)`,
  ).run(row);
}

export function setCardStatus(db: Db, id: string, status: CardRow['status'], at: string): void {
  stmt(db, 'UPDATE cards SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

export function setCardExpiry(db: Db, id: string, expiry: string, at: string): void {
  stmt(db, 'UPDATE cards SET expiry = ?, updated_at = ? WHERE id = ?').run(expiry, at, id);
}

export function cardsOfCustomer(db: Db, customerId: string): CardRow[] {
  return stmt(db, 'SELECT * FROM cards WHERE customer_id = ? ORDER BY created_at DESC').all(customerId) as CardRow[];
}

/**
 * A card is usable through the last day of its expiry month (YYMM, as the gateway keeps it).
 * Compared in UTC on the clock's date, so a test clock decides, not the machine.
 */
export function isCardExpired(expiry: string, now: Date): boolean {
  const yy = Number(expiry.slice(0, 2));
  const mm = Number(expiry.slice(2, 4));
  if (!Number.isInteger(yy) || !Number.isInteger(mm) || mm < 1 || mm > 12) return true;
  const firstDayAfter = Date.UTC(2000 + yy, mm, 1); // month index mm = the month after expiry
  return now.getTime() >= firstDayAfter;
}

export function toCard(row: CardRow, now: Date): Card {
  return {
    id: row.id,
    customerId: row.customer_id,
    brand: row.brand,
    last4: row.last4,
    expiry: row.expiry,
    holderName: row.holder_name,
    status: row.status,
    expired: isCardExpired(row.expiry, now),
    createdAt: row.created_at,
    account: row.gateway_account,
  };
}
