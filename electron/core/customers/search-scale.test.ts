import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Db } from '../db/database';
import { memoryDb } from '../people/test-kit';
import { generateCustomers } from './generate';
import { digitsOf, foldTerm, nameWords, reverse } from './search-index';
import { searchCustomers } from './search';

// Correctness at scale: 50,000 generated customers (~70,000 cards), every answer checked against
// a brute-force ranking computed from the plain tables. Timing belongs to bench/, not here.

interface Row { id: string; name: string; email: string; phone: string; words: string[]; femail: string; digits: string }
type Key = [tier: number, term: string, id: string];

let db: Db;
let customers: Row[];
let cardsByCustomer: Map<string, string[]>;
const clock = new ManualClock('2026-01-15T10:00:00.000Z');

beforeAll(() => {
  db = memoryDb();
  const made = generateCustomers(db, { customers: 50_000, seed: 7 });
  expect(made.customers).toBe(50_000);
  expect(made.cards).toBeGreaterThan(60_000);
  customers = (db.prepare('SELECT id, name, email, phone FROM customers').all() as Row[]).map((c) => ({
    ...c, words: nameWords(c.name), femail: foldTerm(c.email).replace(/\s+/g, ''), digits: digitsOf(c.phone),
  }));
  cardsByCustomer = new Map();
  for (const c of db.prepare('SELECT customer_id, last4 FROM cards').all() as { customer_id: string; last4: string }[]) {
    cardsByCustomer.set(c.customer_id, [...(cardsByCustomer.get(c.customer_id) ?? []), c.last4]);
  }
}, 60_000);

function cmp(a: Key, b: Key): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Brute force: the best (tier, term, id) of each customer for a one-word text query. */
function oracleWord(word: string): string[] {
  const keys: Key[] = [];
  for (const c of customers) {
    let best: Key | null = null;
    const consider = (k: Key) => void (best = best === null || cmp(k, best) < 0 ? k : best);
    c.words.forEach((w, i) => {
      const pos = Math.min(i, 2);
      const term = `n${pos}:${w}`;
      if (w === word) consider([pos, term, c.id]);
      else if (w.startsWith(word)) consider([5 + pos, term, c.id]);
    });
    const email = c.femail;
    if (email === word) consider([3, `e:${email}`, c.id]);
    else if (email && email.startsWith(word)) consider([8, `e:${email}`, c.id]);
    if (best) keys.push(best);
  }
  return keys.sort(cmp).map((k) => k[2]);
}

/** Brute force for a digits query: last 4, then phone exact, prefix, last digits. */
function oracleDigits(d: string): string[] {
  const keys: Key[] = [];
  for (const c of customers) {
    let best: Key | null = null;
    const consider = (k: Key) => void (best = best === null || cmp(k, best) < 0 ? k : best);
    if (d.length === 4 && (cardsByCustomer.get(c.id) ?? []).includes(d)) consider([0, `c:${d}`, c.id]);
    const p = c.digits;
    if (p) {
      if (p === d) consider([1, `p:${p}`, c.id]);
      else if (p.startsWith(d)) consider([3, `p:${p}`, c.id]);
      if (reverse(p) === reverse(d)) consider([4, `r:${reverse(p)}`, c.id]);
      else if (reverse(p).startsWith(reverse(d))) consider([5, `r:${reverse(p)}`, c.id]);
    }
    if (best) keys.push(best);
  }
  return keys.sort(cmp).map((k) => k[2]);
}

function page(q: string, limit: number, offset: number) {
  return searchCustomers(db, q, { limit, offset }, clock);
}

function allIds(q: string): string[] {
  const out: string[] = [];
  for (let offset = 0; ; offset += 50) {
    const p = page(q, 50, offset);
    out.push(...p.hits.map((h) => h.customer.id));
    if (!p.more) return out;
  }
}

describe('search over 50,000 customers', () => {
  it.each(['maria', 'jo', 'al', 'smith', 'gar', 'j', 'zoe', 'nunez', 'jean'])('ranks and pages "%s" exactly like brute force', (q) => {
    const expected = oracleWord(q);
    expect(expected.length).toBeGreaterThan(0);
    for (const offset of [0, 50, 1000, Math.max(0, expected.length - 10)]) {
      const p = page(q, 50, offset);
      expect(p.hits.map((h) => h.customer.id)).toEqual(expected.slice(offset, offset + 50));
      expect(p.more).toBe(expected.length > offset + 50);
    }
  });

  it('is case- and accent-insensitive', () => {
    for (const [a, b] of [['ÁLVAREZ', 'alvarez'], ['Zoë', 'zoe'], ['JOSÉ', 'jose'], ['Ødegaard', 'odegaard'], ['groß', 'gross']]) {
      const x = page(a!, 50, 0).hits.map((h) => h.customer.id);
      expect(x.length).toBeGreaterThan(0);
      expect(x).toEqual(page(b!, 50, 0).hits.map((h) => h.customer.id));
    }
  });

  it('finds every customer with a card ending in a given last 4, first', () => {
    const sample = ['0000', '4242', [...cardsByCustomer.values()][123]![0]!];
    for (const d of sample) {
      const expected = oracleDigits(d);
      expect(page(d, 50, 0).hits.map((h) => h.customer.id)).toEqual(expected.slice(0, 50));
      const withCard = expected.filter((id) => cardsByCustomer.get(id)?.includes(d));
      for (const h of page(d, Math.min(50, withCard.length || 1), 0).hits.slice(0, withCard.length)) expect(h.matched).toBe('last4');
    }
  });

  it('finds a phone from any format, by prefix or last digits, like brute force', () => {
    const withPhone = customers.filter((c) => c.phone).filter((_, i) => i % 5000 === 0);
    for (const c of withPhone) {
      const d = digitsOf(c.phone);
      expect(page(c.phone, 20, 0).hits.map((h) => h.customer.id)).toContain(c.id);
      for (const q of [d, d.slice(-7), d.slice(0, 6)]) {
        expect(page(q, 50, 0).hits.map((h) => h.customer.id)).toEqual(oracleDigits(q).slice(0, 50));
      }
    }
  });

  it('finds an email exactly and by prefix', () => {
    for (const c of customers.filter((x) => x.email).filter((_, i) => i % 5000 === 0)) {
      const top = page(c.email.toUpperCase(), 50, 0).hits;
      expect(top[0]!.matched).toBe('email');
      expect(top.map((h) => h.customer.id)).toContain(c.id);
      expect(top.every((h) => foldTerm(h.customer.email) === foldTerm(c.email))).toBe(true);
    }
  });

  it('intersects several words: exactly the customers having every word as a prefix', () => {
    for (const q of ['jo smi', 'mar gar', 'anne mar', 'al say', 'zo o']) {
      const words = nameWords(q);
      const expected = customers
        .filter((c) => words.every((w) => c.words.some((n) => n.startsWith(w))))
        .map((c) => c.id)
        .sort();
      const got = allIds(q);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual(expected);
    }
  });
});
