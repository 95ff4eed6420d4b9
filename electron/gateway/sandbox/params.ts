import { isIP } from 'node:net';
import { isCurrencyCode } from '../../../shared/money';
import { invalid, type ApsResult, type MessageCode } from './codes';

/**
 * Request parameter rules of the paymentApi commands (docs/aps-gateway.md §2.1, §3.2, §4): which
 * names each command requires and accepts, and the format of every field. Checks run in APS's
 * apparent order: missing (00001), unexpected (00027), length (00032), format (00002 or a more
 * specific code). Where APS documents an alphabet, Unicode letters and digits are accepted so
 * Arabic text passes (what APS does with it is not documented).
 */

export type Params = Record<string, string>;

export const CHARGE_COMMANDS = ['AUTHORIZATION', 'PURCHASE'] as const;
export const MAINTENANCE_COMMANDS = ['CAPTURE', 'VOID_AUTHORIZATION', 'REFUND'] as const;
export type CommandName =
  | (typeof CHARGE_COMMANDS)[number]
  | (typeof MAINTENANCE_COMMANDS)[number]
  | 'CHECK_STATUS'
  | 'UPDATE_TOKEN'
  | 'PAYMENT_LINK'
  | 'CHECK_PAYMENT_LINK_STATUS'
  | 'UPDATE_PAYMENT_LINK';

const AUTH = ['access_code', 'merchant_identifier', 'signature'];
const CHARGE_OPTIONAL = [
  'payment_option', 'order_description', 'customer_ip', 'customer_name', 'phone_number', 'settlement_reference',
  'merchant_extra', 'merchant_extra1', 'merchant_extra2', 'merchant_extra3', 'merchant_extra4', 'merchant_extra5',
  'return_url', 'agreement_id', 'remember_me',
];

interface CommandSpec {
  key: 'command' | 'query_command' | 'service_command';
  required: string[];
  optional: string[];
}

export const COMMAND_SPECS: Record<CommandName, CommandSpec> = {
  AUTHORIZATION: {
    key: 'command',
    required: [...AUTH, 'command', 'merchant_reference', 'amount', 'currency', 'language', 'customer_email', 'eci', 'token_name'],
    optional: CHARGE_OPTIONAL,
  },
  PURCHASE: {
    key: 'command',
    required: [...AUTH, 'command', 'merchant_reference', 'amount', 'currency', 'language', 'customer_email', 'eci', 'token_name'],
    optional: CHARGE_OPTIONAL,
  },
  CAPTURE: {
    key: 'command',
    required: [...AUTH, 'command', 'amount', 'currency', 'language'],
    optional: ['merchant_reference', 'fort_id', 'order_description', 'merchant_extra', 'merchant_extra1', 'merchant_extra2', 'merchant_extra3', 'merchant_extra4', 'merchant_extra5'],
  },
  VOID_AUTHORIZATION: {
    key: 'command',
    required: [...AUTH, 'command', 'language'],
    // amount/currency appear in the old parameter table only; accepted and ignored (UNCONFIRMED #9).
    optional: ['merchant_reference', 'fort_id', 'order_description', 'amount', 'currency'],
  },
  REFUND: {
    key: 'command',
    required: [...AUTH, 'command', 'amount', 'currency', 'language'],
    optional: ['merchant_reference', 'fort_id', 'order_description', 'maintenance_reference', 'merchant_extra', 'merchant_extra1', 'merchant_extra2', 'merchant_extra3', 'merchant_extra4', 'merchant_extra5'],
  },
  CHECK_STATUS: {
    key: 'query_command',
    required: [...AUTH, 'query_command', 'language'],
    optional: ['merchant_reference', 'fort_id', 'maintenance_reference', 'return_third_party_response_codes'],
  },
  UPDATE_TOKEN: {
    key: 'service_command',
    required: [...AUTH, 'service_command', 'merchant_reference', 'language', 'token_name'],
    optional: ['expiry_date', 'card_holder_name', 'currency', 'token_status', 'new_token_name'],
  },
  // Payment Link (docs/aps-gateway-links.md): fields from APS's generate and manage pages.
  PAYMENT_LINK: {
    key: 'service_command',
    required: [...AUTH, 'service_command', 'merchant_reference', 'amount', 'currency', 'language', 'customer_email', 'notification_type', 'request_expiry_date'],
    optional: ['customer_phone', 'order_description', 'customer_name'],
  },
  CHECK_PAYMENT_LINK_STATUS: {
    key: 'query_command',
    required: [...AUTH, 'query_command'],
    optional: ['merchant_reference', 'payment_link_id', 'language'],
  },
  // Sandbox's own name for the dashboard's close / extend (UNCONFIRMED as an API).
  UPDATE_PAYMENT_LINK: {
    key: 'service_command',
    required: [...AUTH, 'service_command', 'merchant_reference', 'payment_link_id', 'link_action'],
    optional: ['request_expiry_date', 'language'],
  },
};

type FieldRule = { max: number; pattern?: RegExp; check?: (v: string) => boolean; code?: MessageCode };

const ALNUM = /^[A-Za-z0-9]+$/;
const REFERENCE = /^[A-Za-z0-9._-]+$/;
const TOKEN = /^[A-Za-z0-9_.@-]+$/;
const FREE_TEXT = /^[^\p{Cc}]*$/u;

