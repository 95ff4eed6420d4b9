import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { privateDir, privateSqliteFiles } from '../private-files';

/**
 * All sandbox state in one SQLite database: dataDir/sandbox.db (WAL) or in memory. Times are
 * sandbox-clock epoch milliseconds. No column ever holds a card number or a CVV: tokens keep the
 * masked number, the BIN and an HMAC of the number (unique-token lookup) only.
 */

export interface OrderRow {
  id: number;
  merchant_identifier: string;
  merchant_reference: string;
  fort_id: string;
  command: 'AUTHORIZATION' | 'PURCHASE';
  eci: string;
  currency: string;
  amount: number;
  authorized_amount: number;
  captured_amount: number;
  refunded_amount: number;
  voided: number;
  declined: number;
  token_name: string;
  masked_card: string;
  expiry_date: string;
  payment_option: string;
  authorization_code: string | null;
  created_at_ms: number;
  last_status: string;
  last_code: string;
  last_message: string;
}

export type OperationKind = 'AUTHORIZATION' | 'PURCHASE' | 'CAPTURE' | 'VOID_AUTHORIZATION' | 'REFUND';

export interface OperationRow {
  id: number;
  order_id: number;
  kind: OperationKind;
  amount: number;
  applied: number;
  status: string;
  response_code: string;
  response_message: string;
  maintenance_reference: string | null;
  created_at_ms: number;
}

