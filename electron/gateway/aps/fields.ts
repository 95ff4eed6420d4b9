import { isIP } from 'node:net';
import { isCurrencyCode, MAX_MINOR_UNITS, type Money } from '../../../shared/money';
import { ApsValidationError } from './errors';

/**
 * Length and charset rules of APS request parameters (docs/aps-gateway.md §2.1, §3.2, §4).
 * APS rejects a bad value with 00002/00032 only after we sent it; checking here keeps bad input a
 * programming error of ours (thrown before sending) instead of a gateway round trip.
 *
 * Identifiers (references, tokens, codes) are ASCII. Free-text fields (names, descriptions) also
 * accept Unicode letters and digits because the account may run in Arabic (language=ar); the doc
 * says "alnum"/"alpha" without saying ASCII-only.
 */
interface FieldRule {
  readonly max: number;
  readonly pattern: RegExp;
  readonly allowed: string;
}

const NAME_CHARS = /^[\p{L}\p{M}_\\/\-.' ]+$/u;

export const FIELD_RULES: Readonly<Record<string, FieldRule>> = {
  access_code: { max: 20, pattern: /^[A-Za-z0-9]+$/, allowed: 'letters and digits' },
  merchant_identifier: { max: 20, pattern: /^[A-Za-z0-9]+$/, allowed: 'letters and digits' },
  merchant_reference: { max: 40, pattern: /^[A-Za-z0-9\-_.]+$/, allowed: 'letters, digits and - _ .' },
  // 200 in the old docs, 40 in the new check-status docs: the stricter one is safe for both.
  maintenance_reference: { max: 40, pattern: /^[A-Za-z0-9\-_.]+$/, allowed: 'letters, digits and - _ .' },
  fort_id: { max: 20, pattern: /^[0-9]+$/, allowed: 'digits' },
  // A dotted domain is required: an address APS cannot deliver a receipt to is a typo to catch here.
  customer_email: { max: 254, pattern: /^[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, allowed: 'an address of letters, digits and _ - . @ +' },
  token_name: { max: 100, pattern: /^[A-Za-z0-9_\-.@]+$/, allowed: 'letters, digits and _ - . @' },
  order_description: { max: 150, pattern: /^[\p{L}\p{M}\p{N}'/._\-#:$ ]+$/u, allowed: "letters, digits, space and ' / . _ - # : $" },
  customer_name: { max: 40, pattern: NAME_CHARS, allowed: "letters, space and _ \\ / - . '" },
  card_holder_name: { max: 50, pattern: NAME_CHARS, allowed: "letters, space and _ \\ / - . '" },
  // The doc says "alnum", but letters in a phone number are a typo; digits only is what APS can dial.
  phone_number: { max: 19, pattern: /^[0-9+\-() ]+$/, allowed: 'digits, space and + - ( )' },
  // agreement_id format is UNCONFIRMED (doc §14.9): accept a conservative identifier charset.
  agreement_id: { max: 100, pattern: /^[A-Za-z0-9_\-.]+$/, allowed: 'letters, digits and _ - .' },
  return_url: { max: 400, pattern: /^https?:\/\/[A-Za-z0-9$!=?#&\-_/:.]+$/, allowed: 'an http(s) URL of letters, digits and $ ! = ? # & - _ / : .' },
  expiry_date: { max: 4, pattern: /^[0-9]{2}(0[1-9]|1[0-2])$/, allowed: 'YYMM' },
  token_status: { max: 8, pattern: /^(ACTIVE|INACTIVE)$/, allowed: 'ACTIVE or INACTIVE' },
  language: { max: 2, pattern: /^(en|ar)$/, allowed: 'en or ar' },
  eci: { max: 16, pattern: /^(MOTO|RECURRING)$/, allowed: 'MOTO or RECURRING' },
};

/** Throws ApsValidationError unless `value` satisfies the APS rule of `name`. */
export function checkField(name: string, value: string): void {
  if (value === '') throw new ApsValidationError('REQUIRED', name, 'must not be empty');
  if (name === 'customer_ip') {
    if (value.length > 45 || isIP(value) === 0) throw new ApsValidationError('BAD_FORMAT', name, 'must be an IPv4 or IPv6 address');
    return;
  }
  const rule = FIELD_RULES[name];
  if (!rule) return;
  // Length in code points: APS counts characters, and an Arabic name is one unit per letter.
  if ([...value].length > rule.max) throw new ApsValidationError('TOO_LONG', name, `at most ${rule.max} characters`);
  if (!rule.pattern.test(value)) throw new ApsValidationError('BAD_CHARSET', name, `only ${rule.allowed}`);
}

/**
 * Amount as integer minor units text (§7): "1000" for 10.00 USD, "1250" for 1.250 KWD.
 * Zero is refused: no APS operation moves a zero amount.
 */
export function amountFields(m: Money): { amount: string; currency: string } {
  if (!isCurrencyCode(m.currency)) throw new ApsValidationError('BAD_CURRENCY', 'currency', `unknown currency "${String(m.currency)}"`);
  if (!Number.isSafeInteger(m.amount) || m.amount <= 0 || m.amount > MAX_MINOR_UNITS) {
    throw new ApsValidationError('BAD_AMOUNT', 'amount', 'must be a positive integer of minor units, at most 10 digits');
  }
  return { amount: String(m.amount), currency: m.currency };
}

/**
 * For callers (the core) that build free text from order lines: replace what APS would reject
 * with a space and cut to the field's length, so a comma in a product name never blocks a charge.
 */
export function toApsText(value: string, field: 'order_description' | 'customer_name' | 'card_holder_name'): string {
  const rule = FIELD_RULES[field] as FieldRule;
  const cleaned = [...value]
    .map((ch) => (rule.pattern.test(ch) ? ch : ' '))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, rule.max).join('').trim();
}
