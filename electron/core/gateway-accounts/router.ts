import {
  GatewayInputRefused,
  type CaptureRequest, type ChargeRequest, type CheckStatusRequest, type ConfirmationRequest, type Gateway, type HostedForm, type HostedFormRequest,
  type Outcome, type RefundRequest, type TokenizationReturn, type UpdateTokenRequest, type VoidRequest,
} from '../../gateway/types';
import type { Db } from '../db/database';
import type { GatewayAccounts } from './accounts';
import { accountOfConfirmation, accountOfHostedReference, accountOfPaymentReference, accountOfToken } from './store';

/**
 * The one Gateway the rest of the core talks to. Every call goes to the account its payment, card
 * or card session was made on, looked up in the ledger by the reference the call carries: a
 * capture, void, refund, check status or resend of a payment made on the sandbox goes to the
 * sandbox even after the station moved to APS, and a sandbox token never reaches production.
 * Only what starts something new (the hosted card page, a probe) uses the active account.
 *
 * An account that is no longer configured is never replaced by another: money calls are refused
 * before sending (the executor records "refused before sending"), queries answer "declined".
 */
export class AccountRouter implements Gateway {
  constructor(
    private readonly db: Db,
    private readonly accounts: GatewayAccounts,
  ) {}

  get name(): string {
    return this.accounts.activeGateway().name;
  }

  get isSandbox(): boolean {
    return this.accounts.activeGateway().isSandbox;
  }

  private forPayment(reference: string): Gateway {
    const account = accountOfPaymentReference(this.db, reference);
    if (account === null) throw new GatewayInputRefused('NOT_CONFIGURED', 'merchant_reference', `no payment ${reference} on this station`);
    const g = this.accounts.gatewayFor(account);
    if (!g) throw new GatewayInputRefused('NOT_CONFIGURED', 'gateway_account', this.accounts.unavailableMessage(account));
    return g;
  }

  private refusedQuery<T>(merchantReference: string, message: string): Outcome<T> {
    return { kind: 'declined', refs: { merchantReference }, responseCode: 'ACCOUNT', message, status: '00' };
  }

  hostedForm(req: HostedFormRequest): HostedForm {
    return this.accounts.activeGateway().hostedForm(req);
  }

  verifyTokenizationReturn(params: Record<string, string>): TokenizationReturn {
    const ref = params['merchant_reference'] ?? '';
    const account = ref ? accountOfHostedReference(this.db, ref) : null;
    const g = account ? this.accounts.gatewayFor(account) : null;
    if (!g) return { ok: false, reason: 'malformed', message: 'This card page return does not belong to a configured gateway account.', ...(ref ? { merchantReference: ref } : {}) };
    return g.verifyTokenizationReturn(params);
  }

  async authorize(req: ChargeRequest) {
    return this.forPayment(req.merchantReference).authorize(req);
  }

  async purchase(req: ChargeRequest) {
    return this.forPayment(req.merchantReference).purchase(req);
  }

  async capture(req: CaptureRequest) {
    return this.forPayment(req.merchantReference).capture(req);
  }

  async voidAuthorization(req: VoidRequest) {
    return this.forPayment(req.merchantReference).voidAuthorization(req);
  }

  async refund(req: RefundRequest) {
    return this.forPayment(req.merchantReference).refund(req);
  }

  async checkStatus(req: CheckStatusRequest) {
    const account = accountOfPaymentReference(this.db, req.merchantReference);
    const g = account === null ? null : this.accounts.gatewayFor(account);
    if (!g) return this.refusedQuery<never>(req.merchantReference, account === null ? 'No such payment on this station.' : this.accounts.unavailableMessage(account));
    return g.checkStatus(req);
  }

  async updateToken(req: UpdateTokenRequest) {
    const account = accountOfToken(this.db, req.tokenName) ?? this.accounts.activeAccount();
    const g = this.accounts.gatewayFor(account);
    if (!g) return this.refusedQuery<never>(req.merchantReference, this.accounts.unavailableMessage(account));
    return g.updateToken(req);
  }

  async startConfirmation(req: ConfirmationRequest) {
    const account = accountOfToken(this.db, req.tokenName) ?? this.accounts.activeAccount();
    const g = this.accounts.gatewayFor(account);
    if (!g) return this.refusedQuery<never>('', this.accounts.unavailableMessage(account));
    return g.startConfirmation(req);
  }

  async getConfirmation(id: string) {
    const account = accountOfConfirmation(this.db, id) ?? this.accounts.activeAccount();
    const g = this.accounts.gatewayFor(account);
    if (!g) return this.refusedQuery<never>('', this.accounts.unavailableMessage(account));
    return g.getConfirmation(id);
  }

  probe(): Promise<boolean> {
    return this.accounts.activeGateway().probe();
  }
}
