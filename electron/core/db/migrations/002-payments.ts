import type { Migration } from './index';

// Owned by the payments feature: orders, payments, operations (write-ahead log), hosted sessions.
export const PAYMENTS: Migration = {
  name: 'payments',
  up: `
    SELECT 1;
  `,
};
