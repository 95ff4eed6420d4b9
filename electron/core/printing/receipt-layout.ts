import { formatMoney, money } from '../../../shared/money';
import type { ReceiptModel } from '../../../shared/contract';
import { word, type ReceiptLanguage, type ReceiptWord } from './receipt-words';

/**
 * The receipt laid out for a thermal printer: lines of at most `columns` characters, each with an
 * alignment and weight. One layout for paper and for the screen's preview of it.
 */
export interface PrintLine {
  text: string;
  align: 'left' | 'center';
  bold: boolean;
}

/** A dashed rule across the paper. */
export const RULE = '-';

/**
 * What a code page such as PC858 prints: printable ASCII and Latin-1. Anything else (Arabic,
 * emoji, control characters) would come out as garbage or reshuffle the printer's state.
 */
export function printable(text: string): boolean {
  return /^[\x20-\x7E\u00A0-\u00FF]*$/.test(text);
}

/** The value, or `fallback` when the code page cannot print it. */
function orElse(text: string, fallback: string): string {
  return printable(text) ? text : fallback;
}

function amount(n: number, currency: string): string {
  return formatMoney(money(n, currency), 'en-US', 'code').replace(/\u00A0/g, ' ');
}

/** Splits on spaces into lines of at most `width` (a word longer than a line is cut). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    let rest = w;
    while (rest.length > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line) out.push(line);
  return out;
}

/** Label at the start, value at the end; the label wraps above when both do not fit. */
export function leftRight(left: string, right: string, width: number): string[] {
  if (left.length + 1 + right.length <= width) return [left + ' '.repeat(width - left.length - right.length) + right];
  // The label keeps its indent on a line of its own; the value goes under it, at the end.
  const lines = left.length <= width ? [left] : wrap(left, width);
  return [...lines, ' '.repeat(Math.max(0, width - right.length)) + right.slice(0, width)];
}

function plain(text: string, bold = false): PrintLine {
  return { text, align: 'left', bold };
}

/** UTC time as "2026-03-10 10:00 UTC": the same on every desk and code page. */
function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * One row of a receipt before it meets the paper: the same rows, in the same order, become text
 * lines for the code page (`textLines`) or are drawn as an image (raster.ts) when the code page
 * cannot carry the text (Arabic).
 */
export type ReceiptRow =
  | { kind: 'center'; text: string; bold?: boolean }
  | { kind: 'text'; text: string; bold?: boolean }
  /** A label at the line's start and a value at its end. `code`: a reference, last 4, an amount: always left to right. */
  | { kind: 'pair'; label: string; value: string; bold?: boolean; indent?: boolean; code?: boolean }
  | { kind: 'rule' };

export interface RowOptions {
  lang: ReceiptLanguage;
  /** Only what the code page can print (item and customer names otherwise replaced or left off). */
  codePage: boolean;
}

/** The receipt's rows: the shop, the order, its lines and totals, and every tender. */
export function receiptRows(r: ReceiptModel, opts: RowOptions): ReceiptRow[] {
  const c = r.currency;
  const w = (key: ReceiptWord, values?: Record<string, string | number>) => word(key, values, opts.lang);
  const fit = (text: string, fallback: string) => (opts.codePage ? orElse(text, fallback) : text);
  const out: ReceiptRow[] = [];
  const center = (text: string, bold = false) => out.push({ kind: 'center', text, bold });
  const pair = (label: string, value: string, more: { bold?: boolean; indent?: boolean; code?: boolean } = {}) => out.push({ kind: 'pair', label, value, code: true, ...more });
  const rule = () => out.push({ kind: 'rule' });

  center(fit(r.shop.name, ''), true);
  for (const part of r.shop.address.split('\n')) center(fit(part, ''));
  center(fit(r.shop.station, ''));
  center(w('printing:receipt.title'), true);
  rule();
  pair(w('printing:receipt.date'), when(r.at));
  pair(w('printing:receipt.order'), r.orderReference);
  if (r.customerName && (!opts.codePage || printable(r.customerName))) pair(w('printing:receipt.customer'), r.customerName, { code: false });
  rule();
  r.lines.forEach((l, i) => {
    const name = fit(l.description, w('printing:paper.item', { n: i + 1 }));
    // A name is isolated (FSI … PDI) on an image: its own direction never reorders the quantity.
    pair(opts.codePage ? `${l.quantity} x ${name}` : `${l.quantity} \u00d7 \u2068${name}\u2069`, amount(l.amount, c));
  });
  rule();
  pair(w('printing:receipt.net'), amount(r.net, c));
  pair(w('printing:receipt.tax'), amount(r.tax, c));
  pair(w('printing:receipt.total'), amount(r.total, c), { bold: true });
  if (r.tenders.length) {
    rule();
    out.push({ kind: 'text', text: w('printing:paper.tenders'), bold: true });
    for (const t of r.tenders) {
      if (t.method === 'cash') {
        pair(w('printing:receipt.cash'), amount(t.amount, c));
        if (t.tendered !== null) pair(w('printing:receipt.tendered'), amount(t.tendered, c), { indent: true });
        if (t.change !== null) pair(w('printing:receipt.change'), amount(t.change, c), { indent: true });
      } else {
        // Brand and last 4 only: the model holds nothing more, and nothing more is printed.
        const card = [fit(t.brand ?? '', ''), t.last4 ? `****${t.last4}` : ''].filter(Boolean).join(' ');
        if (opts.codePage) pair(`${w('printing:receipt.card')} ${card}`.trim(), amount(t.amount, c));
        else {
          // On an image the card (Latin, starting with "*") is its own left-to-right isolate.
          pair(card ? `${w('printing:receipt.card')} \u2066${card}\u2069` : w('printing:receipt.card'), amount(t.amount, c));
        }
        if (t.authorizationCode) pair(w('printing:receipt.authCode'), t.authorizationCode, { indent: true });
        pair(w('printing:receipt.reference'), t.reference, { indent: true });
        if (t.gatewayReference) pair(w('printing:paper.gatewayRef'), t.gatewayReference, { indent: true });
      }
      if (t.refunded > 0) pair(w('printing:paper.refunded'), amount(t.refunded, c), { indent: true });
    }
  }
  rule();
  center(w('printing:receipt.thanks'));
  return out;
}

