import type { Db } from '../db/database';
import type { Clock } from '../clock';
import { ContractError } from '../../../shared/contract/errors';
import { newCustomerId } from './ids';
import { indexCustomer } from './search-index';
import { prepared } from '../ledger/stmt-cache';

/** The contract's CustomerSchema shape. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  /** Preferred language for what we send them; null = the station's. */
  language: CustomerLanguage | null;
  createdAt: string;
}

export type CustomerLanguage = 'en' | 'ar';

export interface CustomerFields {
  name: string;
  email: string;
  phone: string;
  /** Left out = unchanged on update, the station's (null) on create. */
  language?: CustomerLanguage | null;
}

interface CustomerRow {
  id: string;
  name: string;
  email: string;
  phone: string;
  language: CustomerLanguage | null;
  created_at: string;
}

export function rowToCustomer(r: CustomerRow): Customer {
  return { id: r.id, name: r.name, email: r.email, phone: r.phone, language: r.language ?? null, createdAt: r.created_at };
}

function clean(input: CustomerFields): { name: string; email: string; phone: string } {
  return { name: input.name.trim(), email: input.email.trim(), phone: input.phone.trim() };
}

/**
 * Adds a customer and indexes it for search, atomically (nests as a savepoint inside the caller's
 * transaction, e.g. orders.create with a new customer).
 */
export function createCustomer(db: Db, input: CustomerFields, clock: Clock): Customer {
  const now = clock.now();
  const at = now.toISOString();
  const c: Customer = { id: newCustomerId(now), ...clean(input), language: input.language ?? null, createdAt: at };
  if (!c.name) throw new ContractError('VALIDATION', 'Name is required', { name: 'Name is required' });
  db.transaction(() => {
    prepared(db, `INSERT INTO customers (id, name, email, phone, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
      c.id, c.name, c.email, c.phone, c.language, at, at,
    );
    indexCustomer(db, c);
  })();
  return c;
}

export function getCustomer(db: Db, id: string): Customer | undefined {
  const r = prepared(db, `SELECT id, name, email, phone, language, created_at FROM customers WHERE id = ?`).get(id) as CustomerRow | undefined;
  return r && rowToCustomer(r);
}

/** Replaces name, email and phone; throws NOT_FOUND. Returns the new and the previous values (for the audit detail). */
export function updateCustomer(db: Db, id: string, input: CustomerFields, clock: Clock): Customer {
  return updateCustomerWithPrevious(db, id, input, clock).customer;
}

export function updateCustomerWithPrevious(db: Db, id: string, input: CustomerFields, clock: Clock): { customer: Customer; previous: Customer } {
  const fields: Partial<Customer> & ReturnType<typeof clean> = { ...clean(input), ...(input.language !== undefined ? { language: input.language } : {}) };
  if (!fields.name) throw new ContractError('VALIDATION', 'Name is required', { name: 'Name is required' });
  return db.transaction(() => {
    const previous = getCustomer(db, id);
    if (!previous) throw new ContractError('NOT_FOUND', 'This customer does not exist');
    prepared(db, `UPDATE customers SET name = ?, email = ?, phone = ?, language = ?, updated_at = ? WHERE id = ?`).run(
      fields.name, fields.email, fields.phone, fields.language === undefined ? previous.language : fields.language, clock.now().toISOString(), id,
    );
    const customer: Customer = { ...previous, ...fields };
    indexCustomer(db, customer);
    return { customer, previous };
  })();
}