const FIELDS: Record<string, FieldRule> = {
  command: { max: 20 },
  query_command: { max: 50 },
  service_command: { max: 20 },
  access_code: { max: 20, pattern: ALNUM },
  merchant_identifier: { max: 20, pattern: ALNUM },
  merchant_reference: { max: 40, pattern: REFERENCE },
  maintenance_reference: { max: 200, pattern: REFERENCE },
  fort_id: { max: 20, pattern: /^[0-9]+$/ },
  amount: { max: 10, pattern: /^[0-9]+$/, code: '005' },
  currency: { max: 3, check: isCurrencyCode, code: '013' },
  language: { max: 2, pattern: /^(en|ar)$/ },
  customer_email: { max: 254, pattern: /^[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/ },
  eci: { max: 16, pattern: /^[A-Z_]+$/ },
  token_name: { max: 100, pattern: TOKEN },
  new_token_name: { max: 100, pattern: TOKEN },
  payment_option: { max: 10, pattern: /^(VISA|MASTERCARD|AMEX|MADA|MEEZA)$/, code: '080' },
  order_description: { max: 150, pattern: /^[\p{L}\p{N}'/._\-#:$ ]*$/u },
  customer_ip: { max: 45, check: (v) => isIP(v) !== 0 },
  customer_name: { max: 40, pattern: /^[\p{L}_\\/\-.' ]*$/u },
  phone_number: { max: 19, pattern: /^[0-9+\-() ]+$/ },
  settlement_reference: { max: 34, pattern: REFERENCE },
  merchant_extra: { max: 999, pattern: FREE_TEXT },
  merchant_extra1: { max: 250, pattern: FREE_TEXT },
  merchant_extra2: { max: 250, pattern: FREE_TEXT },
  merchant_extra3: { max: 250, pattern: FREE_TEXT },
  merchant_extra4: { max: 250, pattern: FREE_TEXT },
  merchant_extra5: { max: 250, pattern: FREE_TEXT },
  return_url: { max: 400, check: (v) => /^https?:\/\/\S+$/.test(v) },
  agreement_id: { max: 100, pattern: ALNUM },
  remember_me: { max: 3, pattern: /^(YES|NO)$/ },
  return_third_party_response_codes: { max: 3, pattern: /^(YES|NO)$/ },
  expiry_date: { max: 4, pattern: /^[0-9]{2}(0[1-9]|1[0-2])$/, code: '100' },
  card_holder_name: { max: 50, pattern: /^[\p{L}\p{N}_\\/\-.' ]*$/u },
  token_status: { max: 8, pattern: /^(ACTIVE|INACTIVE)$/ },
  signature: { max: 200, pattern: /^[0-9A-Fa-f]+$/ },
  customer_phone: { max: 19, pattern: /^\+?[0-9]{6,19}$/ },
  notification_type: { max: 10, pattern: /^(EMAIL|SMS|EMAIL_SMS|NONE)$/ },
  request_expiry_date: { max: 25, pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, code: '100' },
  payment_link_id: { max: 20, pattern: ALNUM },
  link_action: { max: 10, pattern: /^(CLOSE|EXTEND|RESEND)$/ },
};

/**
 * Turns a parsed JSON body into string params. Numbers become their decimal text (APS accepts
 * `amount` as a JSON number, §1); anything else that is not a string is a format error.
 */
export function toParams(body: Record<string, unknown>): { ok: true; params: Params } | { ok: false; result: ApsResult; params: Params } {
  const params: Params = {};
  let bad = false;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') params[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) params[k] = String(v);
    else bad = true;
  }
  return bad ? { ok: false, result: invalid('002'), params } : { ok: true, params };
}

/** Which command a request carries (command / query_command / service_command). */
export function commandOf(params: Params): { ok: true; command: CommandName } | { ok: false; result: ApsResult } {
  const given = (['command', 'query_command', 'service_command'] as const).filter((k) => params[k] !== undefined && params[k] !== '');
  if (given.length === 0) return { ok: false, result: invalid('001') };
  if (given.length > 1) return { ok: false, result: invalid('110') };
  const key = given[0] as 'command' | 'query_command' | 'service_command';
  const value = params[key] as string;
  const spec = COMMAND_SPECS[value as CommandName] as CommandSpec | undefined;
  if (!spec || spec.key !== key) return { ok: false, result: invalid('004') };
  return { ok: true, command: value as CommandName };
}

/** Empty strings count as absent: APS SDKs never send them and the signature skips them. */
export function present(params: Params, name: string): boolean {
  return params[name] !== undefined && params[name] !== '';
}

export function checkParams(command: CommandName, params: Params): ApsResult | undefined {
  const spec = COMMAND_SPECS[command];
  for (const name of spec.required) if (!present(params, name)) return invalid('001');
  const allowed = new Set([...spec.required, ...spec.optional]);
  for (const name of Object.keys(params)) if (!allowed.has(name)) return invalid('027');
  for (const [name, value] of Object.entries(params)) {
    if (value === '') continue;
    const rule = FIELDS[name];
    if (!rule) continue;
    if ([...value].length > rule.max) return invalid(rule.code === '013' ? '013' : '032');
    const ok = (rule.pattern ? rule.pattern.test(value) : true) && (rule.check ? rule.check(value) : true);
    if (!ok) return invalid(rule.code ?? '002');
  }
  return undefined;
}
