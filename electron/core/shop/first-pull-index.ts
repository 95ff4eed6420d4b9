import type { Db } from '../db/database';
import { TAG, customerTerms, orderTerm } from '../customers';

/**
 * A first pull writes a whole shop into an empty ledger. Indexing each record as it lands makes
 * search_terms grow by random inserts (a fifth of the pull's CPU at 1,000,000 cards); building it
 * once at the end, from the rows, with one sorted INSERT … SELECT turns them into appends.
 *
 * The deferral is durable: a flag in `meta`, written before the first batch and cleared in the
 * transaction that builds the index. A station that dies mid-pull finds the flag on restart,
 * pulls the rest without indexing and builds the index when it is caught up. Until then lookups
 * see only what this station had before the pull (the data is incomplete anyway).
 *
 * The terms are the ones `indexCustomer`, `indexCard` and `indexOrder` write (same functions),
 * so a lookup after a deferred pull answers as after an indexed one.
 */
const FLAG = 'shop.search_index_deferred';

export function searchIndexDeferred(db: Db): boolean {
  return db.prepare('SELECT 1 FROM meta WHERE key = ?').get(FLAG) !== undefined;
}

export function deferSearchIndex(db: Db, at: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(FLAG, at);
}

const registered = new WeakSet<Db>();

function register(db: Db): void {
  if (registered.has(db)) return;
  db.table('pos_customer_terms', {
    columns: ['term', 'kind'],
    parameters: ['name', 'email', 'phone'],
    *rows(name: unknown, email: unknown, phone: unknown) {
      for (const t of customerTerms({ id: '', name: String(name ?? ''), email: String(email ?? ''), phone: String(phone ?? '') })) yield [t.term, t.kind];
    },
  });
  // NULL for an order indexOrder would leave out (no reference).
  db.function('pos_order_term', { deterministic: true }, (reference: unknown) => {
    const ref = String(reference ?? '');
    return ref.trim() ? orderTerm(ref) : null;
  });
  registered.add(db);
}

/**
 * Rebuilds search_terms from customers, cards and orders in one transaction and clears the
 * deferral. The sort runs in memory (temp_store): SQLite3 Multiple Ciphers does not encrypt
 * temporary files, and the terms are names, emails and phones.
 */
export function buildDeferredSearchIndex(db: Db): { terms: number } {
  register(db);
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = MEMORY');
  try {
    return db.transaction(() => {
      const idx = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_terms' AND sql IS NOT NULL`).all() as { sql: string }[];
      // Secondary indexes are dropped and made again (one sort each) rather than fed random inserts.
      for (const { sql } of idx) db.exec(`DROP INDEX ${/^CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?("?[\w]+"?)/i.exec(sql)![1]}`);
      db.exec('DELETE FROM search_terms');
      const { changes } = db
        .prepare(
          `INSERT OR IGNORE INTO search_terms (term, kind, customer_id, ref)
           SELECT term, kind, customer_id, ref FROM (
             SELECT t.term AS term, t.kind AS kind, c.id AS customer_id, '' AS ref FROM customers c, pos_customer_terms(c.name, c.email, c.phone) t
             UNION ALL
             SELECT '${TAG.last4}' || last4, 'last4', customer_id, id FROM cards
               WHERE typeof(last4) = 'text' AND last4 GLOB '[0-9][0-9][0-9][0-9]' AND customer_id IS NOT NULL
             UNION ALL
             SELECT pos_order_term(reference), 'order', customer_id, reference FROM orders WHERE customer_id IS NOT NULL
           ) WHERE term IS NOT NULL
           ORDER BY term, customer_id, kind, ref`,
        )
        .run();
      for (const { sql } of idx) db.exec(sql);
      db.prepare('DELETE FROM meta WHERE key = ?').run(FLAG);
      return { terms: changes };
    })();
  } finally {
    db.pragma(`temp_store = ${tempStore}`);
    // The in-memory sort's pages go back to the allocator rather than staying with the connection.
    db.pragma('shrink_memory');
  }
}
