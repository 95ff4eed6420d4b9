/**
 * Which ledger tables a shop shares, and how (docs/stations.md, "What is replicated"). Every
 * table of the ledger is either here or in LOCAL_ONLY_TABLES with its reason; a test fails when a
 * migration adds a table that is in neither, so sharing is always a decision, never an accident.
 *
 * Rows travel column by column as the ledger holds them (`SELECT *`), so a column another
 * migration adds to a replicated table replicates with no change here.
 */
export interface ReplicatedTable {
  /** The ledger table (and the server's `records.tbl`). */
  name: string;
  /** Its primary key column (every replicated table has a single-column key). */
  key: string;
  /**
   * `station`: the key is only unique within one station (audit's seq, a closed day's date), so
   * on the server it is `<station id>:<key>` and other stations' rows are not written into this
   * ledger (they would collide with its own); the server keeps them.
   */
  scope: 'shop' | 'station';
  /**
   * The server's `latest` policy (server migration 6): no compare-and-set, the version with the
   * highest server seq wins; a change of this desk not yet sent is not replaced by a pulled one
   * (sent later, it is the later one).
   */
  latest?: true;
}

/** In the order a joining station enqueues its existing rows: what is referred to before what refers to it. */
export const REPLICATED_TABLES: readonly ReplicatedTable[] = [
  { name: 'users', key: 'id', scope: 'shop' },
  { name: 'customers', key: 'id', scope: 'shop' },
  { name: 'cards', key: 'id', scope: 'shop' },
  { name: 'orders', key: 'id', scope: 'shop' },
  { name: 'payment_links', key: 'id', scope: 'shop' },
  { name: 'payments', key: 'id', scope: 'shop' },
  { name: 'operations', key: 'id', scope: 'shop' },
  { name: 'confirmations', key: 'id', scope: 'shop' },
  { name: 'recurring_schedules', key: 'id', scope: 'shop' },
  { name: 'recurring_periods', key: 'id', scope: 'shop' },
  // The product catalog (ledger migration 013): one catalog for the shop, editable at any desk.
  { name: 'products', key: 'id', scope: 'shop' },
  { name: 'product_barcodes', key: 'barcode', scope: 'shop' },
  // Shop-wide settings (ledger migration 019, docs/decisions/shop-wide-settings.md).
  { name: 'shop_settings', key: 'key', scope: 'shop', latest: true },
  { name: 'audit', key: 'seq', scope: 'station' },
  { name: 'day_closes', key: 'date', scope: 'station' },
];

/** Ledger tables that stay on their station, and why. */
export const LOCAL_ONLY_TABLES: Readonly<Record<string, string>> = {
  meta: "the ledger's own bookkeeping",
  hosted_sessions: "a card handle between the gateway's hosted page and this station's next charge: minutes long, bound to this station's return URL; the card it saves replicates as a card on file",
  search_terms: 'derived from customers, cards and orders; each station rebuilds it from the replicated rows with the same code that builds it locally, so the index never disagrees with its rows and the wire carries several times fewer records',
  shop_state: "this station's place in the shop",
  shop_outbox: "this station's unsent changes",
  shop_known: 'the versions this station last saw',
  shop_conflicts: 'what the server did not take from this station',
  shop_deferred: "other stations' payments and operations held back while their work is in flight there",
  shop_connection: 'how this station reaches the shop server, with its password: a secret of this station',
  sqlite_sequence: "SQLite's AUTOINCREMENT counters",
  // Gateway accounts (ledger migration 008, on its own branch): credentials are secrets that never
  // leave a station's encrypted ledger; each station of a shop is set up with the same accounts.
  gateway_accounts: 'gateway credentials: secrets of this station, never sent to the shop server',
  gateway_active: "which gateway this station's new payments go to",
  // Bulk runs are this desk's work in progress (a preview, then a run it drives); what they produce
  // (operations) replicates like any other. Payment links replicate ('owned': the desk that sent
  // one follows it; the others see it sent, opened, paid).
  bulk_runs: "this desk's bulk runs (their operations replicate)",
  // The Transactions search index (ledger migration 016): an FTS5 table and its shadow tables,
  // derived from payments by triggers on each station, as search_terms is from customers.
  payments_text: 'derived from payments (FTS5 index of customer names); each station keeps it from its own payments rows by triggers',
  payments_text_data: 'FTS5 shadow table of payments_text',
  payments_text_idx: 'FTS5 shadow table of payments_text',
  payments_text_docsize: 'FTS5 shadow table of payments_text',
  payments_text_config: 'FTS5 shadow table of payments_text',
  bulk_rows: "rows of this desk's bulk runs",
};

export function replicatedTable(name: string): ReplicatedTable | undefined {
  return REPLICATED_TABLES.find((t) => t.name === name);
}

/** The record's key on the server. */
export function serverKey(t: ReplicatedTable, stationId: string, localKey: string): string {
  return t.scope === 'station' ? `${stationId}:${localKey}` : localKey;
}