export interface TokenRow {
  merchant_identifier: string;
  token_name: string;
  pan_hmac: string;
  card_bin: string;
  masked_card: string;
  brand: string;
  expiry_date: string;
  holder_name: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  behaviour: string;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface HostedSessionRow {
  id: string;
  merchant_identifier: string;
  params_json: string;
  get_redirect: number;
  created_at_ms: number;
  used: number;
}

export interface ConfirmationRow {
  id: string;
  merchant_identifier: string;
  template_id: string;
  state: string;
  callback_url: string | null;
  process_id: string;
  process_state: string;
  email_address: string;
  timeout_seconds: number;
  fail_reason: string | null;
  user_response: string | null;
  amount_minor: number;
  currency: string;
  order_description: string;
  first_name: string;
  last_name: string;
  token_name: string | null;
  masked_card: string;
  created_at_ms: number;
  updated_at_ms: number;
  process_created_at_ms: number;
  process_updated_at_ms: number;
  /** The language of the mail and the confirmation page ('en' | 'ar'); our addition to seed 003. */
  language: string;
}

export interface ActionRow {
  id: string;
  confirmation_id: string;
  seq: number;
  created_at_ms: number;
  action_name: string;
  actor: string;
  executed: number | null;
  error_message: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY,
  merchant_identifier TEXT NOT NULL,
  merchant_reference TEXT NOT NULL,
  fort_id TEXT NOT NULL UNIQUE,
  command TEXT NOT NULL,
  eci TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  authorized_amount INTEGER NOT NULL DEFAULT 0,
  captured_amount INTEGER NOT NULL DEFAULT 0,
  refunded_amount INTEGER NOT NULL DEFAULT 0,
  voided INTEGER NOT NULL DEFAULT 0,
  declined INTEGER NOT NULL DEFAULT 0,
  token_name TEXT NOT NULL,
  masked_card TEXT NOT NULL,
  expiry_date TEXT NOT NULL,
  payment_option TEXT NOT NULL,
  authorization_code TEXT,
  created_at_ms INTEGER NOT NULL,
  last_status TEXT NOT NULL,
  last_code TEXT NOT NULL,
  last_message TEXT NOT NULL,
  UNIQUE (merchant_identifier, merchant_reference)
);
CREATE TABLE IF NOT EXISTS operations (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id),
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  status TEXT NOT NULL,
  response_code TEXT NOT NULL,
  response_message TEXT NOT NULL,
  maintenance_reference TEXT,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS operations_order ON operations(order_id);
CREATE INDEX IF NOT EXISTS operations_maintenance ON operations(maintenance_reference) WHERE maintenance_reference IS NOT NULL;
CREATE TABLE IF NOT EXISTS tokens (
  merchant_identifier TEXT NOT NULL,
  token_name TEXT NOT NULL,
  pan_hmac TEXT NOT NULL,
  card_bin TEXT NOT NULL,
  masked_card TEXT NOT NULL,
  brand TEXT NOT NULL,
  expiry_date TEXT NOT NULL,
  holder_name TEXT,
  status TEXT NOT NULL,
  behaviour TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (merchant_identifier, token_name)
);
CREATE INDEX IF NOT EXISTS tokens_pan ON tokens(merchant_identifier, pan_hmac);
CREATE TABLE IF NOT EXISTS hosted_sessions (
  id TEXT PRIMARY KEY,
  merchant_identifier TEXT NOT NULL,
  params_json TEXT NOT NULL,
  get_redirect INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS confirmations (
  id TEXT PRIMARY KEY,
  merchant_identifier TEXT NOT NULL,
  template_id TEXT NOT NULL,
  state TEXT NOT NULL,
  callback_url TEXT,
  process_id TEXT NOT NULL UNIQUE,
  process_state TEXT NOT NULL,
  email_address TEXT NOT NULL,
  timeout_seconds INTEGER NOT NULL,
  fail_reason TEXT,
  user_response TEXT,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  order_description TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  token_name TEXT,
  masked_card TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  process_created_at_ms INTEGER NOT NULL,
  process_updated_at_ms INTEGER NOT NULL,
  language TEXT NOT NULL DEFAULT 'en'
);
CREATE TABLE IF NOT EXISTS confirmation_actions (
  id TEXT PRIMARY KEY,
  confirmation_id TEXT NOT NULL REFERENCES confirmations(id),
  seq INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  action_name TEXT NOT NULL,
  actor TEXT NOT NULL,
  executed INTEGER,
  error_message TEXT
);
`;

const SCHEMA_VERSION = 2;

export class Store {
  readonly db: Database.Database;

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per SQL text: the sandbox answers thousands of calls in soak tests. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  constructor(dataDir?: string) {
    if (dataDir) {
      // Tokens, holder names and masked cards: private to the user like the station's own data.
      privateDir(dataDir);
      const file = join(dataDir, 'sandbox.db');
      privateSqliteFiles(file);
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      privateSqliteFiles(file);
    } else {
      this.db = new Database(':memory:');
    }
    this.db.pragma('foreign_keys = ON');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`sandbox.db schema ${version} is newer than this sandbox (${SCHEMA_VERSION})`);
    this.db.exec(SCHEMA);
    // Version 1 had no confirmations.language (CREATE TABLE IF NOT EXISTS kept the old table).
    if (version === 1) this.db.exec(`ALTER TABLE confirmations ADD COLUMN language TEXT NOT NULL DEFAULT 'en'`);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- meta ---------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The per-sandbox HMAC key for card fingerprints; created once, kept with the data. */
  secret(): Buffer {
    let hex = this.getMeta('pan_hmac_secret');
    if (!hex) {
      hex = randomBytes(32).toString('hex');
      this.setMeta('pan_hmac_secret', hex);
    }
    return Buffer.from(hex, 'hex');
  }

  /** 18 digits: epoch seconds (10) + an 8-digit persisted counter, like APS's 149295435400084008. */
  nextFortId(nowMs: number): string {
    return this.tx(() => {
      const next = (Number(this.getMeta('fort_counter') ?? '0') + 1) % 100_000_000;
      this.setMeta('fort_counter', String(next));
      return `${Math.floor(nowMs / 1000)}`.padStart(10, '0') + String(next).padStart(8, '0');
    });
  }

  // --- orders and operations -----------------------------------------------------------------

  insertOrder(o: Omit<OrderRow, 'id'>): OrderRow {
    const info = this.stmt(
        `INSERT INTO orders (merchant_identifier, merchant_reference, fort_id, command, eci, currency, amount,
          authorized_amount, captured_amount, refunded_amount, voided, declined, token_name, masked_card, expiry_date,
          payment_option, authorization_code, created_at_ms, last_status, last_code, last_message)
         VALUES (@merchant_identifier, @merchant_reference, @fort_id, @command, @eci, @currency, @amount,
          @authorized_amount, @captured_amount, @refunded_amount, @voided, @declined, @token_name, @masked_card, @expiry_date,
          @payment_option, @authorization_code, @created_at_ms, @last_status, @last_code, @last_message)`,
      )
      .run(o);
    return { ...o, id: Number(info.lastInsertRowid) };
  }

  updateOrder(o: OrderRow): void {
    this.stmt(
        `UPDATE orders SET authorized_amount = @authorized_amount, captured_amount = @captured_amount,
          refunded_amount = @refunded_amount, voided = @voided, last_status = @last_status, last_code = @last_code,
          last_message = @last_message WHERE id = @id`,
      )
      .run(o);
  }

  orderByReference(merchantIdentifier: string, merchantReference: string): OrderRow | undefined {
    return this.stmt('SELECT * FROM orders WHERE merchant_identifier = ? AND merchant_reference = ?')
      .get(merchantIdentifier, merchantReference) as OrderRow | undefined;
  }

  orderByFortId(merchantIdentifier: string, fortId: string): OrderRow | undefined {
    return this.stmt('SELECT * FROM orders WHERE merchant_identifier = ? AND fort_id = ?')
      .get(merchantIdentifier, fortId) as OrderRow | undefined;
  }

  listOrders(merchantIdentifier?: string, merchantReference?: string): OrderRow[] {
    const where: string[] = [];
    const args: string[] = [];
    if (merchantIdentifier !== undefined) {
      where.push('merchant_identifier = ?');
      args.push(merchantIdentifier);
    }
    if (merchantReference !== undefined) {
      where.push('merchant_reference = ?');
      args.push(merchantReference);
    }
    const sql = `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    return this.stmt(sql).all(...args) as OrderRow[];
  }

