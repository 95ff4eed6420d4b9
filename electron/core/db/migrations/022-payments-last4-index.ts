import type { Migration } from './migration';

// Owned by the transactions feature: Transactions' search finds a card's last 4 (a customer on the
// phone reads them from the card) through this index instead of reading every payment.
export const PAYMENTS_LAST4_INDEX: Migration = {
  name: 'payments-last4-index',
  up: `
    CREATE INDEX payments_last4 ON payments(last4) WHERE last4 IS NOT NULL;
  `,
};
