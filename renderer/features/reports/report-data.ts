import { reportFigures, type EndOfDayReport } from '../../../shared/contract/reports';
import { money, toDecimalString } from '../../../shared/money';
import { csvCell } from '../../lib/csv';
import { i18next } from '../../i18n';

// Pure helpers of the end-of-day screen: the station-local day and the CSV export.

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a Date in this computer's time zone. */
export function localDate(d: Date = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day before or after a 'YYYY-MM-DD' date. */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return localDate(new Date(y, m - 1, d + days));
}

/**
 * The day as the core wants it: the date and this computer's UTC offset at the local midnight that
 * starts it and at the one that ends it (they differ on a daylight-saving change).
 */
export function dayInput(date: string): { date: string; utcOffsetMinutes: number; endUtcOffsetMinutes: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return {
    date,
    utcOffsetMinutes: -new Date(y, m - 1, d).getTimezoneOffset(),
    endUtcOffsetMinutes: -new Date(y, m - 1, d + 1).getTimezoneOffset(),
  };
}

/** "UTC+02:00", "UTC−05:30". */
export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '\u2212' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The CSV's columns; their headings are in the user's language, the values stay machine-readable. */
export const CSV_COLUMNS = ['section', 'key', 'currency', 'count', 'amount'] as const;

export function csvHeader(): string[] {
  const t = (key: string): string => i18next.t(key);
  const heading: Record<(typeof CSV_COLUMNS)[number], string> = {
    section: t('reports:csv.section'),
    key: t('reports:csv.key'),
    currency: t('reports:csv.currency'),
    count: t('reports:csv.count'),
    amount: t('reports:csv.amount'),
  };
  return CSV_COLUMNS.map((c) => csvCell(heading[c]));
}

/**
 * One row per figure: section, key, currency, count, amount as exact decimal text ("1234.500" KWD).
 * The header row is in the user's language; the values (section, key, codes, amounts) never are.
 * CRLF line ends (RFC 4180).
 */
export function reportCsv(report: EndOfDayReport): string {
  const lines = [csvHeader().join(',')];
  for (const f of reportFigures(report)) {
    lines.push([csvCell(f.section), csvCell(f.key), f.currency, String(f.count), toDecimalString(money(f.amount, f.currency))].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function csvFileName(report: EndOfDayReport): string {
  if (report.scope === 'shop') return i18next.t('reports:csv.fileNameShop', { date: report.date });
  // Letters of any script (an Arabic station name stays readable); nothing a file system refuses.
  const station = report.station.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || i18next.t('reports:csv.station');
  return i18next.t('reports:csv.fileName', { station, date: report.date });
}

/** Saves text as a file through a Blob link (the browser's or Electron's download). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  // The BOM lets spreadsheet programs read the names as UTF-8.
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
