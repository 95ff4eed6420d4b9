import { ContractError, coreText, englishText, GO_LIVE_CONFIRMATION, type CoreText, type GatewayAccountInputShape } from '../../../shared/contract';
import type { z } from 'zod';
import type { ConnectionTestSchema, GatewayStateSchema } from '../../../shared/contract';
import { ApsGateway, testApsConnection, type ApsGatewayConfig, type ApsLogger } from '../../gateway/aps';
import type { Gateway } from '../../gateway/types';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import { accountKey, accountParam, EMBEDDED_ACCOUNT, environmentOf, urlsOf, type AccountSecrets, type ApsEnvironmentName, type Environment, type SecretMeta, type StoredAccount } from './model';
import { blockingOperations, loadAccounts, loadActive, saveActive, upsertAccount } from './store';

export type GatewayState = z.output<typeof GatewayStateSchema>;
export type ConnectionTest = z.output<typeof ConnectionTestSchema>;

export interface GatewayAccountsOptions {
  /** The embedded sandbox (already pointed at the in-process simulator by the shell). */
  embedded: Gateway;
  /** Origin of the embedded sandbox's hosted card page (CSP of the shells). */
  embeddedPageOrigin?: string;
  /** Development and tests only: allow an APS test account to point at other URLs. Never production. */
  allowUrlOverride?: boolean;
  apsLogger?: ApsLogger;
  /** Per call of the built APS adapters; default the adapter's. */
  timeoutMs?: number;
  /** Test connection's time limit. */
  testTimeoutMs?: number;
}

const SECRET_FIELDS = ['accessCode', 'requestPhrase', 'responsePhrase'] as const;

/**
 * The station's gateway accounts: the embedded sandbox (always there), at most one APS test and
 * one APS production account, and which environment new payments go to. Secrets are read from
 * the encrypted ledger to sign and verify, and nowhere else.
 */
