import type { TokenizationReturn } from '../types';
import { tokenizationReturnSchema, tokenizationSuccessSchema, verifyResponseSignature } from './responses';
import type { ShaType } from './signature';

/** Identifiers that may legitimately be long digit runs; every other value is scanned for a PAN. */
const ID_FIELDS = new Set(['fort_id', 'token_name', 'merchant_reference', 'signature', 'access_code', 'merchant_identifier', 'response_code', 'status']);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * True when the return carries card data we must never hold: a card_number longer than masked
 * (first 6 + last 4 at most), any CVV field, or a Luhn-valid 13-19 digit run in any other value.
 */
export function carriesCardData(params: Record<string, unknown>): boolean {
  if ('card_security_code' in params) return true;
  const card = params['card_number'];
  if (card !== undefined) {
    if (typeof card !== 'string') return true;
    if ((card.match(/[0-9]/g) ?? []).length > 10) return true;
  }
  for (const [key, value] of Object.entries(params)) {
    if (ID_FIELDS.has(key) || typeof value !== 'string') continue;
    for (const run of value.replace(/[ -]/g, '').match(/[0-9]{13,19}/g) ?? []) if (luhn(run)) return true;
  }
  return false;
}

/**
 * Verifies what the hosted card page sent to our return_url. Order matters: the shape (strings
 * only), then the signature: nothing unsigned is believed, and an unverified return names no
 * session (no merchantReference), so it cannot change or fail one whatever it carries. Then card
 * data (a signed return carrying it is refused and fails its session), then the status, then the
 * fields of a success. Messages never repeat any card value.
 */
export function verifyTokenizationReturn(params: Record<string, string>, responsePhrase: string, shaType: ShaType): TokenizationReturn {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return { ok: false, reason: 'malformed', message: 'no parameters' };
  }
  for (const v of Object.values(params)) {
    if (typeof v !== 'string') return { ok: false, reason: 'malformed', message: 'parameters must be strings' };
  }
  if (!params['signature']) return { ok: false, reason: 'bad_signature', message: 'the return has no signature' };
  if (!verifyResponseSignature(params, responsePhrase, shaType)) {
    return { ok: false, reason: 'bad_signature', message: 'the return signature does not verify' };
  }
  const ref = params['merchant_reference'];
  const withRef = ref ? { merchantReference: ref } : {};
  if (carriesCardData(params)) {
    return { ok: false, reason: 'malformed', message: 'refused: the return carries unmasked card data', ...withRef };
  }
  const env = tokenizationReturnSchema.safeParse(params);
  if (!env.success) return { ok: false, reason: 'malformed', message: 'the return lacks status, response_code or merchant_reference', ...withRef };
  const { status, response_code: responseCode, response_message: message, merchant_reference: merchantReference } = env.data;
  if (status !== '18' || !responseCode.startsWith('18')) {
    return { ok: false, reason: 'failed', responseCode, message: message || `tokenization status ${status}`, merchantReference };
  }
  const ok = tokenizationSuccessSchema.safeParse(params);
  if (!ok.success) {
    return { ok: false, reason: 'malformed', responseCode, message: `success return lacks ${ok.error.issues.map((i) => i.path.join('.')).join(', ')}`, merchantReference };
  }
  const d = ok.data;
  return {
    ok: true,
    value: {
      merchantReference,
      tokenName: d.token_name,
      maskedCard: d.card_number,
      last4: d.card_number.slice(-4),
      brand: d.payment_option,
      expiryDate: d.expiry_date,
      ...(d.card_holder_name ? { cardHolderName: d.card_holder_name } : {}),
      rememberMe: d.remember_me === 'YES',
    },
  };
}
