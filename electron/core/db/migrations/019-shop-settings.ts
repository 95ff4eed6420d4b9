import type { Migration } from './migration';

// Owned by the shop feature (electron/core/shop, docs/decisions/shop-wide-settings.md): the
// shop-wide settings of a station in a shop, one row per key (value as JSON), replicated like the
// other records; the station's settings store follows them. A single station writes nothing here.
export const SHOP_SETTINGS: Migration = {
  name: 'shop-settings',
  up: `
    CREATE TABLE shop_settings (
      key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
      value_json TEXT NOT NULL CHECK (json_valid(value_json)),
      updated_at TEXT NOT NULL,
      updated_by TEXT
    );
  `,
};
