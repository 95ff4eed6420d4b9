import { z } from 'zod';
import { isTimeZone } from '../domain/recurrence';

/**
 * What each free-form station setting means, checked as such (issue 15: a card number was
 * accepted as a locale because only the length was checked). Shared by the contract, the conf
 * store (re-checked on every read) and the in-memory store.
 */

/** Control characters (tabs, newlines, NUL, bidi overrides) have no place in a printed name or address. */
const CONTROL = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

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

/** A run of 13-19 digits (spaces and dashes allowed between) that passes Luhn: what a card number looks like. */
export function looksLikeCardNumber(s: string): boolean {
  return (s.replace(/[ -]/g, '').match(/[0-9]{13,19}/g) ?? []).some(luhn);
}

/**
 * Printed text (station and merchant name, address): trimmed, not empty unless `optional`, one
 * line unless `multiline`, no control characters, and never something that looks like a card number (settings
 * are stored in plain JSON and printed on receipts).
 */
export const PrintedText = (max: number, opts: { multiline?: boolean; optional?: boolean } = {}) =>
  z
    .string()
    .trim()
    .min(opts.optional ? 0 : 1, 'Required')
    .max(max)
    .refine((s) => !CONTROL.test(opts.multiline ? s.replace(/\n/g, ' ') : s), opts.multiline ? 'No control characters' : 'One line, no control characters')
    .refine((s) => !looksLikeCardNumber(s), 'This looks like a card number');

// BCP 47 as this app uses it: language, optional script, optional region (en, en-US, zh-Hant-TW, es-419).
const LOCALE_SHAPE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/;

/** A locale the runtime knows, in its canonical form (what Intl formats money and dates with). */
export function isSupportedLocale(s: string): boolean {
  if (!LOCALE_SHAPE.test(s)) return false;
  try {
    return Intl.getCanonicalLocales(s)[0] === s && Intl.NumberFormat.supportedLocalesOf([s]).length === 1;
  } catch {
    return false;
  }
}

export const Locale = z.string().max(20).refine(isSupportedLocale, 'Not a known locale (for example en-US, fr-FR, ar-AE)');

/**
 * The shop's time zone (issue 15, item 5): an IANA zone name ("Europe/Berlin", "UTC") that the
 * time-zone database knows; recurring schedules fall due on this calendar. null: the station's own
 * zone (the default). Offsets ("+01:00") are refused: they have no daylight-saving rules.
 */
export const TimeZoneSetting = z
  .string()
  .max(64)
  .refine((tz) => /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz) && isTimeZone(tz), { message: 'Not a time zone of the IANA database (for example Europe/Berlin)' })
  .nullable();
