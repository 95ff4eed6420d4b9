/**
 * Stable error codes: the core throws them, every shell carries them in the envelope, and the
 * screen maps each to a plain sentence (renderer/lib/error-text.ts).
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SESSION_LOCKED',
  'ACCOUNT_LOCKED',
  'BAD_CREDENTIALS',
  'SETUP_REQUIRED',
  'NOT_FOUND',
  'CONFLICT',
  'DECLINED',
  'GATEWAY_UNREACHABLE',
  'OUTCOME_UNKNOWN',
  'AMOUNT_EXCEEDS_AUTHORIZED',
  'AMOUNT_EXCEEDS_CAPTURED',
  'VOID_NOT_ALLOWED',
  'AUTHORIZATION_EXPIRED',
  'NOT_ALLOWED',
  'CARD_INACTIVE',
  'CARD_EXPIRED',
  'APPROVAL_REQUIRED',
  'APPROVAL_INVALID',
  'OFFLINE_NEW_CARD',
  'OFFLINE_LIMIT',
  'BAD_SENDER',
  'INTERNAL',
  'SHOP_SERVER_UNREACHABLE',
  'SHOP_DUPLICATE_PEOPLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ContractErrorShape {
  code: ErrorCode;
  message: string;
  /** Field-level problems for VALIDATION: path -> message. */
  fields?: Record<string, string>;
}

/** Thrown by the core; the shells turn it into `{ ok: false, error }`. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ContractError';
  }

  toShape(): ContractErrorShape {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };
