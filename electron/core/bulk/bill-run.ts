import { parseAmount } from '../../../shared/money';
import { cardsOfCustomer, isCardExpired, type CardRow } from '../cards';
import type { CoreDeps } from '../deps';
import { EMBEDDED_ACCOUNT } from '../gateway-accounts';
import { stmt } from '../ledger/sql';

/** What a bill-run row adds to a bulk row: which card, in which currency, for what. */
export interface ChargeInputRow {
  /** The card on file: its id or its last 4 digits; empty = the customer's only usable card. */
  card?: string;
  /** ISO currency; empty = the station's currency. */
  currency?: string;
  /** The order line; empty = the run's reason, or "Bill run". */
  description?: string;
}

type Judged =
  | { ok: true; customerId: string; cardId: string; amount: number; currency: string; description: string; note: string }
  | { ok: false; message: string; partial: { customer_id?: string; card_id?: string; amount?: number; currency?: string } };

const DESCRIPTION_MAX = 150;

/**
 * Judges one bill-run row before anything is sent (the preview): the customer exists (by id, or
 * by an email only one customer has), the card on file is theirs, active, not expired and saved
 * on the account new payments go to, and the amount is a valid amount in the currency.
 */
export function judgeCharge(deps: CoreDeps, row: { reference: string; amount?: string } & ChargeInputRow, reason: string, now: Date): Judged {
  const { db } = deps;
  const who = row.reference.trim();
  let customers = stmt(db, 'SELECT id, name FROM customers WHERE id = ?').all(who) as { id: string; name: string }[];
  if (customers.length === 0 && who.includes('@')) customers = stmt(db, 'SELECT id, name FROM customers WHERE lower(email) = lower(?)').all(who) as { id: string; name: string }[];
  if (customers.length === 0) return { ok: false, message: 'No such customer on this station (give the customer id or email).', partial: {} };
  if (customers.length > 1) return { ok: false, message: `${customers.length} customers have this email: give the customer id instead.`, partial: {} };
  const customer = customers[0]!;

  const currency = (row.currency ?? '').trim().toUpperCase() || deps.settings.get().currency;
  const text = (row.amount ?? '').trim();
  if (!text) return { ok: false, message: 'No amount: a bill run charges the amount on each row.', partial: { customer_id: customer.id } };
  let amount: number;
  try {
    amount = parseAmount(text, currency).amount;
  } catch (e) {
    return { ok: false, message: `Amount: ${e instanceof Error ? e.message : String(e)}`, partial: { customer_id: customer.id, currency } };
  }
  if (amount <= 0) return { ok: false, message: 'The amount must be more than zero.', partial: { customer_id: customer.id, currency } };
  try {
    deps.accounts?.checkCurrency(currency);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e), partial: { customer_id: customer.id, amount, currency } };
  }

  const partial = { customer_id: customer.id, amount, currency };
  const cards = cardsOfCustomer(db, customer.id);
  const wanted = (row.card ?? '').trim();
  let card: CardRow | undefined;
  if (wanted) {
    const matches = cards.filter((c) => c.id === wanted || c.last4 === wanted.replace(/^\*+/, ''));
    if (matches.length === 0) return { ok: false, message: `${customer.name} has no card on file ${wanted}.`, partial };
    const usable = matches.filter((c) => c.status === 'active' && !isCardExpired(c.expiry, now));
    card = usable.length === 1 ? usable[0] : matches.length === 1 ? matches[0] : undefined;
    if (!card) return { ok: false, message: `${customer.name} has several cards ending ${wanted}: give the card id.`, partial };
  } else {
    const usable = cards.filter((c) => c.status === 'active' && !isCardExpired(c.expiry, now));
    if (usable.length === 0) return { ok: false, message: `${customer.name} has no usable card on file.`, partial };
    if (usable.length > 1) return { ok: false, message: `${customer.name} has ${usable.length} cards on file: say which (last 4 digits or card id).`, partial };
    card = usable[0]!;
  }
  if (card.status !== 'active') return { ok: false, message: `The card ending ${card.last4} was deactivated.`, partial: { ...partial, card_id: card.id } };
  if (isCardExpired(card.expiry, now)) return { ok: false, message: `The card ending ${card.last4} has expired.`, partial: { ...partial, card_id: card.id } };
  const account = deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT;
  if (card.gateway_account !== account) return { ok: false, message: `The card ending ${card.last4} was saved on another gateway account: it cannot be charged on this one.`, partial: { ...partial, card_id: card.id } };

  const description = ((row.description ?? '').trim() || reason.trim() || 'Bill run').slice(0, DESCRIPTION_MAX);
  return { ok: true, customerId: customer.id, cardId: card.id, amount, currency, description, note: `${customer.name}, card ending ${card.last4}` };
}
