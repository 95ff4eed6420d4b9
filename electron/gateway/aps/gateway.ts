import type {
  CaptureRequest,
  ChargeRequest,
  ChargeResult,
  CheckStatusRequest,
  CheckStatusResult,
  Confirmation,
  ConfirmationRequest,
  Gateway,
  HostedForm,
  HostedFormRequest,
  MaintenanceResult,
  Outcome,
  PaymentLinkGateway,
  PaymentLinkInfo,
  PaymentLinkRequest,
  PaymentLinkStatusRequest,
  PaymentLinkUpdateRequest,
  RefundRequest,
  TokenInfo,
  TokenizationReturn,
  UpdateTokenRequest,
  VoidRequest,
} from '../types';
import { classify } from './classify';
import * as confirmation from './confirmation';
import { buildPaymentLink, buildPaymentLinkStatus, buildPaymentLinkUpdate, toPaymentLinkInfo, toPaymentLinkStatus } from './payment-link';
import { ApsValidationError } from './errors';
import { checkField } from './fields';
import { maskToken, noopLogger, type ApsLogger } from './log';
import {
  buildCapture,
  buildCharge,
  buildCheckStatus,
  buildRefund,
  buildTokenizationForm,
  buildUpdateToken,
  buildVoid,
  type ApsCredentials,
  type ApsRequest,
} from './requests';
import type { z } from 'zod';
import { toChargeResult, toCheckStatusResult, toMaintenanceResult, toTokenInfo, type Envelope } from './responses';
import { SHA_TYPES, type ShaType, type SignableObject } from './signature';
import { verifyTokenizationReturn } from './tokenization';
import { httpExchange, type HttpRequest, type TransportResult } from './transport';

export interface ApsGatewayConfig {
  paymentApiUrl: string;
  paymentPageUrl: string;
  confirmationApiUrl?: string;
  confirmationApiKey?: string;
  confirmationTemplateId?: string;
  accessCode: string;
  merchantIdentifier: string;
  requestPhrase: string;
  responsePhrase: string;
  shaType: ShaType;
  /** Per call, headers and body together. Default 15000. */
  timeoutMs?: number;
  language: 'en' | 'ar';
  isSandbox: boolean;
  name: string;
  logger?: ApsLogger;
  /**
   * The HTTP exchange (default: real HTTP). The deterministic simulation passes an in-process
   * transport that carries the same APS JSON to the sandbox's logic with seeded faults.
   */
  exchange?: (req: HttpRequest) => Promise<TransportResult>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** The probe must not hold up the connectivity indicator for a full payment timeout. */
const PROBE_TIMEOUT_MS = 5_000;

function checkUrl(value: string | undefined, field: string): void {
  let ok: boolean;
  try {
    const u = new URL(value ?? '');
    ok = u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    ok = false;
  }
  if (!ok) throw new ApsValidationError('BAD_FORMAT', field, 'must be an http(s) URL');
}

/**
 * The Amazon Payment Services (FORT API) adapter. Each call: build + validate (throws on bad input,
 * before sending), one HTTP exchange (no retries: resending is the core's decision after check
 * status), verify + classify into an Outcome (never throws for anything the network or gateway does).
 */
export class ApsGateway implements Gateway, PaymentLinkGateway {
  readonly name: string;
  readonly isSandbox: boolean;
  private readonly creds: ApsCredentials;
  private readonly timeoutMs: number;
  private readonly log: ApsLogger;

  constructor(private readonly config: ApsGatewayConfig) {
    checkUrl(config.paymentApiUrl, 'paymentApiUrl');
    checkUrl(config.paymentPageUrl, 'paymentPageUrl');
    if (config.confirmationApiUrl) checkUrl(config.confirmationApiUrl, 'confirmationApiUrl');
    checkField('access_code', config.accessCode);
    checkField('merchant_identifier', config.merchantIdentifier);
    checkField('language', config.language);
    if (!config.requestPhrase) throw new ApsValidationError('REQUIRED', 'requestPhrase', 'is required');
    if (!config.responsePhrase) throw new ApsValidationError('REQUIRED', 'responsePhrase', 'is required');
    if (!SHA_TYPES.includes(config.shaType)) throw new ApsValidationError('NOT_ALLOWED', 'shaType', `one of ${SHA_TYPES.join(', ')}`);
    const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new ApsValidationError('BAD_FORMAT', 'timeoutMs', 'must be a positive integer');
    this.name = config.name;
    this.isSandbox = config.isSandbox;
    this.timeoutMs = timeoutMs;
    this.log = config.logger ?? noopLogger;
    this.creds = {
      accessCode: config.accessCode,
      merchantIdentifier: config.merchantIdentifier,
      requestPhrase: config.requestPhrase,
      shaType: config.shaType,
      language: config.language,
    };
  }

  hostedForm(req: HostedFormRequest): HostedForm {
    const built = buildTokenizationForm(this.creds, req);
    return { action: this.config.paymentPageUrl, method: 'POST', fields: { ...built.params } };
  }

  verifyTokenizationReturn(params: Record<string, string>): TokenizationReturn {
    const result = verifyTokenizationReturn(params, this.config.responsePhrase, this.config.shaType);
    // Nothing about the card is logged: not brand, not last 4, not expiry. Nor the merchant
    // reference: it names a live card session, and a log reader must not be able to aim a return at it.
    this.log.info(
      result.ok
        ? { command: 'TOKENIZATION', outcome: 'succeeded', tokenName: maskToken(result.value.tokenName) }
        : { command: 'TOKENIZATION', outcome: result.reason, responseCode: result.responseCode },
      'aps tokenization return',
    );
    return result;
  }

