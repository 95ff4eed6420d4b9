import type { ShaType } from '../../gateway/aps';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';
import type { AccountSecrets, ApsEnvironmentName, Environment, SecretMeta, StoredAccount } from './model';

interface AccountRow {
  environment: ApsEnvironmentName;
  merchant_identifier: string;
  sha_type: string;
  currencies: string;
  confirmation_url: string | null;
  confirmation_template_id: string | null;
  payment_api_url: string | null;
  payment_page_url: string | null;
  secrets: string;
  secrets_meta: string;
  last_test_at: string | null;
  last_test_outcome: string | null;
  updated_at: string;
  updated_by: string;
}

function fromRow(r: AccountRow): StoredAccount {
  return {
    environment: r.environment,
    merchantIdentifier: r.merchant_identifier,
    shaType: r.sha_type as ShaType,
    currencies: JSON.parse(r.currencies) as string[],
    confirmation: r.confirmation_url && r.confirmation_template_id ? { url: r.confirmation_url, templateId: r.confirmation_template_id } : null,
    urlOverride: r.payment_api_url && r.payment_page_url ? { paymentApiUrl: r.payment_api_url, paymentPageUrl: r.payment_page_url } : null,
    secrets: JSON.parse(r.secrets) as AccountSecrets,
    secretsMeta: JSON.parse(r.secrets_meta) as Partial<Record<keyof AccountSecrets, SecretMeta>>,
    lastTest: r.last_test_at && r.last_test_outcome ? { at: r.last_test_at, outcome: r.last_test_outcome } : null,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export function loadAccounts(db: Db): StoredAccount[] {
  return (stmt(db, 'SELECT * FROM gateway_accounts ORDER BY environment DESC').all() as AccountRow[]).map(fromRow);
}

export function upsertAccount(db: Db, a: StoredAccount): void {
  stmt(
    db,
    `INSERT INTO gateway_accounts (environment, merchant_identifier, sha_type, currencies, confirmation_url, confirmation_template_id,
       payment_api_url, payment_page_url, secrets, secrets_meta, last_test_at, last_test_outcome, updated_at, updated_by)
     VALUES (@environment, @merchant_identifier, @sha_type, @currencies, @confirmation_url, @confirmation_template_id,
       @payment_api_url, @payment_page_url, @secrets, @secrets_meta, @last_test_at, @last_test_outcome, @updated_at, @updated_by)
     ON CONFLICT (environment) DO UPDATE SET merchant_identifier = excluded.merchant_identifier, sha_type = excluded.sha_type,
       currencies = excluded.currencies, confirmation_url = excluded.confirmation_url, confirmation_template_id = excluded.confirmation_template_id,
       payment_api_url = excluded.payment_api_url, payment_page_url = excluded.payment_page_url, secrets = excluded.secrets,
       secrets_meta = excluded.secrets_meta, last_test_at = excluded.last_test_at, last_test_outcome = excluded.last_test_outcome,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run({
    environment: a.environment,
    merchant_identifier: a.merchantIdentifier,
    sha_type: a.shaType,
    currencies: JSON.stringify(a.currencies),
    confirmation_url: a.confirmation?.url ?? null,
    confirmation_template_id: a.confirmation?.templateId ?? null,
    payment_api_url: a.urlOverride?.paymentApiUrl ?? null,
    payment_page_url: a.urlOverride?.paymentPageUrl ?? null,
    secrets: JSON.stringify(a.secrets),
    secrets_meta: JSON.stringify(a.secretsMeta),
    last_test_at: a.lastTest?.at ?? null,
    last_test_outcome: a.lastTest?.outcome ?? null,
    updated_at: a.updatedAt,
    updated_by: a.updatedBy,
  });
}

export function loadActive(db: Db): Environment {
  const r = stmt(db, 'SELECT environment FROM gateway_active WHERE id = 1').get() as { environment: Environment } | undefined;
  return r?.environment ?? 'sandbox';
}

export function saveActive(db: Db, environment: Environment, at: string, by: string): void {
  stmt(
    db,
    `INSERT INTO gateway_active (id, environment, changed_at, changed_by) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET environment = excluded.environment, changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
  ).run(environment, at, by);
}

/** The account a payment / card / hosted session was made on (null: no such row). */
export function accountOfPaymentReference(db: Db, reference: string): string | null {
  const r = stmt(db, 'SELECT gateway_account FROM payments WHERE reference = ?').get(reference) as { gateway_account: string } | undefined;
  return r?.gateway_account ?? null;
}

export function accountOfToken(db: Db, tokenName: string): string | null {
  const r = stmt(db, 'SELECT gateway_account FROM cards WHERE token_name = ? LIMIT 1').get(tokenName) as { gateway_account: string } | undefined;
  return r?.gateway_account ?? null;
}

export function accountOfHostedReference(db: Db, merchantReference: string): string | null {
  const r = stmt(db, 'SELECT gateway_account FROM hosted_sessions WHERE merchant_reference = ?').get(merchantReference) as { gateway_account: string } | undefined;
  return r?.gateway_account ?? null;
}

export function accountOfConfirmation(db: Db, gatewayId: string): string | null {
  const r = stmt(db, 'SELECT c.gateway_account FROM confirmations f JOIN cards c ON c.id = f.card_id WHERE f.gateway_id = ? LIMIT 1').get(gatewayId) as
    | { gateway_account: string }
    | undefined;
  return r?.gateway_account ?? null;
}

export interface BlockerRow {
  payment_reference: string;
  type: string;
  state: string;
  amount: number | null;
  currency: string;
}

/**
 * Operations that make a switch wait: queued, or whose outcome is not known yet (pending, sent,
 * unknown). Found through the payments' counters and their partial indexes (payments_queued,
 * payments_unknown), like the forwarder does.
 */
export function blockingOperations(db: Db, limit = 50): BlockerRow[] {
  return stmt(
    db,
    `SELECT p.reference AS payment_reference, o.type, o.state, o.amount, p.currency
       FROM (SELECT id FROM payments WHERE queued > 0 UNION SELECT id FROM payments WHERE open_ops > 0) w
       JOIN payments p ON p.id = w.id
       JOIN operations o ON o.payment_id = p.id
      WHERE o.state IN ('queued', 'pending', 'sent', 'unknown')
      ORDER BY o.created_at LIMIT ?`,
  ).all(limit) as BlockerRow[];
}
