import type { ShaType } from '../aps/signature';

/** One merchant account known to the sandbox (what the APS back office would hold). */
export interface MerchantConfig {
  merchantIdentifier: string;
  accessCode: string;
  /** SHA request phrase: the merchant signs requests with it. */
  requestPhrase: string;
  /** SHA response phrase: the sandbox signs responses with it. */
  responsePhrase: string;
  shaType: ShaType;
  /** APS "unique tokens" account option (§3.3): one token name per card number. */
  uniqueTokens?: boolean;
  /** Bearer key of the email confirmation service (seed 003). */
  confirmationApiKey?: string;
}

/** Structural subset of a pino logger, so a pino instance can be passed as is. */
export interface SandboxLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SandboxOptions {
  /** 0 or undefined = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Directory of sandbox.db; undefined = in-memory SQLite (state dies with the server). */
  dataDir?: string;
  /** Default [DEFAULT_MERCHANT]. */
  merchants?: MerchantConfig[];
  /** Sets the sandbox clock at start (overrides a persisted clock offset). */
  startTime?: Date;
  logger?: SandboxLogger;
  /**
   * Extra CSP frame-ancestors allowed to frame the hosted card page, in addition to
   * 'self', http://127.0.0.1:* and http://localhost:* (e.g. 'app:' for a custom scheme).
   */
  frameAncestors?: string[];
}

export type FaultKind =
  | 'latency'
  | 'timeout_before_commit'
  | 'timeout_after_commit'
  | 'http_500'
  | 'http_503'
  | 'reset_before_commit'
  | 'reset_after_commit'
  | 'truncated'
  | 'bad_signature';

export interface FaultSpec {
  kind: FaultKind;
  match?: {
    /** AUTHORIZATION|PURCHASE|CAPTURE|VOID_AUTHORIZATION|REFUND|CHECK_STATUS|UPDATE_TOKEN */
    command?: string;
    merchantReference?: string;
    merchantIdentifier?: string;
  };
  delayMs?: number;
  /** How many matching requests it hits. Default 1; -1 (or Infinity) = every matching request. */
  times?: number;
  /** 0..1, chance that a matching request is hit (soak tests). Default 1. */
  probability?: number;
}

export interface SandboxClock {
  now(): Date;
  advance(ms: number): void;
  set(d: Date): void;
}

export type SandboxOrderStatus =
  | 'declined'
  | 'authorized'
  | 'partially_captured'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'voided';

export interface SandboxOperation {
  kind: 'AUTHORIZATION' | 'PURCHASE' | 'CAPTURE' | 'VOID_AUTHORIZATION' | 'REFUND';
  /** Minor units; 0 for a void. */
  amount: number;
  /** True when the operation changed the order (a decline is recorded but not applied). */
  applied: boolean;
  status: string;
  responseCode: string;
  responseMessage: string;
  maintenanceReference?: string;
  /** Sandbox clock, ISO 8601. */
  createdAt: string;
}

export interface SandboxOrder {
  merchantIdentifier: string;
  merchantReference: string;
  fortId: string;
  command: 'AUTHORIZATION' | 'PURCHASE';
  eci: string;
  currency: string;
  /** Minor units. */
  amount: number;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  status: SandboxOrderStatus;
  /** An authorization older than 7 days (sandbox clock) can no longer be captured or voided. */
  authorizationExpired: boolean;
  tokenName: string;
  maskedCard: string;
  paymentOption: string;
  authorizationCode?: string;
  createdAt: string;
  operations: SandboxOperation[];
}

export interface SandboxControl {
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  /** false = every paymentApi request gets its connection destroyed without processing. */
  setReachable(reachable: boolean): void;
  clock: SandboxClock;
  orders(merchantIdentifier?: string): SandboxOrder[];
  order(merchantReference: string, merchantIdentifier?: string): SandboxOrder | undefined;
  /** Applied (committed) financial operations, for duplicate checks. */
  operationCount(): number;
}

export interface SandboxHandle {
  url: string;
  paymentApiUrl: string;
  paymentPageUrl: string;
  confirmationApiUrl: string;
  mailboxUrl: string;
  control: SandboxControl;
  close(): Promise<void>;
}
