import type { Money } from '../../shared/money';

/**
 * The gateway seam of DESIGN.md. Every call has a timeout and resolves to an Outcome; a business
 * result (decline, uncertainty) is never an exception. `pending` means the gateway may or may not
 * have acted (timeout, connection reset, 5xx, truncated or badly signed reply, status 15/19/20):
 * the caller resolves it with checkStatus before anything is sent again.
 */
export interface GatewayRefs {
  /** Our own reference: the order's merchant_reference (idempotency key, written before sending). */
  merchantReference: string;
  /** The gateway's id for the order (APS fort_id), when known. */
  fortId?: string;
  /** Our reference of a refund (APS maintenance_reference). */
  maintenanceReference?: string;
}

export type Outcome<T> =
  | { kind: 'succeeded'; refs: GatewayRefs; value: T; responseCode: string; message: string }
  | { kind: 'declined'; refs: GatewayRefs; responseCode: string; message: string; status: string }
  | { kind: 'pending'; refs: GatewayRefs; reason: PendingReason; detail: string };

export type PendingReason =
  | 'timeout'
  | 'network'
  | 'http_status'
  | 'bad_response'
  | 'bad_signature'
  | 'uncertain_status';

export type Eci = 'MOTO' | 'RECURRING';

export interface ChargeRequest {
  merchantReference: string;
  amount: Money;
  tokenName: string;
  eci: Eci;
  customerEmail: string;
  customerName?: string;
  customerIp?: string;
  phoneNumber?: string;
  orderDescription?: string;
  /** RECURRING: the agreement from the first customer-initiated charge, when the gateway gave one. */
  agreementId?: string;
  language?: 'en' | 'ar';
}

export interface ChargeResult {
  fortId: string;
  authorizationCode?: string;
  /** Masked as the gateway returns it (first 6 + last 4 at most). */
  maskedCard?: string;
  expiryDate?: string;
  paymentOption?: string;
  tokenName?: string;
}

export interface CaptureRequest {
  merchantReference: string;
  fortId?: string;
  amount: Money;
  orderDescription?: string;
}

export interface VoidRequest {
  merchantReference: string;
  fortId?: string;
  orderDescription?: string;
}

export interface RefundRequest {
  merchantReference: string;
  fortId?: string;
  amount: Money;
  /** Our unique reference of this refund: the idempotency key of the refund. */
  maintenanceReference: string;
  orderDescription?: string;
}

export interface MaintenanceResult {
  fortId: string;
}

export interface CheckStatusRequest {
  merchantReference: string;
  fortId?: string;
  maintenanceReference?: string;
}

export interface CheckStatusResult {
  /** false when the gateway has no such order (it never reached the gateway): safe to send again. */
  found: boolean;
  fortId?: string;
  transactionStatus?: string;
  transactionCode?: string;
  transactionMessage?: string;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  authorizationCode?: string;
}

export interface UpdateTokenRequest {
  merchantReference: string;
  tokenName: string;
  status?: 'ACTIVE' | 'INACTIVE';
  /** YYMM */
  expiryDate?: string;
  cardHolderName?: string;
}

export interface TokenInfo {
  tokenName: string;
  maskedCard?: string;
  cardBrand?: string;
  expiryDate?: string;
  tokenStatus?: string;
}

/** A signed HTML form the renderer's frame posts to the gateway's hosted card page. */
export interface HostedFormRequest {
  merchantReference: string;
  returnUrl: string;
  language?: 'en' | 'ar';
  tokenName?: string;
  /**
   * Whether the customer wants the card kept (APS `remember_me`), decided on our screen. Posted
   * with the form so the gateway's page need not ask again; left out, the gateway's page asks.
   */
  rememberMe?: boolean;
}

export interface HostedForm {
  action: string;
  method: 'POST';
  /** Signed fields without any card data; the card fields are typed on the gateway's page. */
  fields: Record<string, string>;
}

/** What the hosted page sends back to our return URL, once its signature is verified. */
export interface TokenizationResult {
  merchantReference: string;
  tokenName: string;
  /** Masked, e.g. 400555******0001. */
  maskedCard: string;
  last4: string;
  brand: string;
  /** YYMM */
  expiryDate: string;
  cardHolderName?: string;
  rememberMe: boolean;
}

export type TokenizationReturn =
  | { ok: true; value: TokenizationResult }
  | { ok: false; reason: 'bad_signature' | 'failed' | 'malformed'; responseCode?: string; message: string; merchantReference?: string };

/** Email confirmation of a MOTO charge by the cardholder (seed 003). */
export interface ConfirmationRequest {
  emailAddress: string;
  tokenName: string;
  amount: Money;
  orderDescription: string;
  firstName: string;
  lastName: string;
  timeoutSeconds?: number;
  callbackUrl?: string;
  /** The customer's language for the email and the confirmation page (our addition to seed 003). */
  language?: 'en' | 'ar';
}

