import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/**
 * How many payments have each status, for the Transactions total of a status filter over all
 * time. Counting them walks `payments_status` (a year of a busy shop: 300,000-370,000 entries,
 * 60 ms, read and decrypted again each time because the index is larger than the page cache).
 *
 * The count of a status is taken once, the first time it is asked, and then kept by TEMP triggers:
 * they live in this connection only (nothing is written to the ledger file, no migration) and
 * change a TEMP table inside the same transaction as the payment, so a rolled-back change rolls
 * back its count too. A status whose count was never asked costs the triggers nothing but a
 * lookup that finds no row.
 */

const ready = new WeakSet<Db>();

function ensureTriggers(db: Db): void {
  if (ready.has(db)) return;
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS payment_status_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TEMP TRIGGER IF NOT EXISTS payment_status_counts_insert AFTER INSERT ON main.payments BEGIN
      UPDATE payment_status_counts SET n = n + 1 WHERE status = NEW.status;
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS payment_status_counts_delete AFTER DELETE ON main.payments BEGIN
      UPDATE payment_status_counts SET n = n - 1 WHERE status = OLD.status;
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS payment_status_counts_update AFTER UPDATE OF status ON main.payments WHEN OLD.status IS NOT NEW.status BEGIN
      UPDATE payment_status_counts SET n = n - 1 WHERE status = OLD.status;
      UPDATE payment_status_counts SET n = n + 1 WHERE status = NEW.status;
    END;
  `);
  ready.add(db);
}

/** The number of payments whose stored status is `status` (exactly `SELECT COUNT(*) … WHERE status = ?`). */
export function countByStatus(db: Db, status: string): number {
  ensureTriggers(db);
  const kept = stmt(db, 'SELECT n FROM temp.payment_status_counts WHERE status = ?').get(status) as { n: number } | undefined;
  if (kept) return kept.n;
  // One statement: the count and its row appear together, before any later change to payments.
  stmt(db, 'INSERT INTO temp.payment_status_counts (status, n) SELECT ?, COUNT(*) FROM main.payments WHERE status = ?').run(status, status);
  return (stmt(db, 'SELECT n FROM temp.payment_status_counts WHERE status = ?').get(status) as { n: number }).n;
}
