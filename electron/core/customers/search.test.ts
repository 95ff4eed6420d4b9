import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import type { Db } from '../db/database';
import { memoryDb } from '../people/test-kit';
import { createCustomer, updateCustomer } from './customers-repo';
import { foldTerm, indexCard, indexOrder, nameWords } from './search-index';
import { searchCustomers } from './search';

let db: Db;
let clock: ManualClock;
const ids: Record<string, string> = {};

function add(key: string, name: string, email = '', phone = '') {
  clock.advance(60_000); // each customer a minute newer than the last
  ids[key] = createCustomer(db, { name, email, phone }, clock).id;
  return ids[key];
}

function card(customerKey: string, last4: string, status: 'active' | 'inactive' = 'active', expiry = '2812') {
  const id = `card_${customerKey}_${last4}_${status}`;
  db.prepare(
    `INSERT INTO cards (id, customer_id, token_name, brand, last4, expiry, holder_name, status, created_at, updated_at) VALUES (?, ?, ?, 'VISA', ?, ?, '', ?, ?, ?)`,
  ).run(id, ids[customerKey], `tok_${id}`, last4, expiry, status, clock.now().toISOString(), clock.now().toISOString());
  indexCard(db, { id, customerId: ids[customerKey]!, last4 });
  return id;
}

const search = (q: string, limit = 20, offset = 0) => searchCustomers(db, q, { limit, offset }, clock);
const names = (q: string, limit = 20, offset = 0) => search(q, limit, offset).hits.map((h) => h.customer.name);

beforeEach(() => {
  db = memoryDb();
  clock = new ManualClock('2026-01-15T10:00:00.000Z');
  add('jose', 'José Álvarez', 'jose.alvarez@example.com', '+1 (555) 123-4567');
  add('josefina', 'Josefina Alvarado', 'fina@example.org', '020 7946 0018');
  add('jo', 'Jo Smith', 'jsmith@mail.test', '555-987-6543');
  add('anna', 'Anna Jo', 'anna@example.com', '');
  add('zoe', "Zoë O'Brien-Núñez", '', '+44 20 7946 0999');
  card('jose', '4242');
  card('jose', '1111', 'inactive');
  card('anna', '4242', 'active', '2512');
  indexOrder(db, { reference: 'ORD-2026-0001', customerId: ids.anna! });
  indexOrder(db, { reference: 'WALKIN-1', customerId: null });
});

describe('folding', () => {
  it('lowercases, strips accents, collapses spaces', () => {
    expect(foldTerm('  José   ÁLVAREZ  ')).toBe('jose alvarez');
    expect(foldTerm('Zoë Ødegaard Łukasz Groß')).toBe('zoe odegaard lukasz gross');
    expect(nameWords("Zoë O'Brien-Núñez")).toEqual(['zoe', 'obrien', 'nunez']);
  });
});

