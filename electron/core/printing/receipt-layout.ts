import { formatMoney, money } from '../../../shared/money';
import type { ReceiptModel } from '../../../shared/contract';
import { word } from './receipt-words';

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

export function layoutReceipt(r: ReceiptModel, columns: number): PrintLine[] {
  const c = r.currency;
  const out: PrintLine[] = [];
  const center = (text: string, bold = false) => wrap(text, columns).forEach((t) => out.push({ text: t, align: 'center', bold }));
  const pair = (l: string, v: string, bold = false) => leftRight(l, v, columns).forEach((t) => out.push(plain(t, bold)));
  const rule = () => out.push(plain(RULE.repeat(columns)));

  center(orElse(r.shop.name, ''), true);
  for (const part of r.shop.address.split('\n')) center(orElse(part, ''));
  center(orElse(r.shop.station, ''));
  center(word('transactions:receipt.title'), true);
  rule();
  pair(word('transactions:receipt.date'), when(r.at));
  pair(word('transactions:receipt.order'), r.orderReference);
  if (r.customerName && printable(r.customerName)) pair(word('transactions:receipt.customer'), r.customerName);
  rule();
  r.lines.forEach((l, i) => {
    const name = orElse(l.description, word('printing:paper.item', { n: i + 1 }));
    pair(`${l.quantity} x ${name}`, amount(l.amount, c));
  });
  rule();
  pair(word('transactions:receipt.net'), amount(r.net, c));
  pair(word('transactions:receipt.tax'), amount(r.tax, c));
  pair(word('transactions:receipt.total'), amount(r.total, c), true);
  if (r.tenders.length) {
    rule();
    out.push(plain(word('printing:paper.tenders'), true));
    for (const t of r.tenders) {
      if (t.method === 'cash') {
        pair(word('transactions:receipt.cash'), amount(t.amount, c));
        if (t.tendered !== null) pair(`  ${word('transactions:receipt.tendered')}`, amount(t.tendered, c));
        if (t.change !== null) pair(`  ${word('transactions:receipt.change')}`, amount(t.change, c));
      } else {
        // Brand and last 4 only: the model holds nothing more, and nothing more is printed.
        const card = [orElse(t.brand ?? '', ''), t.last4 ? `****${t.last4}` : ''].filter(Boolean).join(' ');
        pair(`${word('transactions:receipt.card')} ${card}`.trim(), amount(t.amount, c));
        if (t.authorizationCode) pair(`  ${word('transactions:receipt.authCode')}`, t.authorizationCode);
        pair(`  ${word('transactions:receipt.reference')}`, t.reference);
        if (t.gatewayReference) pair(`  ${word('printing:paper.gatewayRef')}`, t.gatewayReference);
      }
      if (t.refunded > 0) pair(`  ${word('printing:paper.refunded')}`, amount(t.refunded, c));
    }
  }
  rule();
  center(word('transactions:receipt.thanks'));
  return out;
}

/** A test page: the header and what the printer was set up as. */
export function layoutTestPage(shop: { name: string; station: string }, width: string, columns: number): PrintLine[] {
  const out: PrintLine[] = [];
  for (const t of wrap(orElse(shop.name, ''), columns)) out.push({ text: t, align: 'center', bold: true });
  out.push({ text: word('printing:paper.testTitle'), align: 'center', bold: true });
  out.push(plain(RULE.repeat(columns)));
  for (const t of wrap(word('printing:paper.testLine', { station: orElse(shop.station, '') }), columns)) out.push(plain(t));
  for (const t of wrap(word('printing:paper.testWidth', { width, columns }), columns)) out.push(plain(t));
  out.push(plain('0123456789'.repeat(Math.ceil(columns / 10)).slice(0, columns)));
  return out;
}
