import type { Db } from '../db/database';
import { stmtCache } from '../ledger/stmt-cache';

/**
 * The search index: one row of search_terms per searchable term. Each term starts with a short
 * tag for what it is, so that every kind of lookup is its own contiguous range of the primary key
 * (term, customer_id, kind, ref) and a query is a range scan with LIMIT:
 *
 *   n0:<word>  first word of the name      n1:<word>  second word     n2:<word>  any later word
 *   e:<email>  folded email                p:<digits> phone digits    r:<digits reversed> phone suffix
 *   c:<last4>  card last 4 (ref = card id) o:<reference> order reference (ref = the reference)
 *
 * Splitting name words by position makes "ranked by which word" an index order too.
 */
export type TermKind = 'name' | 'email' | 'phone' | 'last4' | 'order';

export const TAG = {
  name: ['n0:', 'n1:', 'n2:'] as const,
  email: 'e:',
  phone: 'p:',
  phoneSuffix: 'r:',
  last4: 'c:',
  order: 'o:',
} as const;

// Letters NFKD does not decompose but people type without the mark.
const EXTRA_FOLDS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ß: 'ss', ı: 'i' };

/** Lowercase, strip accents (NFKD + remove combining marks), collapse spaces. "  José  ÁLVAREZ" → "jose alvarez". */
export function foldTerm(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øłđðþæœßı]/g, (ch) => EXTRA_FOLDS[ch] ?? ch)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Name words as the index keeps them: folded, split on spaces and hyphens, apostrophes and dots dropped ("O'Brien" → "obrien"). */
export function nameWords(text: string): string[] {
  return foldTerm(text)
    .replace(/['’.`]/g, '')
    .split(/[\s\-_,;/]+/)
    .filter((w) => w.length > 0);
}

export function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}

export function reverse(text: string): string {
  return [...text].reverse().join('');
}

export interface IndexableCustomer {
  id: string;
  name: string;
  email: string;
  phone: string;
}

interface TermRow {
  term: string;
  kind: TermKind;
}

/** The customer-level terms (ref = ''): name words by position, email, phone prefix and suffix. */
export function customerTerms(c: IndexableCustomer): TermRow[] {
  const rows: TermRow[] = [];
  const seen = new Set<string>();
  const add = (term: string, kind: TermKind) => {
    if (!seen.has(term)) {
      seen.add(term);
      rows.push({ term, kind });
    }
  };
  nameWords(c.name).forEach((w, i) => add(TAG.name[Math.min(i, 2)] + w, 'name'));
  const email = foldTerm(c.email).replace(/\s+/g, '');
  if (email) add(TAG.email + email, 'email');
  const phone = digitsOf(c.phone);
  if (phone) {
    add(TAG.phone + phone, 'phone');
    add(TAG.phoneSuffix + reverse(phone), 'phone');
  }
  return rows;
}

export function orderTerm(reference: string): string {
  return TAG.order + foldTerm(reference).replace(/\s+/g, '');
}

/** (Re)index a customer's own fields; card and order terms (ref ≠ '') are left alone. */
export function indexCustomer(db: Db, c: IndexableCustomer): void {
  const s = stmtCache(db, {
    clear: `DELETE FROM search_terms WHERE customer_id = ? AND ref = ''`,
    insert: `INSERT OR IGNORE INTO search_terms (term, kind, customer_id, ref) VALUES (?, ?, ?, '')`,
  });
  db.transaction(() => {
    s.clear.run(c.id);
    for (const t of customerTerms(c)) s.insert.run(t.term, t.kind, c.id);
  })();
}

/** Index a card on file by its last 4 (called by the payments feature when it saves a card). */
export function indexCard(db: Db, card: { id: string; customerId: string; last4: string }): void {
  if (!/^\d{4}$/.test(card.last4)) return;
  stmtCache(db, {
    insert: `INSERT OR IGNORE INTO search_terms (term, kind, customer_id, ref) VALUES (?, 'last4', ?, ?)`,
  }).insert.run(TAG.last4 + card.last4, card.customerId, card.id);
}

/** Index an order's reference so a clerk can find the customer from it; orders without a customer are not searchable here. */
export function indexOrder(db: Db, order: { reference: string; customerId: string | null }): void {
  if (!order.customerId || !order.reference.trim()) return;
  stmtCache(db, {
    insert: `INSERT OR IGNORE INTO search_terms (term, kind, customer_id, ref) VALUES (?, 'order', ?, ?)`,
  }).insert.run(orderTerm(order.reference), order.customerId, order.reference);
}