describe('customer search', () => {
  it('finds names by the prefix of any word, ignoring case and accents', () => {
    expect(names('jose')).toEqual(['José Álvarez', 'Josefina Alvarado']);
    expect(names('JOSÉ')).toEqual(['José Álvarez', 'Josefina Alvarado']);
    expect(names('álv')).toEqual(['Josefina Alvarado', 'José Álvarez']); // same tier: by matched word
    expect(names('nunez')).toEqual(["Zoë O'Brien-Núñez"]);
    expect(names("o'brien")).toEqual(["Zoë O'Brien-Núñez"]);
    expect(names('zoe')).toEqual(["Zoë O'Brien-Núñez"]);
    expect(search('jose').hits[0]!.matched).toBe('name');
  });

  it('ranks exact before prefix and the first word before later ones', () => {
    // "Jo Smith" (exact, first word) > "Anna Jo" (exact, second word) > José, Josefina (prefix).
    expect(names('jo')).toEqual(['Jo Smith', 'Anna Jo', 'José Álvarez', 'Josefina Alvarado']);
  });

  it('ranks the newest customer first among equals', () => {
    add('old', 'Maria Lopez');
    add('new', 'Maria Lopez');
    expect(search('maria').hits.map((h) => h.customer.id)).toEqual([ids.new, ids.old]);
    expect(search('lop').hits.map((h) => h.customer.id)).toEqual([ids.new, ids.old]);
  });

  it('intersects several words', () => {
    // Ranked by the most selective word ("alv": 2 entries, "jo": 4), whatever the typing order.
    expect(names('jo alv')).toEqual(['Josefina Alvarado', 'José Álvarez']);
    expect(names('alv jo')).toEqual(['Josefina Alvarado', 'José Álvarez']);
    expect(names('jose alvarez')).toEqual(['José Álvarez']);
    expect(names('jo smi')).toEqual(['Jo Smith']);
    expect(names('jo zzz')).toEqual([]);
  });

  it('finds phones from any format, by prefix or by the last digits', () => {
    for (const q of ['+1 (555) 123-4567', '15551234567', '1555', '555-123-4567', '5551234567', '234567', '(555) 123 4567']) {
      expect(names(q), q).toContain('José Álvarez');
    }
    expect(search('5551234567').hits[0]).toMatchObject({ matched: 'phone' });
    expect(names('020 7946')).toEqual(['Josefina Alvarado']);
    expect(names('+44 20 7946')).toEqual(["Zoë O'Brien-Núñez"]);
    expect(names('0018')).toEqual(['Josefina Alvarado']);
    expect(names('7946')).toEqual([]); // digits in the middle are neither a prefix nor the last digits
  });

  it('finds the exact last 4 of a card on file, first', () => {
    const r = search('4242');
    expect(r.hits.map((h) => [h.customer.name, h.matched])).toEqual([
      ['Anna Jo', 'last4'],
      ['José Álvarez', 'last4'],
    ]);
    // Only active cards come with a hit; expired is computed from the clock (Dec 2025 < Jan 2026).
    const jose = r.hits.find((h) => h.customer.name === 'José Álvarez')!;
    expect(jose.cards.map((c) => c.last4)).toEqual(['4242']);
    expect(r.hits.find((h) => h.customer.name === 'Anna Jo')!.cards[0]).toMatchObject({ expired: true, status: 'active' });
    expect(jose.cards[0]!.expired).toBe(false);
    expect(names('1111')).toEqual(['José Álvarez']); // an inactive card still finds its customer
  });

  it('finds emails by prefix', () => {
    expect(search('jose.al').hits.map((h) => [h.customer.name, h.matched])).toEqual([['José Álvarez', 'email']]);
    expect(search('JSMITH@mail.test').hits.map((h) => [h.customer.name, h.matched])).toEqual([['Jo Smith', 'email']]);
    expect(names('anna@')).toEqual(['Anna Jo']);
    expect(search('anna').hits.map((h) => h.matched)).toEqual(['name']); // name beats email for the same customer
  });

  it('finds an order reference by case-insensitive prefix', () => {
    for (const q of ['ORD-2026-0001', 'ord-2026', 'ord-20']) {
      expect(search(q).hits.map((h) => [h.customer.name, h.matched, h.orderReference]), q).toEqual([['Anna Jo', 'order', 'ORD-2026-0001']]);
    }
    expect(names('walkin')).toEqual([]); // orders without a customer are not customer hits
  });

  it('pages without duplicates and says when there is more', () => {
    for (let i = 0; i < 25; i++) add(`p${i}`, `Pagey Person${String(i).padStart(2, '0')}`);
    const pages = [0, 10, 20].map((offset) => search('pagey', 10, offset));
    expect(pages.map((p) => [p.hits.length, p.more])).toEqual([[10, true], [10, true], [5, false]]);
    const all = pages.flatMap((p) => p.hits.map((h) => h.customer.name));
    expect(new Set(all).size).toBe(25);
    expect(all[0]).toBe('Pagey Person24'); // newest first within the exact tier
    expect(search('pagey', 10, 30)).toEqual({ hits: [], more: false });
  });

  it('ignores empty and punctuation-only queries', () => {
    expect(search('')).toEqual({ hits: [], more: false });
    expect(search('   ')).toEqual({ hits: [], more: false });
    expect(search("'")).toEqual({ hits: [], more: false });
  });

  it('re-indexes a customer on update', () => {
    updateCustomer(db, ids.jo!, { name: 'Joanna Smythe', email: 'jo@new.test', phone: '' }, clock);
    expect(names('smith')).toEqual([]);
    expect(names('smy')).toEqual(['Joanna Smythe']);
    expect(names('5559876543')).toEqual([]);
    expect(names('jo@new')).toEqual(['Joanna Smythe']);
  });

  it('reads every tier as an index range, never a sort or a table scan', () => {
    const plans = [
      `SELECT customer_id, ref FROM search_terms WHERE term = 'n0:jo' ORDER BY customer_id, kind, ref`,
      `SELECT customer_id, ref FROM search_terms WHERE term > 'n0:jo' AND term < 'n0:jo\u{10FFFF}' ORDER BY term, customer_id, kind, ref`,
      `SELECT 1 FROM search_terms WHERE customer_id = 'x' AND term >= 'n1:al' AND term < 'n1:al\u{10FFFF}' LIMIT 1`,
    ].map((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '));
    for (const p of plans) {
      expect(p).toMatch(/SEARCH search_terms USING (PRIMARY KEY|COVERING INDEX)/);
      expect(p).not.toMatch(/TEMP B-TREE|SCAN/);
    }
  });
});