  insertOperation(op: Omit<OperationRow, 'id'>): OperationRow {
    const info = this.stmt(
        `INSERT INTO operations (order_id, kind, amount, applied, status, response_code, response_message,
          maintenance_reference, created_at_ms)
         VALUES (@order_id, @kind, @amount, @applied, @status, @response_code, @response_message,
          @maintenance_reference, @created_at_ms)`,
      )
      .run(op);
    return { ...op, id: Number(info.lastInsertRowid) };
  }

  operationsOf(orderId: number): OperationRow[] {
    return this.stmt('SELECT * FROM operations WHERE order_id = ? ORDER BY id').all(orderId) as OperationRow[];
  }

  /** The applied refund of this merchant carrying a maintenance_reference, if any. */
  appliedRefundByMaintenanceReference(merchantIdentifier: string, maintenanceReference: string): (OperationRow & { order_fort_id: string; merchant_reference: string }) | undefined {
    return this.stmt(
        `SELECT op.*, o.fort_id AS order_fort_id, o.merchant_reference AS merchant_reference FROM operations op
         JOIN orders o ON o.id = op.order_id
         WHERE o.merchant_identifier = ? AND op.maintenance_reference = ? AND op.kind = 'REFUND' AND op.applied = 1
         ORDER BY op.id LIMIT 1`,
      )
      .get(merchantIdentifier, maintenanceReference) as (OperationRow & { order_fort_id: string; merchant_reference: string }) | undefined;
  }

  lastRefundByMaintenanceReference(orderId: number, maintenanceReference: string): OperationRow | undefined {
    return this.stmt(`SELECT * FROM operations WHERE order_id = ? AND maintenance_reference = ? AND kind = 'REFUND' ORDER BY id DESC LIMIT 1`)
      .get(orderId, maintenanceReference) as OperationRow | undefined;
  }

  appliedOperationCount(): number {
    const row = this.stmt('SELECT COUNT(*) AS n FROM operations WHERE applied = 1').get() as { n: number };
    return row.n;
  }

  // --- tokens --------------------------------------------------------------------------------

  token(merchantIdentifier: string, tokenName: string): TokenRow | undefined {
    return this.stmt('SELECT * FROM tokens WHERE merchant_identifier = ? AND token_name = ?')
      .get(merchantIdentifier, tokenName) as TokenRow | undefined;
  }