/** Rows as the code page's text lines, at most `columns` characters each. */
export function textLines(rows: readonly ReceiptRow[], columns: number): PrintLine[] {
  const out: PrintLine[] = [];
  for (const row of rows) {
    if (row.kind === 'rule') out.push(plain(RULE.repeat(columns)));
    else if (row.kind === 'center') wrap(row.text, columns).forEach((t) => out.push({ text: t, align: 'center', bold: row.bold ?? false }));
    else if (row.kind === 'text') out.push(plain(row.text, row.bold ?? false));
    else leftRight(row.indent ? `  ${row.label}` : row.label, row.value, columns).forEach((t) => out.push(plain(t, row.bold ?? false)));
  }
  return out;
}

/** The receipt for the code page: English, and only what the code page can print. */
export function layoutReceipt(r: ReceiptModel, columns: number): PrintLine[] {
  return textLines(receiptRows(r, { lang: 'en', codePage: true }), columns);
}

/** Every character of every row is one the code page can print (our own isolation marks aside). */
export function rowsPrintable(rows: readonly ReceiptRow[]): boolean {
  const ok = (text: string) => printable(text.replace(/[\u2066-\u2069]/g, ''));
  return rows.every((row) => row.kind === 'rule' || (row.kind === 'pair' ? ok(row.label) && ok(row.value) : ok(row.text)));
}

/** The paper a test page describes: its width as set, characters a line in the code page, dots across. */
export interface TestPaper {
  width: string;
  columns: number;
  dots: number;
}

/**
 * A test page: the header and what the printer was set up as, in the station's language. On an
 * image the line width is in dots (characters a line mean nothing there); the station's name is
 * isolated so its own direction never reorders the sentence around it.
 */
export function testPageRows(shop: { name: string; station: string }, paper: TestPaper, opts: RowOptions): ReceiptRow[] {
  const fit = (text: string) => (opts.codePage ? orElse(text, '') : text);
  const station = opts.codePage ? fit(shop.station) : `\u2068${shop.station}\u2069`;
  return [
    { kind: 'center', text: fit(shop.name), bold: true },
    { kind: 'center', text: word('printing:paper.testTitle', {}, opts.lang), bold: true },
    { kind: 'rule' },
    { kind: 'text', text: word('printing:paper.testLine', { station }, opts.lang) },
    opts.codePage
      ? { kind: 'text', text: word('printing:paper.testWidth', { width: paper.width, columns: paper.columns }, opts.lang) }
      : { kind: 'text', text: word('printing:paper.testImage', { width: paper.width, dots: paper.dots }, opts.lang) },
  ];
}

/** The code page's test page: English, wrapped, and a ruler of digits across the paper. */
export function layoutTestPage(shop: { name: string; station: string }, width: string, columns: number): PrintLine[] {
  const out: PrintLine[] = [];
  for (const row of testPageRows(shop, { width, columns, dots: 0 }, { lang: 'en', codePage: true })) {
    if (row.kind === 'rule') out.push(plain(RULE.repeat(columns)));
    else if (row.kind === 'center') for (const t of wrap(row.text, columns)) out.push({ text: t, align: 'center', bold: row.bold ?? false });
    else if (row.kind === 'text') for (const t of wrap(row.text, columns)) out.push(plain(t));
  }
  out.push(plain('0123456789'.repeat(Math.ceil(columns / 10)).slice(0, columns)));
  return out;
}
