import i18next from 'i18next';
import { formatMoney, money } from '../../shared/money';

// Words come from the 'common' catalogue (renderer/i18n); the i18next singleton is imported directly
// because renderer/i18n imports this module (setLocale).
const t = (key: string, values?: Record<string, unknown>): string => i18next.t(`common:${key}`, values ?? {});

let locale = 'en-US';

/**
 * Runs `fn` with another locale (a receipt in the station's language and digits while the clerk's
 * screen stays in theirs), then puts the screen's back. `fn` must be synchronous.
 */
export function inLocale<T>(next: string, fn: () => T): T {
  const before = locale;
  setLocale(next);
  try {
    return fn();
  } finally {
    locale = before;
  }
}

export function setLocale(next: string): void {
  try {
    new Intl.NumberFormat(next);
    locale = next;
  } catch {
    locale = 'en-US';
  }
}

/**
 * "USD 12.50", "KWD 1.250", "JPY 1,250": always the code and the currency's decimals. A negative
 * amount (or any non-zero one with `sign` 'always', a difference: "+KWD 1.250") has its sign
 * written U+2212 and held to the number ("−KWD 1.250"); on a right-to-left screen the amount is
 * isolated (FSI…PDI) so the sign never trades places with the words or amounts beside it.
 */
export function fmtMoney(amount: number, currency: string, sign: 'negative' | 'always' = 'negative'): string {
  let text: string;
  try {
    text = formatMoney(money(amount, currency), locale, 'code', sign === 'always' ? 'exceptZero' : 'auto');
  } catch {
    return `${currency} ${amount}`;
  }
  if (amount > 0 ? sign !== 'always' : amount === 0) return text;
  const mark = amount < 0 ? '\u2212' : '+';
  if (!RTL.test(locale)) return text.replace('-', '\u2212');
  // Right to left: the signed amount laid out like the unsigned one ("KWD 1.250" reads the same with
  // or without a sign). Latin digits: the sign joins the number in a left-to-right isolate (CLDR's
  // own negative pattern would move the code to the other side). Arabic-Indic digits: CLDR's
  // pattern already keeps the layout, the sign before the number in reading order.
  const plain = formatMoney(money(Math.abs(amount), currency), locale);
  const latin = /[0-9][0-9.,]*/;
  text = latin.test(plain) ? plain.replace(latin, (n) => `\u2066${mark}${n}\u2069`) : text.replace('-', '\u2212');
  return `\u2068${text}\u2069`;
}

const RTL = /^(ar|fa|he|ur)\b/;

// One formatter per locale: constructing an Intl.DateTimeFormat costs far more than formatting
// with one, and lists call these for every row that scrolls into view.
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: 'dateTime' | 'time'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, kind === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' });
    formatters.set(key, f);
  }
  return f;
}
const dateTime = () => dateFormat('dateTime');
const timeOnly = () => dateFormat('time');

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '\u2014';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime().format(d);
}

/** Today: "14:05"; other days: date and time. */
export function fmtWhen(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === now.toDateString() ? timeOnly().format(d) : dateTime().format(d);
}

/** The example tax rates in hints ("a percentage like 5 or 7.75"), written in the user's digits. */
export const TAX_EXAMPLES = { a: 5, b: 7.75 } as const;

/** Digits in the screen's numbering (Latin or Arabic-Indic), for counts inside sentences. */
const numbers = new Map<string, Intl.NumberFormat>();
export function fmtCount(n: number): string {
  let f = numbers.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: false });
    numbers.set(locale, f);
  }
  return f.format(n);
}

/** A plural sentence with its count in the screen's digits (the catalogue picks the form by count; i18n's formatter writes the digits). */
export function counted(key: string, n: number, values: Record<string, unknown> = {}): string {
  return i18next.t(key, { ...values, count: n });
}

/** "3 min", "2 h 5 min", "4 days": how long ago, in the screen's language. */
export function fmtAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 1) return t('age.underMinute');
  if (min < 60) return counted('common:age.minutes', min);
  const h = Math.floor(min / 60);
  if (h < 48) return t('age.hoursMinutes', { hours: fmtCount(h), minutes: fmtCount(min % 60) });
  const d = Math.floor(h / 24);
  return counted('common:age.days', d);
}

const plurals = new Map<string, Intl.PluralRules>();
/** "1 operation", "3 operations" (English only: new words use i18next plurals in the catalogues). */
export function plural(n: number, one: string, other = `${one}s`): string {
  let rules = plurals.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    plurals.set(locale, rules);
  }
  return `${n} ${rules.select(n) === 'one' ? one : other}`;
}

/** "in 1 day 3 h" / "3 h ago" for the authorization expiry. */
export function fmtUntil(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const minutes = Math.max(1, Math.floor(abs / 60_000));
  const text =
    h >= 24
      ? t('age.daysHours', { days: fmtCount(Math.floor(h / 24)), hours: fmtCount(h % 24) })
      : h >= 1
        ? t('age.hours', { hours: fmtCount(h) })
        : counted('common:age.minutes', minutes);
  return t(ms >= 0 ? 'age.in' : 'age.ago', { time: text });
}

