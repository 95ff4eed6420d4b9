import { randomInt } from 'node:crypto';

/**
 * Our references: the idempotency keys at the gateway (DESIGN "Payment core", seed 004). They are
 * generated here, written to the ledger before the first network attempt, and reused on every
 * retry. APS allows at most 40 characters of [A-Za-z0-9-_.] (docs/aps-gateway.md §2.1, §4.3).
 *
 *   order      D1-20261121-7K3QF9        station prefix, UTC date, 6 random Crockford base32
 *   payment    D1-20261121-7K3QF9-P1     the order reference + attempt number on that order
 *   refund     D1-20261121-7K3QF9-P1-R2  the payment reference + refund sequence (maintenance_reference)
 *   hosted     D1-T-20261121-7K3QF9AB    tokenization of a new card on the hosted page
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_PATTERN = /^[A-Za-z0-9\-_.]{1,40}$/;

/** "Desk 1" → "Desk1": letters and digits of the station name, at most 8. */
export function stationPrefix(station: string): string {
  const cleaned = station.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return cleaned || 'POS';
}

function randomChars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

function day(now: Date): string {
  return now.toISOString().slice(0, 10).replace(/-/g, '');
}

export function orderReference(station: string, now: Date): string {
  return `${stationPrefix(station)}-${day(now)}-${randomChars(6)}`;
}

export function paymentReference(orderRef: string, attempt: number): string {
  return checked(`${orderRef}-P${attempt}`);
}

export function refundReference(paymentRef: string, seq: number): string {
  return checked(`${paymentRef}-R${seq}`);
}

export function tokenizationReference(station: string, now: Date): string {
  return checked(`${stationPrefix(station)}-T-${day(now)}-${randomChars(8)}`);
}

function checked(ref: string): string {
  if (!REFERENCE_PATTERN.test(ref)) throw new RangeError(`Reference "${ref}" is not a valid gateway reference`);
  return ref;
}

/** UPDATE_TOKEN needs a merchant_reference of its own (docs/aps-gateway.md §3.2). */
export function tokenUpdateReference(station: string, now: Date): string {
  return checked(`${stationPrefix(station)}-U-${day(now)}-${randomChars(8)}`);
}
