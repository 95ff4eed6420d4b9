import { coreText, englishText, nested, type CoreParam, type CoreText } from '../../../shared/contract/messages';
import { APS_PRODUCTION_URLS, APS_SANDBOX_URLS, type ApsUrls } from '../../gateway/aps';
import type { ShaType } from '../../gateway/aps';
import type { GatewayEnvironmentName } from '../../../shared/contract';

/**
 * The gateway-account model (docs/going-live.md). An account is "environment:merchant identifier";
 * every payment, card on file and hosted card session records the one it was made on.
 */
export type Environment = GatewayEnvironmentName;
export type ApsEnvironmentName = Exclude<Environment, 'sandbox'>;

/** The embedded sandbox's documented merchant; migration 008's default (kept in ledger/account-key.ts). */
export { EMBEDDED_ACCOUNT } from '../ledger/account-key';

export function accountKey(environment: ApsEnvironmentName, merchantIdentifier: string): string {
  return `${environment}:${merchantIdentifier}`;
}

export function environmentOf(account: string): Environment | null {
  const env = account.slice(0, account.indexOf(':'));
  return env === 'sandbox' || env === 'test' || env === 'production' ? env : null;
}

/** "APS test account TESTMID" — how messages name an account. */
export function describeAccount(account: string): string {
  return englishText(accountText(account));
}

/** describeAccount as a key, to go inside another core sentence (`{{account}}`) in the reader's language. */
export function accountText(account: string): CoreText {
  const env = environmentOf(account);
  const mid = account.slice(account.indexOf(':') + 1);
  if (env === 'sandbox') return coreText('account.sandbox');
  if (env === 'test') return coreText('account.test', { mid });
  if (env === 'production') return coreText('account.production', { mid });
  return coreText('account.other', { account });
}

/** An account inside another sentence. */
export function accountParam(account: string): CoreParam {
  return nested(accountText(account));
}

/** The APS hosts are fixed per environment (docs/aps-gateway.md §1); only tests and development override them. */
export const FIXED_URLS: Readonly<Record<ApsEnvironmentName, ApsUrls>> = {
  test: APS_SANDBOX_URLS,
  production: APS_PRODUCTION_URLS,
};

export interface SecretMeta {
  setAt: string;
  setBy: string;
  last2: string;
}

export interface AccountSecrets {
  accessCode: string;
  requestPhrase: string;
  responsePhrase: string;
  confirmationApiKey?: string;
}

/** A stored APS account: the row of gateway_accounts, secrets included. Never leaves the core. */
export interface StoredAccount {
  environment: ApsEnvironmentName;
  merchantIdentifier: string;
  shaType: ShaType;
  currencies: string[];
  confirmation: { url: string; templateId: string } | null;
  urlOverride: ApsUrls | null;
  secrets: AccountSecrets;
  secretsMeta: Partial<Record<keyof AccountSecrets, SecretMeta>>;
  lastTest: { at: string; outcome: string } | null;
  updatedAt: string;
  updatedBy: string;
}

export function urlsOf(a: Pick<StoredAccount, 'environment' | 'urlOverride'>): ApsUrls {
  return a.environment === 'test' && a.urlOverride ? a.urlOverride : FIXED_URLS[a.environment];
}