const BRANDS: Record<string, string> = {
  VISA: 'Visa',
  MASTERCARD: 'Mastercard',
  AMEX: 'Amex',
  MADA: 'mada',
  MEEZA: 'Meeza',
};

export function brandName(brand: string | null | undefined): string {
  if (!brand) return t('card.generic');
  return BRANDS[brand.toUpperCase()] ?? brand;
}

/** "Visa •••• 0001" */
export function maskedCard(brand: string | null | undefined, last4: string | null | undefined): string {
  return last4 ? `${brandName(brand)} \u2022\u2022\u2022\u2022 ${last4}` : brandName(brand);
}

/** YYMM → "MM/YY". */
export function fmtExpiry(yymm: string): string {
  return /^\d{4}$/.test(yymm) ? `${yymm.slice(2)}/${yymm.slice(0, 2)}` : yymm;
}

/** "25,000" / "٢٥٬٠٠٠": a count in the user's language and digits (for {{n}} beside a plural's count). */
export function fmtNumber(n: number): string {
  return n.toLocaleString(locale);
}

/** "14:05:09": the time of day with seconds (the audit log), in the user's language and digits. */
export function fmtTimeOfDay(d: Date): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);
}

/** "29 Feb": a day of a month without a year, in the user's language and digits. */
export function fmtDayMonth(month: number, day: number): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, month - 1, day));
}

/** "4 Dec 2026": the date alone, in the user's language and digits. */
export function fmtDate(d: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}

const inSentence = new Map<string, Intl.NumberFormat>();
/** A number inside a sentence: the user's digits, grouped from 10 000 on ("1250", "25,000"; "١٢٥٠"). */
function fmtInSentence(n: number): string {
  let f = inSentence.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 3, useGrouping: 'min2' });
    inSentence.set(locale, f);
  }
  return f.format(n);
}

function isMoney(v: unknown): v is { amount: number; currency: string } {
  return typeof v === 'object' && v !== null && typeof (v as { amount?: unknown }).amount === 'number' && typeof (v as { currency?: unknown }).currency === 'string';
}

function isSentence(v: unknown): v is { sentence: string; params?: Record<string, unknown> } {
  return typeof v === 'object' && v !== null && typeof (v as { sentence?: unknown }).sentence === 'string';
}

function isBankAnswer(v: unknown): v is { responseCode: string | null; message: string } {
  return typeof v === 'object' && v !== null && 'responseCode' in v && typeof (v as { message?: unknown }).message === 'string';
}

/**
 * Every value i18next puts into a sentence goes through here (renderer/i18n, `alwaysFormat`), so a
 * number inside a sentence has the user's digits like every other number on screen: numbers,
 * amounts ({ amount, currency } → "KWD 1.250"), times (`{{at, datetime}}`), the bank's answer
 * (bankText). Text (names, references, amounts already formatted) goes in as it is.
 */
export function fmtValue(value: unknown, format?: string): unknown {
  // `{{port, digits}}`: a code made of digits ("0555", "65535"), each digit in the user's set, no grouping.
  if (format === 'digits') return String(value).replace(/[0-9]/g, (d) => fmtCount(Number(d)));
  // `{{path, ltr}}`: a path, host or code written left to right ("/dev/usb/lp0"); on a right-to-left
  // screen it is isolated so its leading "/" does not move to the other end.
  if (format === 'ltr') return RTL.test(locale) ? `\u2066${String(value)}\u2069` : String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? fmtInSentence(value) : String(value);
  if (typeof value === 'bigint') return fmtInSentence(Number(value));
  if (format === 'datetime' && (typeof value === 'string' || value instanceof Date)) return fmtDateTime(typeof value === 'string' ? value : value.toISOString());
  if (value instanceof Date) return fmtDateTime(value.toISOString());
  if (isMoney(value)) return fmtMoney(value.amount, value.currency);
  if (isBankAnswer(value)) return bankText(value.responseCode, value.message);
  if (isSentence(value)) return i18next.exists(`core:${value.sentence}`) ? i18next.t(`core:${value.sentence}`, { ...(value.params ?? {}) }) : '';
  return value;
}

/**
 * The bank's answer in the user's language: APS's response_code is the 2-digit status and the
 * 3-digit message code (docs/aps-gateway.md §6); the catalogue 'bank' has a sentence per message
 * code. The bank's own (English) words only when the code is not one we know.
 */
export function bankText(responseCode: string | null | undefined, raw: string | null | undefined): string {
  const code = responseCode && /^\d{5}$/.test(responseCode) ? responseCode.slice(2) : null;
  const key = code ? `bank:message.${code}` : null;
  if (key && i18next.exists(key)) return i18next.t(key);
  return (raw ?? '').trim() || i18next.t('bank:message.unknown');
}