export type ConfirmationState = 'idle' | 'processing' | 'confirmed' | 'refused' | 'failed' | 'expired';
export type ConfirmationProcessState =
  | 'idle'
  | 'generating_token'
  | 'sending_email'
  | 'waiting_click'
  | 'waiting_agreement'
  | 'finished'
  | 'failed';

export interface Confirmation {
  id: string;
  state: ConfirmationState;
  processState: ConfirmationProcessState;
  failReason: string | null;
  userResponse: string | null;
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
}

/** Why an adapter refused a request before sending it. */
export type InputRefusedCode = 'REQUIRED' | 'TOO_LONG' | 'BAD_CHARSET' | 'BAD_FORMAT' | 'BAD_AMOUNT' | 'BAD_CURRENCY' | 'NOT_ALLOWED' | 'NOT_CONFIGURED';

/**
 * The one error a Gateway method may throw: the request was refused before anything was sent
 * (bad input, missing configuration), so nothing can have reached the gateway. The core reads
 * this kind and never an adapter's own class; anything else thrown means "maybe sent".
 */
export class GatewayInputRefused extends Error {
  constructor(
    readonly code: InputRefusedCode,
    /** The request field (e.g. merchant_reference) or configuration key at fault. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'GatewayInputRefused';
  }
}

/** True when `err` proves nothing was sent (see GatewayInputRefused). */
export function isInputRefused(err: unknown): err is GatewayInputRefused {
  return err instanceof GatewayInputRefused;
}

/** An adapter to one payment gateway. Methods throw only GatewayInputRefused (nothing sent). */
export interface Gateway {
  readonly name: string;
  /** True when this is the embedded sandbox (the UI shows a SANDBOX banner). */
  readonly isSandbox: boolean;
  hostedForm(req: HostedFormRequest): HostedForm;
  verifyTokenizationReturn(params: Record<string, string>): TokenizationReturn;
  authorize(req: ChargeRequest): Promise<Outcome<ChargeResult>>;
  purchase(req: ChargeRequest): Promise<Outcome<ChargeResult>>;
  capture(req: CaptureRequest): Promise<Outcome<MaintenanceResult>>;
  voidAuthorization(req: VoidRequest): Promise<Outcome<MaintenanceResult>>;
  refund(req: RefundRequest): Promise<Outcome<MaintenanceResult>>;
  checkStatus(req: CheckStatusRequest): Promise<Outcome<CheckStatusResult>>;
  updateToken(req: UpdateTokenRequest): Promise<Outcome<TokenInfo>>;
  startConfirmation(req: ConfirmationRequest): Promise<Outcome<Confirmation>>;
  getConfirmation(id: string): Promise<Outcome<Confirmation>>;
  /** A light reachability probe (no business effect). */
  probe(): Promise<boolean>;
}

/**
 * Payment Link (APS Invoice / Payment Link service, seed 001): the customer pays on their own
 * device and their bank authenticates them. docs/aps-gateway-links.md has every field's source.
 */
export type LinkNotification = 'EMAIL' | 'SMS' | 'EMAIL_SMS' | 'NONE';

export interface PaymentLinkRequest {
  /** Our reference of the link, written ahead; a paid link becomes a payment under it. */
  merchantReference: string;
  amount: Money;
  customerEmail: string;
  customerPhone?: string;
  notificationType: LinkNotification;
  /** ISO 8601 UTC instant; sent as "YYYY-MM-DDTHH:mm:ssZ". */
  expiresAt: string;
  orderDescription: string;
  language?: 'en' | 'ar';
}

export type PaymentLinkStatus = 'Open' | 'Paid' | 'Expired' | 'Closed';

export interface PaymentLinkInfo {
  paymentLinkId: string;
  /** The URL the customer opens; present on creation. */
  url?: string;
  status?: PaymentLinkStatus;
  expiresAt?: string;
  openedCount?: number;
  /** The gateway's id of the payment made through the link (APS fort_id), once paid. */
  fortId?: string;
  amount?: number;
}

export interface PaymentLinkStatusRequest {
  merchantReference: string;
  paymentLinkId?: string;
}

export interface PaymentLinkUpdateRequest {
  merchantReference: string;
  paymentLinkId: string;
  action: 'CLOSE' | 'EXTEND' | 'RESEND';
  expiresAt?: string;
}

/** Gateways that offer Payment Link (the APS adapter and the sandbox do). */
export interface PaymentLinkGateway {
  createPaymentLink(req: PaymentLinkRequest): Promise<Outcome<PaymentLinkInfo>>;
  checkPaymentLinkStatus(req: PaymentLinkStatusRequest): Promise<Outcome<PaymentLinkInfo & { found: boolean }>>;
  updatePaymentLink(req: PaymentLinkUpdateRequest): Promise<Outcome<PaymentLinkInfo>>;
}

export function supportsPaymentLinks(g: unknown): g is PaymentLinkGateway {
  return typeof g === 'object' && g !== null && typeof (g as PaymentLinkGateway).createPaymentLink === 'function';
}
