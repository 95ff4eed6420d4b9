import type { Migration } from './migration';

// Split tender (docs/decisions/split-tender.md): an order may have several payments (tenders). A
// cash tender records what the customer handed over (`tendered`) and the change given back
// (`change_due`) next to the amount it counts toward the order. The ledger refuses a cash row whose
// three figures do not agree, so no bug can record change that was not due. (No new table or
// column: payments already had both fields; the shop server replicates them with the row.)
export const SPLIT_TENDER: Migration = {
  name: 'split-tender',
  up: `
    CREATE TRIGGER payments_cash_tender BEFORE INSERT ON payments
    WHEN NEW.method = 'cash' AND (NEW.tendered IS NULL OR NEW.change_due IS NULL OR NEW.tendered < NEW.amount OR NEW.change_due <> NEW.tendered - NEW.amount)
    BEGIN
      SELECT RAISE(ABORT, 'a cash tender needs tendered >= amount and change_due = tendered - amount');
    END;
  `,
};