  tokenByPan(merchantIdentifier: string, panHmac: string): TokenRow | undefined {
    return this.stmt('SELECT * FROM tokens WHERE merchant_identifier = ? AND pan_hmac = ? ORDER BY created_at_ms LIMIT 1')
      .get(merchantIdentifier, panHmac) as TokenRow | undefined;
  }

  upsertToken(t: TokenRow): void {
    this.stmt(
        `INSERT INTO tokens (merchant_identifier, token_name, pan_hmac, card_bin, masked_card, brand, expiry_date,
          holder_name, status, behaviour, created_at_ms, updated_at_ms)
         VALUES (@merchant_identifier, @token_name, @pan_hmac, @card_bin, @masked_card, @brand, @expiry_date,
          @holder_name, @status, @behaviour, @created_at_ms, @updated_at_ms)
         ON CONFLICT(merchant_identifier, token_name) DO UPDATE SET pan_hmac = excluded.pan_hmac,
          card_bin = excluded.card_bin, masked_card = excluded.masked_card, brand = excluded.brand,
          expiry_date = excluded.expiry_date, holder_name = excluded.holder_name, status = excluded.status,
          behaviour = excluded.behaviour, updated_at_ms = excluded.updated_at_ms`,
      )
      .run(t);
  }

  renameToken(merchantIdentifier: string, from: string, to: string): void {
    this.stmt('UPDATE tokens SET token_name = ? WHERE merchant_identifier = ? AND token_name = ?').run(to, merchantIdentifier, from);
  }

  // --- hosted page sessions ------------------------------------------------------------------

  insertSession(s: HostedSessionRow): void {
    this.stmt('INSERT INTO hosted_sessions (id, merchant_identifier, params_json, get_redirect, created_at_ms, used) VALUES (@id, @merchant_identifier, @params_json, @get_redirect, @created_at_ms, @used)')
      .run(s);
  }

  session(id: string): HostedSessionRow | undefined {
    return this.stmt('SELECT * FROM hosted_sessions WHERE id = ?').get(id) as HostedSessionRow | undefined;
  }

  markSessionUsed(id: string): void {
    this.stmt('UPDATE hosted_sessions SET used = 1 WHERE id = ?').run(id);
  }

  // --- confirmations -------------------------------------------------------------------------

  insertConfirmation(c: ConfirmationRow): void {
    const cols = Object.keys(c);
    this.stmt(`INSERT INTO confirmations (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')})`).run(c);
  }

  updateConfirmation(c: ConfirmationRow): void {
    this.stmt(
        `UPDATE confirmations SET state = @state, process_state = @process_state, fail_reason = @fail_reason,
          user_response = @user_response, updated_at_ms = @updated_at_ms, process_updated_at_ms = @process_updated_at_ms
         WHERE id = @id`,
      )
      .run(c);
  }

  confirmation(id: string): ConfirmationRow | undefined {
    return this.stmt('SELECT * FROM confirmations WHERE id = ?').get(id) as ConfirmationRow | undefined;
  }

  confirmationByProcess(processId: string): ConfirmationRow | undefined {
    return this.stmt('SELECT * FROM confirmations WHERE process_id = ?').get(processId) as ConfirmationRow | undefined;
  }

  listConfirmations(): ConfirmationRow[] {
    return this.stmt('SELECT * FROM confirmations ORDER BY created_at_ms DESC, rowid DESC').all() as ConfirmationRow[];
  }

  insertAction(a: ActionRow): void {
    this.stmt('INSERT INTO confirmation_actions (id, confirmation_id, seq, created_at_ms, action_name, actor, executed, error_message) VALUES (@id, @confirmation_id, @seq, @created_at_ms, @action_name, @actor, @executed, @error_message)')
      .run(a);
  }

  actionsOf(confirmationId: string): ActionRow[] {
    return this.stmt('SELECT * FROM confirmation_actions WHERE confirmation_id = ? ORDER BY seq').all(confirmationId) as ActionRow[];
  }
}
