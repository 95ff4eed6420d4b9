import type { Migration } from './migration';

// Owned by the shop feature (electron/core/shop, docs/stations.md): what a station needs to share
// its ledger through a shop server. Nothing here is used until the station joins a shop, and no
// trigger exists until then: a single station pays nothing for it.
//   shop_state      this station's id in the shop, whether replication is on, how far it pulled;
//                   `applying` is set only inside the transaction that applies other stations'
//                   records, so the outbox triggers (installed on joining) skip them
//   shop_outbox     rows changed here and not yet acknowledged by the server, by key; a change
//                   re-inserts the key with a new id (AUTOINCREMENT: never reused), so an
//                   acknowledgement for an older read never deletes a newer change
//   shop_known      the server seq of each record's version this station last saw (its base for
//                   compare-and-set) and the station that created the record
//   shop_conflicts  every local version the server did not take, kept (nothing recorded is lost)
//   shop_deferred   another station's payment or operation while its work is in flight there
//                   (outcome unknown, queued, needing attention): held back, so this station's
//                   recovery and offline forwarder never take up another desk's operation; the
//                   settled version replaces it
//   shop_connection how to reach the shop server; the password is a secret like the gateway's:
//                   here in the encrypted ledger, read only by the core to connect, never in
//                   settings.json, never sent to the screen or the logs
export const SHOP_OUTBOX: Migration = {
  name: 'shop-outbox',
  up: `
    CREATE TABLE shop_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      station_id TEXT NOT NULL CHECK (length(station_id) BETWEEN 1 AND 64),
      enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
      applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1)),
      pulled_seq INTEGER NOT NULL DEFAULT 0 CHECK (pulled_seq >= 0),
      joined_at TEXT
    );
    CREATE TABLE shop_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      tbl TEXT NOT NULL,
      pk TEXT NOT NULL,
      UNIQUE (tbl, pk)
    );
    CREATE TABLE shop_known (
      tbl TEXT NOT NULL,
      pk TEXT NOT NULL,
      seq INTEGER NOT NULL,
      origin TEXT,                     -- the station that created the record (whose payment it is)
      PRIMARY KEY (tbl, pk)
    ) WITHOUT ROWID;
    CREATE TABLE shop_conflicts (
      id INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      pk TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected', 'overwritten', 'unapplied')),
      detail TEXT NOT NULL,
      local_json TEXT,                 -- the version this station had (null: it had none)
      server_seq INTEGER,
      at TEXT NOT NULL
    );
    CREATE TABLE shop_deferred (
      tbl TEXT NOT NULL,
      pk TEXT NOT NULL,
      seq INTEGER NOT NULL,
      origin TEXT NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (tbl, pk)
    ) WITHOUT ROWID;
    CREATE TABLE shop_connection (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      host TEXT NOT NULL,
      port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      database TEXT NOT NULL,
      username TEXT NOT NULL,
      password TEXT NOT NULL DEFAULT '',
      tls TEXT NOT NULL CHECK (tls IN ('disable', 'require', 'verify-full')),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL
    );
  `,
};
