import type { Db } from '../db/database';
import type { Clock } from '../clock';
import { activeCardsOfCustomer, type CardView } from './cards-view';
import { rowToCustomer, type Customer } from './customers-repo';
import { TAG, digitsOf, foldTerm, nameWords, orderTerm, reverse, type TermKind } from './search-index';
import { prepared } from '../ledger/stmt-cache';

/**
 * Repeat-charge lookup. A query becomes an ordered list of "tiers"; each tier is one range of the
 * search_terms primary key (an exact term, or the terms strictly after a prefix), read lazily in
 * index order and abandoned as soon as the page is full. Nothing is sorted in memory, so a query
 * costs O(offset + limit) index entries whether 1,000 or 1,000,000 cards are on file.
 *
 * Ranking = tier order, then index order inside a tier:
 *   exact before prefix; for names the first word before the second before later ones;
 *   inside a tier by matched term, then newest customer first (customer ids sort newest first).
 * A customer appears once, at its best tier.
 */
export interface SearchHit {
  customer: Customer;
  cards: CardView[];
  matched: TermKind;
  orderReference: string | null;
}

export interface SearchPage {
  hits: SearchHit[];
  more: boolean;
}

interface Tier {
  mode: 'exact' | 'prefix';
  term: string;
  kind: TermKind;
}

/** Past this many index entries a word is "common": the multi-word planner only needs to compare words. */
const SELECTIVITY_CAP = 2000;
// Above every UTF-8 continuation of a prefix: SQLite compares text as UTF-8 bytes (BINARY).
const TOP = '\u{10FFFF}';

const exact = (term: string, kind: TermKind): Tier => ({ mode: 'exact', term, kind });
const prefix = (term: string, kind: TermKind): Tier => ({ mode: 'prefix', term, kind });

function nameTiers(word: string): { exact: Tier[]; prefix: Tier[] } {
  return {
    exact: TAG.name.map((t) => exact(t + word, 'name')),
    prefix: TAG.name.map((t) => prefix(t + word, 'name')),
  };
}

/** Looks like a phone number or digits (last 4, phone, numeric reference)? */
const DIGITISH = /^[\d\s+\-().]+$/;

export interface QueryPlan {
  tiers: Tier[];
  /** Further name words every hit must also have (as a prefix of one of its name words). */
  alsoWords: string[];
}

export function planQuery(db: Db, query: string): QueryPlan | null {
  const q = foldTerm(query);
  if (!q) return null;
  const compact = q.replace(/\s+/g, '');

  if (q.includes('@')) {
    return { tiers: [exact(TAG.email + compact, 'email'), prefix(TAG.email + compact, 'email')], alsoWords: [] };
  }

  if (DIGITISH.test(q) && /\d/.test(q)) {
    const d = digitsOf(q);
    const order = orderTerm(compact);
    const tiers: Tier[] = [];
    if (d.length === 4) tiers.push(exact(TAG.last4 + d, 'last4'));
    tiers.push(exact(TAG.phone + d, 'phone'), exact(order, 'order'));
    tiers.push(prefix(TAG.phone + d, 'phone'), exact(TAG.phoneSuffix + reverse(d), 'phone'), prefix(TAG.phoneSuffix + reverse(d), 'phone'));
    tiers.push(prefix(order, 'order'));
    return { tiers, alsoWords: [] };
  }

  const words = [...new Set(nameWords(q))];
  if (words.length === 0) return null;
  // Drive the scan with the most selective word; the others are checked per candidate.
  const driver = words.length === 1 ? words[0]! : pickDriver(db, words);
  const alsoWords = words.filter((w) => w !== driver);
  const names = nameTiers(driver);
  const single = !q.includes(' ');
  const email = TAG.email + compact;
  const order = orderTerm(compact);
  const tiers: Tier[] = [...names.exact];
  // An email or order reference is typed as one token; "smith" also finds smith@… and a reference "SMITH-12".
  if (single) tiers.push(exact(email, 'email'), exact(order, 'order'));
  tiers.push(...names.prefix);
  if (single) tiers.push(prefix(email, 'email'), prefix(order, 'order'));
  // alsoWords apply to name tiers only; the email/order tiers of a hyphenated token stand alone.
  return { tiers, alsoWords };
}

