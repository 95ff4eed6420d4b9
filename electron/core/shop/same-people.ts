import type { Db } from '../db/database';
import type { ShopServer } from './server-client';

/**
 * Joining a shop with people of the same name as people already in it
 * (docs/decisions/shop-duplicate-people.md): refused, with the names, before anything of this
 * ledger is shared. Accounts are never merged: each has its own PIN, role and history, and its
 * id is in hash-chained audit entries that cannot be rewritten.
 */

/** A desk's active person whose name an active person of the shop already has (another account). */
export interface SamePerson {
  name: string;
  /** The role at this desk and in the shop. */
  roleHere: string;
  roleInShop: string;
}

/** A desk cannot join while some of its people have the names of other accounts in the shop. */
export class DuplicatePeopleError extends Error {
  constructor(readonly people: SamePerson[]) {
    super(`people with the same name are already in the shop: ${people.map((p) => p.name).join(', ')}`);
    this.name = 'DuplicatePeopleError';
  }
}

/** Names compared as a person reads them: trimmed, case and Unicode form ignored. */
const personKey = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** This ledger's active people whose names active people of the shop (other accounts) have. */
export function samePeople(db: Db, shop: readonly { id: string; name: string; role: string }[]): SamePerson[] {
  const byName = new Map<string, { id: string; role: string }[]>();
  for (const u of shop) {
    const k = personKey(u.name);
    byName.set(k, [...(byName.get(k) ?? []), u]);
  }
  const here = db.prepare('SELECT id, name, role FROM users WHERE active = 1 ORDER BY name COLLATE NOCASE, id').all() as { id: string; name: string; role: string }[];
  const out: SamePerson[] = [];
  for (const u of here) {
    const other = (byName.get(personKey(u.name)) ?? []).find((s) => s.id !== u.id);
    if (other) out.push({ name: u.name, roleHere: u.role, roleInShop: other.role });
  }
  return out;
}

/**
 * Asked by shop.connect before StationSync.join: the server's schema brought up to date (so the
 * shop's people can be read), then this desk's active people compared with the shop's.
 */
export async function refuseSamePeople(db: Db, server: ShopServer): Promise<void> {
  await server.migrate();
  const same = samePeople(db, await server.activeUsers());
  if (same.length > 0) throw new DuplicatePeopleError(same);
}
