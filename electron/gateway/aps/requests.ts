import type {
  CaptureRequest,
  ChargeRequest,
  CheckStatusRequest,
  HostedFormRequest,
  RefundRequest,
  UpdateTokenRequest,
  VoidRequest,
} from '../types';
import { ApsValidationError } from './errors';
import { amountFields, checkField } from './fields';
import { sign, TOKENIZATION_UNSIGNED_FIELDS, type ShaType } from './signature';

export type ApsCommand =
  | 'AUTHORIZATION'
  | 'PURCHASE'
  | 'CAPTURE'
  | 'VOID_AUTHORIZATION'
  | 'REFUND'
  | 'CHECK_STATUS'
  | 'UPDATE_TOKEN'
  | 'TOKENIZATION'
  | 'PAYMENT_LINK'
  | 'CHECK_PAYMENT_LINK_STATUS'
  | 'UPDATE_PAYMENT_LINK';

/** APS names the operation under three different keys (doc §1). */
export type CommandKey = 'command' | 'query_command' | 'service_command';

export const COMMAND_KEY: Readonly<Record<ApsCommand, CommandKey>> = {
  AUTHORIZATION: 'command',
  PURCHASE: 'command',
  CAPTURE: 'command',
  VOID_AUTHORIZATION: 'command',
  REFUND: 'command',
  CHECK_STATUS: 'query_command',
  UPDATE_TOKEN: 'service_command',
  TOKENIZATION: 'service_command',
  PAYMENT_LINK: 'service_command',
  CHECK_PAYMENT_LINK_STATUS: 'query_command',
  // UNCONFIRMED name (docs/aps-gateway-links.md): APS documents the update only in its dashboard.
  UPDATE_PAYMENT_LINK: 'service_command',
};

export interface ApsCredentials {
  accessCode: string;
  merchantIdentifier: string;
  requestPhrase: string;
  shaType: ShaType;
  language: 'en' | 'ar';
}

/** A request ready to send: every value a string, signed, no empty optionals. */
export interface ApsRequest {
  command: ApsCommand;
  params: Readonly<Record<string, string>>;
}

/**
 * Collects parameters. Every value is validated as it goes in, so a builder either returns a
 * request APS can accept (as far as we know its rules) or throws before anything is sent.
 */
export class Params {
  readonly values: Record<string, string> = {};

  required(name: string, value: string | undefined): this {
    if (value === undefined || value === '') throw new ApsValidationError('REQUIRED', name, 'is required');
    checkField(name, value);
    this.values[name] = value;
    return this;
  }

  /** APS's behaviour on an empty parameter is UNCONFIRMED (doc §14.2): absent and '' are both left out. */
  optional(name: string, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    return this.required(name, value);
  }
}

export function base(creds: ApsCredentials, command: ApsCommand, merchantReference: string, language?: 'en' | 'ar'): Params {
  return new Params()
    .required(COMMAND_KEY[command], command)
    .required('access_code', creds.accessCode)
    .required('merchant_identifier', creds.merchantIdentifier)
    .required('merchant_reference', merchantReference)
    .required('language', language ?? creds.language);
}

export function finish(creds: ApsCredentials, command: ApsCommand, p: Params, exclude: readonly string[] = []): ApsRequest {
  // Lower-case hex: what every official SDK sends (doc §5.1, upper-case acceptance UNCONFIRMED).
  const signature = sign(p.values, creds.requestPhrase, creds.shaType, exclude);
  return { command, params: Object.freeze({ ...p.values, signature }) };
}

