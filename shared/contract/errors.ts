import { englishText, type CoreText } from './messages';

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
  /** The sentence as a key and params (shared/contract/messages.ts): the screen translates it; `message` is its English. */
  text?: CoreText;
}

/** Thrown by the core; the shells turn it into `{ ok: false, error }`. */
export class ContractError extends Error {
  readonly text?: CoreText;
  /** `message`: a core text (preferred: the screen translates it) or plain English for logs. */
  constructor(
    readonly code: ErrorCode,
    message: string | CoreText,
    readonly fields?: Record<string, string>,
  ) {
    super(typeof message === 'string' ? message : englishText(message));
    this.name = 'ContractError';
    if (typeof message !== 'string') this.text = message;
  }

  toShape(): ContractErrorShape {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}), ...(this.text ? { text: this.text } : {}) };
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };

/** The failure envelope, as every shell and transport writes it. */
export function errorEnvelope(code: ContractErrorShape['code'], message: string, fields?: Record<string, string>): Envelope<never> {
  return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}

/** Looks like an envelope (a transport's answer before the caller reads it). */
export function isEnvelope(v: unknown): v is Envelope<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}
