import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The account's signature type as set in the APS back office (docs/aps-gateway.md §5). */
export type ShaType = 'SHA-256' | 'SHA-512' | 'HMAC-SHA256' | 'HMAC-SHA512';

export const SHA_TYPES: readonly ShaType[] = ['SHA-256', 'SHA-512', 'HMAC-SHA256', 'HMAC-SHA512'];

export type SignableValue = string | number | boolean | null | undefined | SignableObject | SignableValue[];
export interface SignableObject {
  [key: string]: SignableValue;
}

/** Card fields typed on the hosted page are never part of the signature (§5.2). */
export const TOKENIZATION_UNSIGNED_FIELDS: readonly string[] = [
  'card_security_code',
  'card_number',
  'expiry_date',
  'card_holder_name',
  'remember_me',
];

const ALWAYS_SKIPPED = new Set(['signature', 'installment_detail']);

function renderValue(value: SignableValue): string {
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    // Nested objects keep insertion order (not sorted), pairs joined by ", " (§5.2).
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${renderValue(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** The phrase-wrapped string that is hashed: PHRASE + sorted name=value pairs + PHRASE. */
export function signatureString(params: SignableObject, phrase: string, exclude: readonly string[] = []): string {
  const skip = new Set([...ALWAYS_SKIPPED, ...exclude]);
  const names = Object.keys(params)
    .filter((k) => !skip.has(k) && params[k] !== undefined && params[k] !== null && params[k] !== '')
    // Plain code-unit order, as PHP ksort / Java comparingByKey; never localeCompare.
    .sort();
  return `${phrase}${names.map((k) => `${k}=${renderValue(params[k])}`).join('')}${phrase}`;
}

export function sign(params: SignableObject, phrase: string, shaType: ShaType, exclude: readonly string[] = []): string {
  const text = signatureString(params, phrase, exclude);
  switch (shaType) {
    case 'SHA-256':
      return createHash('sha256').update(text, 'utf8').digest('hex');
    case 'SHA-512':
      return createHash('sha512').update(text, 'utf8').digest('hex');
    case 'HMAC-SHA256':
      return createHmac('sha256', phrase).update(text, 'utf8').digest('hex');
    case 'HMAC-SHA512':
      return createHmac('sha512', phrase).update(text, 'utf8').digest('hex');
  }
}

/** Constant-time comparison of a received signature (either hex case) with the expected one. */
export function verify(
  params: SignableObject,
  phrase: string,
  shaType: ShaType,
  exclude: readonly string[] = [],
): boolean {
  const received = params['signature'];
  if (typeof received !== 'string' || !/^[0-9a-fA-F]+$/.test(received)) return false;
  const expected = sign(params, phrase, shaType, exclude);
  const a = Buffer.from(received.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
