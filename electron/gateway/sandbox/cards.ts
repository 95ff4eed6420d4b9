import { createHmac } from 'node:crypto';
import cardValidator from 'card-validator';

/**
 * Card handling of the hosted page. The full card number only ever lives in the memory of one
 * request: it is validated, reduced to brand / masked number / BIN / last 4, and an HMAC (keyed
 * by a per-sandbox secret) for the "unique tokens" lookup. It is never stored, logged or echoed.
 */

export type Brand = 'VISA' | 'MASTERCARD' | 'AMEX' | 'MADA' | 'MEEZA';

/** What a token created from a given test card does when it is charged. */
export type CardBehaviour = 'approve' | 'insufficient_funds' | 'declined' | 'expired' | 'tokenization_fails';

export interface TestCard {
  number: string;
  brand: Brand;
  cvv: string;
  behaviour: CardBehaviour;
  note: string;
}

/**
 * Success cards are APS's published sandbox cards ([NEW-TEST], [OLD-TEST]); the decline cards are
 * simulator-only (APS's own decline table is UNCONFIRMED #6), all Luhn-valid.
 */
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4005550000000001', brand: 'VISA', cvv: '123', behaviour: 'approve', note: 'Visa, approved' },
  { number: '5123456789012346', brand: 'MASTERCARD', cvv: '123', behaviour: 'approve', note: 'Mastercard, approved' },
  { number: '345678901234564', brand: 'AMEX', cvv: '1234', behaviour: 'approve', note: 'AMEX, approved' },
  { number: '5297412542005689', brand: 'MADA', cvv: '350', behaviour: 'approve', note: 'mada, approved' },
  { number: '4000000000009995', brand: 'VISA', cvv: '123', behaviour: 'insufficient_funds', note: 'charges decline: insufficient funds (x3029)' },
  { number: '4000000000000101', brand: 'VISA', cvv: '123', behaviour: 'declined', note: 'charges decline: transaction declined (x3666)' },
  { number: '4000000000000069', brand: 'VISA', cvv: '123', behaviour: 'expired', note: 'charges decline: card expired (x3012)' },
  { number: '4000000000000127', brand: 'VISA', cvv: '123', behaviour: 'tokenization_fails', note: 'tokenization fails (17666)' },
];

const BEHAVIOUR_BY_NUMBER = new Map(TEST_CARDS.map((c) => [c.number, c.behaviour]));

/** A few mada BINs (Saudi domestic scheme, co-branded Visa/Mastercard ranges). Sandbox-only subset. */
const MADA_BINS = ['529741', '588845', '440647', '446404', '457865', '484783', '968208'];
/** Egyptian MEEZA ranges (19-digit cards); card-validator does not know them. */
const MEEZA_PREFIXES = ['507803', '9818'];

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Digits only ("4005 5500-0000 0001" → "4005550000000001"); undefined when anything else is in it. */
export function normalizePan(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^[0-9]{12,19}$/.test(digits) ? digits : undefined;
}

export function detectBrand(pan: string): Brand | undefined {
  if (MEEZA_PREFIXES.some((p) => pan.startsWith(p))) return 'MEEZA';
  if (MADA_BINS.some((p) => pan.startsWith(p))) return 'MADA';
  const type = cardValidator.number(pan).card?.type;
  switch (type) {
    case 'visa':
      return 'VISA';
    case 'mastercard':
      return 'MASTERCARD';
    case 'american-express':
      return 'AMEX';
    default:
      return undefined;
  }
}

export type PanCheck = { ok: true; pan: string; brand: Brand } | { ok: false; error: string };

export function checkPan(input: string): PanCheck {
  const pan = normalizePan(input);
  if (!pan) return { ok: false, error: 'Enter the card number (digits only).' };
  if (!luhnValid(pan)) return { ok: false, error: 'This card number is not valid.' };
  const brand = detectBrand(pan);
  if (!brand) return { ok: false, error: 'This card type is not accepted.' };
  const lengths: Record<Brand, number[]> = { VISA: [13, 16, 19], MASTERCARD: [16], AMEX: [15], MADA: [16], MEEZA: [16, 19] };
  if (!lengths[brand].includes(pan.length)) return { ok: false, error: 'This card number has the wrong length.' };
  return { ok: true, pan, brand };
}

/** First 6 + last 4, the most APS ever shows (400555******0001). */
export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(pan.length - 10)}${pan.slice(-4)}`;
}

/** card_bin: first 6 digits, 8 for 19-digit MEEZA cards (§3.2). */
export function cardBin(pan: string): string {
  return pan.length === 19 ? pan.slice(0, 8) : pan.slice(0, 6);
}

export function behaviourOf(pan: string): CardBehaviour {
  return BEHAVIOUR_BY_NUMBER.get(pan) ?? 'approve';
}

export function panFingerprint(pan: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(pan, 'utf8').digest('hex');
}

/**
 * Reads an expiry typed as "MM/YY", "MMYY", "MM / YY" or "MM/YYYY" and returns APS's YYMM, or
 * undefined when it is not a date.
 */
export function parseExpiryInput(input: string): string | undefined {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m) return undefined;
  const month = Number(m[1]);
  const yearText = m[2] as string;
  if (month < 1 || month > 12) return undefined;
  const yy = yearText.length === 4 ? yearText.slice(2) : yearText;
  return `${yy}${String(month).padStart(2, '0')}`;
}

/** A card is valid through the last day of its expiry month (UTC, sandbox clock). */
export function isExpired(yymm: string, now: Date): boolean {
  const year = 2000 + Number(yymm.slice(0, 2));
  const month = Number(yymm.slice(2, 4));
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  return year < nowYear || (year === nowYear && month < nowMonth);
}

export function cvvValid(cvv: string, brand: Brand): boolean {
  return brand === 'AMEX' ? /^[0-9]{4}$/.test(cvv) : /^[0-9]{3}$/.test(cvv);
}
