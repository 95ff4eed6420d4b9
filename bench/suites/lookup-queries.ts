import type { Db } from '../../electron/core/db/database';
import { prng } from '../lib/stats';
import { orderRefFor, ORDER_REFS } from '../lib/dataset';

export type QueryKind = 'name-1' | 'name-2' | 'name-3' | 'name-4' | 'phone' | 'email' | 'last4' | 'order';
export const KINDS: readonly QueryKind[] = ['name-1', 'name-2', 'name-3', 'name-4', 'phone', 'email', 'last4', 'order'];

export interface Query {
  kind: QueryKind;
  text: string;
}

/**
 * What clerks type, drawn from the ledger itself: for names, a first or last name typed one letter
 * at a time as a person does (1, 2, 3, then 4 letters: four queries per person, in that order);
 * a phone number in the format it was given; an email; a card's last 4; an order reference.
 * `perKind` distinct people/cards/orders per kind.
 */
export function buildQueries(db: Db, perKind: number, seed: number): Query[] {
  const rnd = prng(seed);
  const maxRow = (db.prepare('SELECT max(rowid) AS n FROM customers').get() as { n: number }).n;
  const maxCard = (db.prepare('SELECT max(rowid) AS n FROM cards').get() as { n: number }).n;
  const byRow = db.prepare('SELECT name, email, phone FROM customers WHERE rowid = ?');
  const cardByRow = db.prepare('SELECT last4 FROM cards WHERE rowid = ?');
  const people: { name: string; email: string; phone: string }[] = [];
  while (people.length < perKind * 3) {
    const r = byRow.get(1 + Math.floor(rnd() * maxRow)) as { name: string; email: string; phone: string } | undefined;
    if (r) people.push(r);
  }
  const out: Query[] = [];
  // Names: typed progressively; the word typed is the first or the last word of the name.
  for (let i = 0; i < perKind; i++) {
    const words = people[i]!.name.split(/\s+/);
    const word = (rnd() < 0.5 ? words[0] : words[words.length - 1])!.replace(/^(van|der)$/i, words[0]!);
    const typed = rnd() < 0.7 ? word.toLowerCase() : word;
    for (let n = 1; n <= 4; n++) out.push({ kind: `name-${n}` as QueryKind, text: typed.slice(0, n) });
  }
  for (const p of people.filter((x) => x.phone).slice(0, perKind)) out.push({ kind: 'phone', text: p.phone });
  for (const p of people.filter((x) => x.email).slice(0, perKind)) out.push({ kind: 'email', text: p.email });
  for (let i = 0; i < perKind; ) {
    const c = cardByRow.get(1 + Math.floor(rnd() * maxCard)) as { last4: string } | undefined;
    if (c) {
      out.push({ kind: 'last4', text: c.last4 });
      i++;
    }
  }
  for (let i = 0; i < perKind; i++) out.push({ kind: 'order', text: orderRefFor(Math.floor(rnd() * ORDER_REFS)) });
  return out;
}
