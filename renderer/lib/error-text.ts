import type { ErrorCode } from '../../shared/contract';
import { LOCKOUT_MINUTES } from '../../shared/contract/limits';
import i18next from 'i18next';
import { MoneyError, currencyExponent } from '../../shared/money';
import { asApiError } from './api';
import { coreSentence } from './core-text';

/**
 * One plain sentence per stable error code, in the screen's language (catalogue 'errors'); the
 * core's own English message is only the fallback for a code the catalogue does not know.
 */
export function errorText(code: ErrorCode, fallback?: string): string {
  const key = `errors:code.${code}`;
  if (i18next.exists(key)) return i18next.t(key, { minutes: LOCKOUT_MINUTES });
  return fallback ?? (i18next.exists('errors:code.INTERNAL') ? i18next.t('errors:code.INTERNAL') : 'Something went wrong on this station.');
}

/**
 * A sentence for any thrown value: the core's own sentence when it sent one as a key
 * (shared/contract/messages.ts), translated; else the code's text, plus the core's English detail
 * on an English screen only (never English words inside another language's screen).
 */
export function describeError(e: unknown): string {
  const err = asApiError(e);
  const said = coreSentence(err.text);
  if (said) return said;
  const base = errorText(err.code, i18next.language === 'en' ? err.message : undefined);
  const detail = coreSentence(null, err.message);
  if (err.code === 'DECLINED' || err.code === 'NOT_ALLOWED' || err.code === 'CONFLICT' || err.code === 'SHOP_SERVER_UNREACHABLE' || err.code === 'SHOP_DUPLICATE_PEOPLE') {
    return detail && detail !== base ? `${base} ${detail}` : base;
  }
  if (err.code === 'VALIDATION' && Object.keys(err.fields).length === 0 && detail) return `${base} ${detail}`;
  return base;
}

/** Field-level problems of a VALIDATION error, keyed by the input path ("lines.0.description"). */
export function fieldErrors(e: unknown): Record<string, string> {
  const err = asApiError(e);
  if (err.code !== 'VALIDATION') return {};
  return Object.fromEntries(Object.entries(err.fields).map(([path, message]) => [path, fieldText(message)]));
}

/** The core's field message ("Name is required") in the screen's language, when the catalogue has it. */
export function fieldText(message: string): string {
  const key = `errors:field.${message}`;
  return i18next.exists(key) ? i18next.t(key) : message;
}

/** Why typed text is not an amount of `currency`, in the screen's language (shared/money's MoneyError codes). */
export function amountProblem(e: unknown, currency: string): string {
  if (e instanceof MoneyError) {
    const key = `errors:amount.${e.code}`;
    const options = { currency, count: currencyExponent(currency) };
    // With the count: a message written in plural forms (TOO_MANY_DECIMALS_one…) has no bare key.
    if (i18next.exists(key, options)) return i18next.t(key, options);
  }
  return i18next.t('errors:amount.INVALID_AMOUNT');
}
