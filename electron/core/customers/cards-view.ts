import type { Db } from '../db/database';
import type { CardRow as CardsTableRow } from '../cards';
import type { Clock } from '../clock';
import { prepared } from '../ledger/stmt-cache';

/** A card on file as the contract shows it (CardSchema): never the token. */
export interface CardView {
  id: string;
  customerId: string;
  brand: string;
  last4: string;
  expiry: string;
  holderName: string;
  status: 'active' | 'inactive';
  expired: boolean;
  createdAt: string;
}

/** The columns of the cards table this view reads (the row type is the cards feature's). */
type CardRow = Pick<CardsTableRow, 'id' | 'customer_id' | 'brand' | 'last4' | 'expiry' | 'holder_name' | 'status' | 'created_at'>;

/** YYMM of the clock's UTC month: a card is good through the last day of its expiry month. */
export function currentYymm(now: Date): number {
  return (now.getUTCFullYear() % 100) * 100 + now.getUTCMonth() + 1;
}

export function isExpired(expiry: string, now: Date): boolean {
  return Number(expiry) < currentYymm(now);
}

function toView(r: CardRow, now: Date): CardView {
  return {
    id: r.id,
    customerId: r.customer_id,
    brand: r.brand,
    last4: r.last4,
    expiry: r.expiry,
    holderName: r.holder_name,
    status: r.status,
    expired: isExpired(r.expiry, now),
    createdAt: r.created_at,
  };
}

const COLS = 'id, customer_id, brand, last4, expiry, holder_name, status, created_at';

/** All of a customer's cards, newest first (the customer screen shows inactive ones greyed). */
export function cardsOfCustomer(db: Db, customerId: string, clock: Clock): CardView[] {
  const now = clock.now();
  const rows = prepared(db, `SELECT ${COLS} FROM cards WHERE customer_id = ? ORDER BY created_at DESC, id`).all(customerId) as CardRow[];
  return rows.map((r) => toView(r, now));
}

/** Only the cards that can be charged again (search hits). */
export function activeCardsOfCustomer(db: Db, customerId: string, now: Date): CardView[] {
  const rows = prepared(db, `SELECT ${COLS} FROM cards WHERE customer_id = ? AND status = 'active' ORDER BY created_at DESC, id`).all(customerId) as CardRow[];
  return rows.map((r) => toView(r, now));
}