/** AUTHORIZATION or PURCHASE with a token (§2.1, §9). RECURRING exists only as PURCHASE. */
export function buildCharge(creds: ApsCredentials, command: 'AUTHORIZATION' | 'PURCHASE', req: ChargeRequest): ApsRequest {
  if (req.eci !== 'MOTO' && req.eci !== 'RECURRING') throw new ApsValidationError('NOT_ALLOWED', 'eci', 'must be MOTO or RECURRING');
  if (req.eci === 'RECURRING' && command !== 'PURCHASE') {
    throw new ApsValidationError('NOT_ALLOWED', 'eci', 'RECURRING is a purchase in single message mode: AUTHORIZATION is not allowed');
  }
  if (req.eci === 'MOTO' && req.agreementId) {
    // APS answers contradicting parameters with 110; refusing here keeps the mistake ours.
    throw new ApsValidationError('NOT_ALLOWED', 'agreement_id', 'only with eci RECURRING');
  }
  const { amount, currency } = amountFields(req.amount);
  const p = base(creds, command, req.merchantReference, req.language)
    .required('amount', amount)
    .required('currency', currency)
    .required('customer_email', req.customerEmail)
    .required('eci', req.eci)
    .required('token_name', req.tokenName)
    .optional('customer_ip', req.customerIp)
    .optional('customer_name', req.customerName)
    .optional('phone_number', req.phoneNumber)
    .optional('order_description', req.orderDescription)
    .optional('agreement_id', req.agreementId);
  return finish(creds, command, p);
}

/** CAPTURE of part or all of the remaining authorized amount (§4.1). */
export function buildCapture(creds: ApsCredentials, req: CaptureRequest): ApsRequest {
  const { amount, currency } = amountFields(req.amount);
  const p = base(creds, 'CAPTURE', req.merchantReference)
    .optional('fort_id', req.fortId)
    .required('amount', amount)
    .required('currency', currency)
    .optional('order_description', req.orderDescription);
  return finish(creds, 'CAPTURE', p);
}

/** VOID_AUTHORIZATION: the whole authorization, so no amount/currency (new docs, §4.2). */
export function buildVoid(creds: ApsCredentials, req: VoidRequest): ApsRequest {
  const p = base(creds, 'VOID_AUTHORIZATION', req.merchantReference)
    .optional('fort_id', req.fortId)
    .optional('order_description', req.orderDescription);
  return finish(creds, 'VOID_AUTHORIZATION', p);
}

/** REFUND; maintenance_reference is our idempotency key of this refund (§4.3), so we always send it. */
export function buildRefund(creds: ApsCredentials, req: RefundRequest): ApsRequest {
  const { amount, currency } = amountFields(req.amount);
  const p = base(creds, 'REFUND', req.merchantReference)
    .optional('fort_id', req.fortId)
    .required('amount', amount)
    .required('currency', currency)
    .required('maintenance_reference', req.maintenanceReference)
    .optional('order_description', req.orderDescription);
  return finish(creds, 'REFUND', p);
}

/** CHECK_STATUS by merchant_reference (always ours), fort_id and refund reference when known (§4.4). */
export function buildCheckStatus(creds: ApsCredentials, req: CheckStatusRequest): ApsRequest {
  const p = base(creds, 'CHECK_STATUS', req.merchantReference)
    .optional('fort_id', req.fortId)
    .optional('maintenance_reference', req.maintenanceReference);
  return finish(creds, 'CHECK_STATUS', p);
}

/** UPDATE_TOKEN; "deleting" a card on file is token_status=INACTIVE (§3.2). */
export function buildUpdateToken(creds: ApsCredentials, req: UpdateTokenRequest): ApsRequest {
  const p = base(creds, 'UPDATE_TOKEN', req.merchantReference)
    .required('token_name', req.tokenName)
    .optional('token_status', req.status)
    .optional('expiry_date', req.expiryDate)
    .optional('card_holder_name', req.cardHolderName);
  return finish(creds, 'UPDATE_TOKEN', p);
}

/**
 * The signed TOKENIZATION form for the hosted card page (§3.1 way 2). It carries no card field:
 * the cardholder types those on the gateway's page, and they are excluded from the signature.
 */
export function buildTokenizationForm(creds: ApsCredentials, req: HostedFormRequest): ApsRequest {
  const p = base(creds, 'TOKENIZATION', req.merchantReference, req.language)
    .required('return_url', req.returnUrl)
    .optional('token_name', req.tokenName)
    // The merchant's own "save this card" answer (APS card field, unsigned like the card fields).
    .optional('remember_me', req.rememberMe === undefined ? undefined : req.rememberMe ? 'YES' : 'NO');
  return finish(creds, 'TOKENIZATION', p, TOKENIZATION_UNSIGNED_FIELDS);
}
