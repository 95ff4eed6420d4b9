import { formatMoney, money } from '../../shared/money';

let locale = 'en-US';

export function setLocale(next: string): void {
  try {
    new Intl.NumberFormat(next);
    locale = next;
  } catch {
    locale = 'en-US';
  }
}

/** "USD 12.50", "KWD 1.250", "JPY 1,250": always the code and the currency's decimals. */
export function fmtMoney(amount: number, currency: string): string {
  try {
    return formatMoney(money(amount, currency), locale);
  } catch {
    return `${currency} ${amount}`;
  }
}

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

/** "3 min", "2 h 5 min", "4 days": how long ago. */
export function fmtAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = Math.max(0, now - Date.parse(iso));
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return plural(Math.floor(h / 24), 'day');
}

const plurals = new Map<string, Intl.PluralRules>();
/** "1 operation", "3 operations": the locale's plural rule picks the form (English: one / other). */
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
  const text = h >= 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : h >= 1 ? `${h} h` : `${Math.max(1, Math.floor(abs / 60_000))} min`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

const BRANDS: Record<string, string> = {
  VISA: 'Visa',
  MASTERCARD: 'Mastercard',
  AMEX: 'Amex',
  MADA: 'mada',
  MEEZA: 'Meeza',
};

export function brandName(brand: string | null | undefined): string {
  if (!brand) return 'Card';
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

/** "4 Dec 2026": the date alone, in the user's language and digits. */
export function fmtDate(d: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}
