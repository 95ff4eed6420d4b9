import type { Migration } from './migration';

// Owned by the shop feature (docs/decisions/leaving-a-shop.md): when this station left its shop.
// Its shop_state row stays (the station id, and shop_known's origins say which records were
// made here: after leaving, only those are this station's to act on).
export const SHOP_LEAVE: Migration = {
  name: 'shop-leave',
  up: `
    ALTER TABLE shop_state ADD COLUMN left_at TEXT;
  `,
};