function pickDriver(db: Db, words: string[]): string {
  const count = prepared(
    db,
    `SELECT count(*) AS n FROM (SELECT 1 FROM search_terms WHERE term >= ? AND term < ? LIMIT ${SELECTIVITY_CAP})`,
  );
  let best = words[0]!;
  let bestN = Infinity;
  for (const w of words) {
    let n = 0;
    for (const tag of TAG.name) n += (count.get(tag + w, tag + w + TOP) as { n: number }).n;
    if (n < bestN || (n === bestN && w.length > best.length)) {
      best = w;
      bestN = n;
    }
  }
  return best;
}

interface Candidate {
  customerId: string;
  kind: TermKind;
  ref: string;
}

function* candidates(db: Db, tiers: Tier[]): Generator<Candidate> {
  const exactStmt = prepared(db, `SELECT customer_id, ref FROM search_terms WHERE term = ? ORDER BY customer_id, kind, ref`);
  const prefixStmt = prepared(db, `SELECT customer_id, ref FROM search_terms WHERE term > ? AND term < ? ORDER BY term, customer_id, kind, ref`);
  for (const t of tiers) {
    const rows = (t.mode === 'exact' ? exactStmt.iterate(t.term) : prefixStmt.iterate(t.term, t.term + TOP)) as IterableIterator<{ customer_id: string; ref: string }>;
    for (const r of rows) yield { customerId: r.customer_id, kind: t.kind, ref: r.ref };
  }
}

/** Does this customer have a name word starting with `word`? A range scan of the (customer_id, term) index. */
function hasNameWord(db: Db, customerId: string, word: string): boolean {
  const stmt = prepared(db, `SELECT 1 FROM search_terms WHERE customer_id = ? AND term >= ? AND term < ? LIMIT 1`);
  return TAG.name.some((tag) => stmt.get(customerId, tag + word, tag + word + TOP) !== undefined);
}

export function searchCustomers(db: Db, query: string, page: { limit: number; offset: number }, clock: Clock): SearchPage {
  const plan = planQuery(db, query);
  if (!plan) return { hits: [], more: false };
  const now = clock.now();
  const want = page.offset + page.limit + 1; // one more tells the screen there is a next page
  const seen = new Set<string>();
  const rejected = new Set<string>();
  const picked: Candidate[] = [];
  for (const c of candidates(db, plan.tiers)) {
    if (seen.has(c.customerId)) continue;
    if (c.kind === 'name' && plan.alsoWords.length > 0) {
      // Checked once per customer: a customer has several name rows in the driver's tiers at most.
      if (rejected.has(c.customerId)) continue;
      if (!plan.alsoWords.every((w) => hasNameWord(db, c.customerId, w))) {
        rejected.add(c.customerId);
        continue;
      }
    }
    seen.add(c.customerId);
    picked.push(c);
    if (picked.length >= want) break;
  }
  const getCustomer = prepared(db, `SELECT id, name, email, phone, language, created_at FROM customers WHERE id = ?`);
  const hits: SearchHit[] = [];
  for (const c of picked.slice(page.offset, page.offset + page.limit)) {
    const row = getCustomer.get(c.customerId) as Parameters<typeof rowToCustomer>[0] | undefined;
    if (!row) continue; // an index row whose customer is gone: skip rather than fail the search
    hits.push({
      customer: rowToCustomer(row),
      cards: activeCardsOfCustomer(db, c.customerId, now),
      matched: c.kind,
      orderReference: c.kind === 'order' ? c.ref : null,
    });
  }
  return { hits, more: picked.length > page.offset + page.limit };
}
