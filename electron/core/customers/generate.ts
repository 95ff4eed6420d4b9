import type { Db } from '../db/database';
import { newCustomerId } from './ids';
import { TAG, customerTerms } from './search-index';

/**
 * Realistic customers with cards on file, bulk-inserted for tests and benchmarks (1,000,000 cards
 * and more). Deterministic for a given seed. Everything goes in one transaction through a handful
 * of prepared statements; the search index is written directly (no delete-then-insert per customer).
 * Never used by the app itself: tokens are fake ("gen_…") and no gateway knows them.
 */
export interface GenerateOptions {
  customers: number;
  seed?: number;
  /** createdAt of the newest customer; the others spread back over `spanDays`. */
  newest?: Date;
  spanDays?: number;
  /** Share of customers with 0, 1, 2, 3 cards (defaults to about 1.4 cards per customer). */
  cardMix?: readonly [number, number, number, number];
}

export interface GenerateResult {
  customers: number;
  cards: number;
  terms: number;
}

const FIRST = [
  'José', 'María', 'Zoë', 'Françoise', 'Søren', 'Łukasz', 'Chloé', 'Renée', 'André', 'Björn', 'Jürgen', 'Ángel',
  'Inês', 'João', 'Nuño', 'Iñaki', 'Agnès', 'Noël', 'Mónica', 'Sebastián', 'Ana', 'Anna', 'John', 'Johanna', 'Jo',
  'Joseph', 'Josephine', 'Mary', 'Maria', 'Mark', 'Marco', 'Michael', 'Michelle', 'David', 'Sarah', 'Sara', 'James',
  'Emma', 'Olivia', 'Liam', 'Noah', 'Amelia', 'Oliver', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Isabella', 'Fatima',
  'Mohammed', 'Aisha', 'Omar', 'Layla', 'Yusuf', 'Hana', 'Wei', 'Li', 'Priya', 'Arjun', 'Kenji', 'Yuki', 'Olga',
  'Dmitri', 'Katarzyna', 'Zoltán', 'Ségolène', 'Håkon', 'Dagný', 'Çağla', 'Jean-Luc', 'Anne-Marie',
];
const LAST = [
  'Álvarez', 'García', 'Núñez', 'Müller', "O'Brien", 'Smith-Jones', 'van der Berg', 'Ødegaard', 'Dvořák', 'Nowak',
  'Fernández', 'López', 'Martínez', 'Pérez', 'González', 'Sánchez', 'Gómez', 'Díaz', 'Muñoz', 'Rodríguez', 'Smith',
  'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore',
  'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Allen', 'Young', 'King',
  'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter',
  'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins', 'Edwards', 'Stewart', 'Morris', 'Murphy', 'Cook',
  'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Kelly', 'Howard', 'Ward', 'Cox', 'Richardson',
  'Wood', 'Watson', 'Brooks', 'Bennett', 'Gray', 'James', 'Reyes', 'Cruz', 'Hughes', 'Price', 'Myers', 'Long',
  'Foster', 'Sanders', 'Ross', 'Morales', 'Powell', 'Sullivan', 'Russell', 'Ortiz', 'Jenkins', 'Gutiérrez', 'Perry',
  'Al-Sayed', 'Haddad', 'Khoury', 'Nakamura', 'Tanaka', 'Kowalski', 'Wiśniewski', 'Lefèvre', 'Dubois', 'Rønning',
  'Çelik', 'Yılmaz', 'Schäfer', 'Groß', 'Šimek', 'Horváth', 'Petrović', 'Ivanova', 'Chen', 'Wang', 'Patel', 'Singh',
];
const DOMAINS = ['example.com', 'mail.test', 'post.example', 'inbox.test', 'example.org'];
const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'MADA'] as const;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function asciiFold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/ø/gi, 'o').replace(/ł/gi, 'l').replace(/ß/g, 'ss').replace(/ı/g, 'i').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function generateCustomers(db: Db, opts: GenerateOptions): GenerateResult {
  const rnd = prng(opts.seed ?? 1);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const newest = (opts.newest ?? new Date('2026-01-15T10:00:00.000Z')).getTime();
  const spanMs = (opts.spanDays ?? 3 * 365) * 86_400_000;
  const mix = opts.cardMix ?? [0.1, 0.5, 0.3, 0.1];
  const newestYymm = Number(new Date(newest).toISOString().slice(2, 4));

  const insCustomer = db.prepare(`INSERT INTO customers (id, name, email, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const insCard = db.prepare(
    `INSERT INTO cards (id, customer_id, token_name, brand, last4, expiry, holder_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insTerm = db.prepare(`INSERT OR IGNORE INTO search_terms (term, kind, customer_id, ref) VALUES (?, ?, ?, ?)`);
  const result: GenerateResult = { customers: 0, cards: 0, terms: 0 };
  const seed = opts.seed ?? 1;

  const phone = (): string => {
    const local = `${200 + int(800)}${digits(7)}`;
    switch (int(5)) {
      case 0: return `+1 (${local.slice(0, 3)}) ${local.slice(3, 6)}-${local.slice(6)}`;
      case 1: return `${local.slice(0, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
      case 2: return `+44 20 ${digits(4)} ${digits(4)}`;
      case 3: return `+966 5${digits(8)}`;
      default: return local;
    }
  };

  db.transaction(() => {
    for (let i = 0; i < opts.customers; i++) {
      // Oldest first, so ids (inverted time) arrive in ascending order.
      const createdMs = newest - spanMs + Math.floor(((i + rnd()) * spanMs) / opts.customers);
      const created = new Date(createdMs);
      const at = created.toISOString();
      const first = pick(FIRST);
      const last = pick(LAST);
      const middle = rnd() < 0.1 ? ` ${pick(FIRST)}` : '';
      const name = `${first}${middle} ${last}`;
      const email = rnd() < 0.9 ? `${asciiFold(first)}.${asciiFold(last)}${rnd() < 0.5 ? int(1000) : ''}@${pick(DOMAINS)}` : '';
      const tel = rnd() < 0.9 ? phone() : '';
      const id = newCustomerId(created, () => `${seed.toString(36)}${i.toString(36).padStart(5, '0')}`);
      insCustomer.run(id, name, email, tel, at, at);
      for (const t of customerTerms({ id, name, email, phone: tel })) {
        insTerm.run(t.term, t.kind, id, '');
        result.terms++;
      }
      result.customers++;

      const r = rnd();
      const nCards = r < mix[0] ? 0 : r < mix[0] + mix[1] ? 1 : r < mix[0] + mix[1] + mix[2] ? 2 : 3;
      for (let j = 0; j < nCards; j++) {
        const cardId = `gen${seed.toString(36)}_${i.toString(36)}_${j}`;
        const last4 = digits(4);
        const yy = newestYymm - 2 + int(8);
        const expiry = `${String(yy).padStart(2, '0')}${String(1 + int(12)).padStart(2, '0')}`;
        insCard.run(cardId, id, `gen_${cardId}`, pick(BRANDS), last4, expiry, name.toUpperCase(), rnd() < 0.92 ? 'active' : 'inactive', at, at);
        insTerm.run(TAG.last4 + last4, 'last4', id, cardId);
        result.cards++;
        result.terms++;
      }
    }
  })();
  return result;
}