  // async so that a validation error reaches the caller as a rejection, like every other result.
  async authorize(req: ChargeRequest): Promise<Outcome<ChargeResult>> {
    return this.send(buildCharge(this.creds, 'AUTHORIZATION', req), (raw) => toChargeResult(raw));
  }

  async purchase(req: ChargeRequest): Promise<Outcome<ChargeResult>> {
    return this.send(buildCharge(this.creds, 'PURCHASE', req), (raw) => toChargeResult(raw));
  }

  async capture(req: CaptureRequest): Promise<Outcome<MaintenanceResult>> {
    return this.send(buildCapture(this.creds, req), (raw) => toMaintenanceResult(raw));
  }

  async voidAuthorization(req: VoidRequest): Promise<Outcome<MaintenanceResult>> {
    return this.send(buildVoid(this.creds, req), (raw) => toMaintenanceResult(raw));
  }

  async refund(req: RefundRequest): Promise<Outcome<MaintenanceResult>> {
    return this.send(buildRefund(this.creds, req), (raw) => toMaintenanceResult(raw));
  }

  async checkStatus(req: CheckStatusRequest): Promise<Outcome<CheckStatusResult>> {
    return this.send(buildCheckStatus(this.creds, req), (raw, env) => toCheckStatusResult(raw, env.response_code));
  }

  async updateToken(req: UpdateTokenRequest): Promise<Outcome<TokenInfo>> {
    return this.send(buildUpdateToken(this.creds, req), (raw) => toTokenInfo(raw));
  }

  async createPaymentLink(req: PaymentLinkRequest): Promise<Outcome<PaymentLinkInfo>> {
    return this.send(buildPaymentLink(this.creds, req), (raw) => toPaymentLinkInfo(raw));
  }

  async checkPaymentLinkStatus(req: PaymentLinkStatusRequest): Promise<Outcome<PaymentLinkInfo & { found: boolean }>> {
    return this.send(buildPaymentLinkStatus(this.creds, req), (raw, env) => toPaymentLinkStatus(raw, env.response_code));
  }

  async updatePaymentLink(req: PaymentLinkUpdateRequest): Promise<Outcome<PaymentLinkInfo>> {
    return this.send(buildPaymentLinkUpdate(this.creds, req), (raw) => toPaymentLinkInfo(raw));
  }

  async startConfirmation(req: ConfirmationRequest): Promise<Outcome<Confirmation>> {
    const started = performance.now();
    const outcome = await confirmation.startConfirmation(this.confirmationConfig(), req);
    this.logOutcome('CONFIRMATION_START', '', outcome, started);
    return outcome;
  }

  async getConfirmation(id: string): Promise<Outcome<Confirmation>> {
    const started = performance.now();
    const outcome = await confirmation.getConfirmation(this.confirmationConfig(), id);
    this.logOutcome('CONFIRMATION_GET', '', outcome, started);
    return outcome;
  }

  /**
   * Any HTTP answer means reachable (APS answers a HEAD with some status; that is enough); only
   * silence or a socket error is not. HEAD on the paymentApi URL itself, not the origin, so the
   * probe crosses the same host, TLS and path as a payment, and carries no body: no business effect.
   */
  async probe(): Promise<boolean> {
    const result = await (this.config.exchange ?? httpExchange)({ method: 'HEAD', url: this.config.paymentApiUrl, timeoutMs: Math.min(this.timeoutMs, PROBE_TIMEOUT_MS) });
    return result.kind === 'response' || result.kind === 'truncated';
  }

  private confirmationConfig(): Partial<confirmation.ConfirmationConfig> {
    return {
      url: this.config.confirmationApiUrl,
      apiKey: this.config.confirmationApiKey,
      templateId: this.config.confirmationTemplateId,
      merchantIdentifier: this.config.merchantIdentifier,
      timeoutMs: this.timeoutMs,
    };
  }

  private async send<T>(request: ApsRequest, toValue: (raw: SignableObject, env: Envelope) => T | z.ZodError): Promise<Outcome<T>> {
    const started = performance.now();
    let outcome: Outcome<T>;
    try {
      const result = await (this.config.exchange ?? httpExchange)({
        method: 'POST',
        url: this.config.paymentApiUrl,
        headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        body: JSON.stringify(request.params),
        timeoutMs: this.timeoutMs,
      });
      outcome = classify({ request, result, responsePhrase: this.config.responsePhrase, shaType: this.config.shaType, toValue });
    } catch (err) {
      // Unreachable by design (transport and classify do not throw), but a payment call that was
      // possibly sent must still end as "we do not know", never as an exception.
      outcome = {
        kind: 'pending',
        refs: { merchantReference: request.params['merchant_reference'] ?? '' },
        reason: 'bad_response',
        detail: `internal error: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    this.logOutcome(request.command, request.params['merchant_reference'] ?? '', outcome, started);
    return outcome;
  }

  private logOutcome(command: string, merchantReference: string, outcome: Outcome<unknown>, started: number): void {
    const entry = {
      command,
      merchantReference,
      outcome: outcome.kind,
      durationMs: Math.round(performance.now() - started),
      ...(outcome.kind === 'pending' ? { reason: outcome.reason, detail: outcome.detail } : { responseCode: outcome.responseCode }),
      ...(outcome.refs.fortId ? { fortId: outcome.refs.fortId } : {}),
      ...(outcome.refs.maintenanceReference ? { maintenanceReference: outcome.refs.maintenanceReference } : {}),
    };
    if (outcome.kind === 'pending') this.log.warn(entry, 'aps call pending');
    else this.log.info(entry, 'aps call');
  }
}