export class GatewayAccounts {
  private active: Environment = 'sandbox';
  private stored = new Map<ApsEnvironmentName, StoredAccount>();
  private built = new Map<string, Gateway>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: GatewayAccountsOptions,
  ) {
    this.reload();
  }

  private reload(): void {
    this.stored = new Map(loadAccounts(this.db).map((a) => [a.environment, a]));
    this.active = loadActive(this.db);
    this.built.clear();
    // A stored active environment whose account is gone cannot take payments: fall back to nothing
    // silently would send money elsewhere, so it stays, and gatewayFor refuses.
  }

  get urlOverrideAllowed(): boolean {
    return this.opts.allowUrlOverride === true;
  }

  activeEnvironment(): Environment {
    return this.active;
  }

  /** The account new payments and card sessions are made on. */
  activeAccount(): string {
    if (this.active === 'sandbox') return EMBEDDED_ACCOUNT;
    const a = this.stored.get(this.active);
    return a ? accountKey(a.environment, a.merchantIdentifier) : `${this.active}:`;
  }

  activeGateway(): Gateway {
    return this.gatewayFor(this.activeAccount()) ?? this.opts.embedded;
  }

  /** The gateway of an account, or null when this station no longer has it configured. */
  gatewayFor(account: string): Gateway | null {
    if (account === EMBEDDED_ACCOUNT) return this.opts.embedded;
    const env = environmentOf(account);
    if (env !== 'test' && env !== 'production') return null;
    const a = this.stored.get(env);
    if (!a || accountKey(a.environment, a.merchantIdentifier) !== account) return null;
    let g = this.built.get(account);
    if (!g) {
      g = new ApsGateway(this.configOf(a));
      this.built.set(account, g);
    }
    return g;
  }

  unavailableMessage(account: string): string {
    return englishText(this.unavailableText(account));
  }

  unavailableText(account: string): CoreText {
    return coreText('refuse.accountGone', { account: accountParam(account) });
  }

  /** Null when the account can be used; otherwise why not, as a core sentence for the clerk. */
  refusal(account: string): CoreText | null {
    return this.gatewayFor(account) ? null : this.unavailableText(account);
  }

  /** New payments: the active account must accept the currency. */
  checkCurrency(currency: string): void {
    if (this.active === 'sandbox') return;
    const a = this.stored.get(this.active);
    if (a && !a.currencies.includes(currency)) {
      throw new ContractError('NOT_ALLOWED', coreText('refuse.accountCurrency', { account: accountParam(this.activeAccount()), currencies: a.currencies.join(', '), currency }));
    }
  }

  hostedPageOrigin(): string | null {
    if (this.active === 'sandbox') return this.opts.embeddedPageOrigin ?? null;
    const a = this.stored.get(this.active);
    return a ? new URL(urlsOf(a).paymentPageUrl).origin : null;
  }

  private configOf(a: StoredAccount): ApsGatewayConfig {
    const urls = urlsOf(a);
    return {
      paymentApiUrl: urls.paymentApiUrl,
      paymentPageUrl: urls.paymentPageUrl,
      ...(a.confirmation ? { confirmationApiUrl: a.confirmation.url, confirmationTemplateId: a.confirmation.templateId } : {}),
      ...(a.confirmation && a.secrets.confirmationApiKey ? { confirmationApiKey: a.secrets.confirmationApiKey } : {}),
      accessCode: a.secrets.accessCode,
      merchantIdentifier: a.merchantIdentifier,
      requestPhrase: a.secrets.requestPhrase,
      responsePhrase: a.secrets.responsePhrase,
      shaType: a.shaType,
      language: 'en',
      isSandbox: false,
      name: a.environment === 'test' ? `APS test (${a.merchantIdentifier})` : `APS production (${a.merchantIdentifier})`,
      ...(this.opts.apsLogger ? { logger: this.opts.apsLogger } : {}),
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
    };
  }

  /** Whether the email-confirmation method exists for new payments (seed 003): hidden without a service. */
  confirmationAvailable(): boolean {
    if (this.active === 'sandbox') return true;
    return this.stored.get(this.active)?.confirmation != null;
  }

  // --- the settings screen ----------------------------------------------------------------

  state(): GatewayState {
    const meta = (m: SecretMeta | undefined) => m ?? { setAt: '', setBy: '', last2: '' };
    return {
      active: this.active,
      activeAccount: this.activeAccount(),
      urlOverrideAllowed: this.urlOverrideAllowed,
      blockers: blockingOperations(this.db).map((b) => ({ paymentReference: b.payment_reference, type: b.type, state: b.state, amount: b.amount, currency: b.currency })),
      accounts: [...this.stored.values()].map((a) => ({
        environment: a.environment,
        account: accountKey(a.environment, a.merchantIdentifier),
        merchantIdentifier: a.merchantIdentifier,
        shaType: a.shaType,
        currencies: a.currencies,
        secrets: { accessCode: meta(a.secretsMeta.accessCode), requestPhrase: meta(a.secretsMeta.requestPhrase), responsePhrase: meta(a.secretsMeta.responsePhrase) },
        confirmation: a.confirmation ? { ...a.confirmation, apiKey: a.secretsMeta.confirmationApiKey ?? null } : null,
        urlOverride: a.urlOverride,
        lastTest: a.lastTest,
        updatedAt: a.updatedAt,
        updatedBy: a.updatedBy,
      })),
    };
  }

  /** The account as it would be stored: typed fields, plus the stored secrets for what was left blank. */
  candidate(input: GatewayAccountInputShape, actorName: string): StoredAccount {
    if (input.urlOverride && (input.environment === 'production' || !this.urlOverrideAllowed)) {
      throw new ContractError('VALIDATION', input.environment === 'production' ? 'Production always uses the APS production hosts.' : 'This station does not allow other gateway URLs.', { urlOverride: 'Not allowed' });
    }
    const prev = this.stored.get(input.environment);
    const at = this.clock.now().toISOString();
    const secrets: Partial<AccountSecrets> = {};
    const secretsMeta: StoredAccount['secretsMeta'] = {};
    const missing: Record<string, string> = {};
    const typed: Partial<Record<keyof AccountSecrets, string | undefined>> = {
      accessCode: input.accessCode,
      requestPhrase: input.requestPhrase,
      responsePhrase: input.responsePhrase,
      ...(input.confirmation ? { confirmationApiKey: input.confirmation.apiKey } : {}),
    };
    const fields: (keyof AccountSecrets)[] = [...SECRET_FIELDS, ...(input.confirmation ? (['confirmationApiKey'] as const) : [])];
    for (const f of fields) {
      const value = typed[f] ?? prev?.secrets[f];
      if (!value) {
        missing[f === 'confirmationApiKey' ? 'confirmation.apiKey' : f] = 'Required';
        continue;
      }
      secrets[f] = value;
      secretsMeta[f] = typed[f] !== undefined && typed[f] !== prev?.secrets[f] ? { setAt: at, setBy: actorName, last2: value.slice(-2) } : (prev?.secretsMeta[f] ?? { setAt: at, setBy: actorName, last2: value.slice(-2) });
    }
    if (Object.keys(missing).length) throw new ContractError('VALIDATION', 'Some secrets are missing: type them (they are never shown again).', missing);
    return {
      environment: input.environment,
      merchantIdentifier: input.merchantIdentifier,
      shaType: input.shaType,
      currencies: [...new Set(input.currencies)],
      confirmation: input.confirmation ? { url: input.confirmation.url, templateId: input.confirmation.templateId } : null,
      urlOverride: input.environment === 'test' ? (input.urlOverride ?? null) : null,
      secrets: secrets as AccountSecrets,
      secretsMeta,
      lastTest: null,
      updatedAt: at,
      updatedBy: actorName,
    };
  }

  async test(a: StoredAccount): Promise<ConnectionTest> {
    const r = await testApsConnection({
      paymentApiUrl: urlsOf(a).paymentApiUrl,
      merchantIdentifier: a.merchantIdentifier,
      accessCode: a.secrets.accessCode,
      requestPhrase: a.secrets.requestPhrase,
      responsePhrase: a.secrets.responsePhrase,
      shaType: a.shaType,
      ...(this.opts.testTimeoutMs ? { timeoutMs: this.opts.testTimeoutMs } : {}),
    });
    return { outcome: r.outcome, message: r.message, ...(r.responseCode ? { responseCode: r.responseCode } : {}) };
  }

  /** Which fields (never values) changed, for the audit log. */
  changes(a: StoredAccount): string[] {
    const prev = this.stored.get(a.environment);
    if (!prev) return ['new account'];
    const out: string[] = [];
    if (prev.merchantIdentifier !== a.merchantIdentifier) out.push(`merchant identifier ${prev.merchantIdentifier} → ${a.merchantIdentifier}`);
    if (prev.shaType !== a.shaType) out.push(`SHA type ${prev.shaType} → ${a.shaType}`);
    if (prev.currencies.join() !== a.currencies.join()) out.push(`currencies ${a.currencies.join(' ')}`);
    for (const f of [...SECRET_FIELDS, 'confirmationApiKey'] as const) if (prev.secrets[f] !== a.secrets[f]) out.push(`${f} replaced`);
    if (JSON.stringify(prev.confirmation) !== JSON.stringify(a.confirmation)) out.push(a.confirmation ? 'confirmation service set' : 'confirmation service removed');
    if (JSON.stringify(prev.urlOverride) !== JSON.stringify(a.urlOverride)) out.push(a.urlOverride ? `URL override ${a.urlOverride.paymentApiUrl}` : 'URL override removed');
    return out.length ? out : ['no change'];
  }

  /** Refuses (with the list) while operations are queued, unknown or in flight. */
  assertNothingWaiting(what: string): void {
    const b = blockingOperations(this.db, 20);
    if (b.length === 0) return;
    const list = b.map((o) => `${o.payment_reference} ${o.type}${o.amount !== null ? ` ${o.amount} ${o.currency}` : ''} (${o.state})`).join('; ');
    throw new ContractError('CONFLICT', `${what} must wait: ${b.length === 20 ? 'at least ' : ''}${b.length} operation(s) are queued, unknown or in flight and must finish on their own account first: ${list}.`);
  }

  /** Stores an account (the caller has checked permissions, and for production a successful test). */
  store(a: StoredAccount, test: ConnectionTest | null): void {
    const prev = this.stored.get(a.environment);
    const changesAccount = prev && accountKey(prev.environment, prev.merchantIdentifier) !== accountKey(a.environment, a.merchantIdentifier);
    if (changesAccount || this.active === a.environment) this.assertNothingWaiting('Changing the account in use');
    const lastTest = test ? { at: this.clock.now().toISOString(), outcome: test.outcome } : null;
    upsertAccount(this.db, { ...a, lastTest });
    this.reload();
  }

  switchTo(environment: Environment, confirmation: string | undefined, actorName: string): { from: string; to: string } {
    if (environment !== 'sandbox' && !this.stored.get(environment)) {
      throw new ContractError('NOT_ALLOWED', `No APS ${environment} account is saved yet: enter and test it first.`);
    }
    if (environment === 'production') {
      const a = this.stored.get('production')!;
      if (a.lastTest?.outcome !== 'ok') throw new ContractError('NOT_ALLOWED', 'The production account has not passed a connection test: test it first.');
      if ((confirmation ?? '').trim().toUpperCase() !== GO_LIVE_CONFIRMATION) {
        throw new ContractError('VALIDATION', `Type ${GO_LIVE_CONFIRMATION} to confirm that real cards will be charged.`, { confirmation: `Type ${GO_LIVE_CONFIRMATION}` });
      }
    }
    const from = this.activeAccount();
    if (environment === this.active) return { from, to: from };
    this.assertNothingWaiting('Switching the gateway');
    saveActive(this.db, environment, this.clock.now().toISOString(), actorName);
    this.reload();
    return { from, to: this.activeAccount() };
  }
}
