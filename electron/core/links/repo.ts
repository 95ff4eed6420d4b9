import type { LinkState } from '../../../shared/contract';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/** The payment_links table (migration 014): one row per link, written before the gateway is asked. */
export interface LinkRow {
  id: string;
  order_id: string;
  reference: string;
  gateway_account: string;
  gateway_link_id: string | null;
  url: string | null;
  state: LinkState;
  amount: number;
  currency: string;
  customer_email: string;
  customer_phone: string | null;
  notify: 'EMAIL' | 'SMS' | 'EMAIL_SMS';
  language: string;
  description: string;
  expires_at: string;
  opened_count: number;
  payment_id: string | null;
  fort_id: string | null;
  message: string;
  attempts: number;
  checks: number;
  created_by: string;
  created_by_name: string;
  created_at: string;
  updated_at: string;
}

export function insertLink(db: Db, row: LinkRow): void {
  const cols = Object.keys(row);
  stmt(db, `INSERT INTO payment_links (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
}

export function getLink(db: Db, id: string): LinkRow | undefined {
  return stmt(db, 'SELECT * FROM payment_links WHERE id = ?').get(id) as LinkRow | undefined;
}

export function latestLinkOfOrder(db: Db, orderId: string): LinkRow | undefined {
  return stmt(db, 'SELECT * FROM payment_links WHERE order_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1').get(orderId) as LinkRow | undefined;
}

export function openLinkOfOrder(db: Db, orderId: string): LinkRow | undefined {
  return stmt(db, "SELECT * FROM payment_links WHERE order_id = ? AND state IN ('sending', 'unknown', 'sent', 'opened') LIMIT 1").get(orderId) as LinkRow | undefined;
}

export function linkCountOfOrder(db: Db, orderId: string): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM payment_links WHERE order_id = ?').get(orderId) as { n: number }).n;
}

export function openLinks(db: Db): LinkRow[] {
  return stmt(db, "SELECT * FROM payment_links WHERE state IN ('sending', 'unknown', 'sent', 'opened') ORDER BY created_at").all() as LinkRow[];
}

/** Links the customer may still pay that lapse in (now, soon], soonest first. */
export function expiringLinks(db: Db, now: string, soon: string): LinkRow[] {
  return stmt(db, "SELECT * FROM payment_links WHERE state IN ('sent', 'opened') AND expires_at > ? AND expires_at <= ? ORDER BY expires_at, id").all(now, soon) as LinkRow[];
}

type Patch = Partial<Pick<LinkRow, 'state' | 'gateway_link_id' | 'url' | 'expires_at' | 'opened_count' | 'payment_id' | 'fort_id' | 'message' | 'attempts' | 'checks'>>;

export function updateLink(db: Db, id: string, patch: Patch, at: string): LinkRow {
  const keys = Object.keys(patch);
  stmt(db, `UPDATE payment_links SET ${[...keys, 'updated_at'].map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...patch, updated_at: at, id });
  return getLink(db, id) as LinkRow;
}
