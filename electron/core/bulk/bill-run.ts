import { coreText, type CoreText } from '../../../shared/contract/messages';
import { ContractError } from '../../../shared/contract';
import { currencyExponent, MoneyError, parseAmount } from '../../../shared/money';
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
  | { ok: true; customerId: string; cardId: string; amount: number; currency: string; description: string; note: CoreText }
  | { ok: false; text: CoreText; partial: { customer_id?: string; card_id?: string; amount?: number; currency?: string } };

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
  if (customers.length === 0) return { ok: false, text: coreText('bulk.checkNoCustomer'), partial: {} };
  if (customers.length > 1) return { ok: false, text: coreText('bulk.checkSharedEmail', { n: customers.length }), partial: {} };
  const customer = customers[0]!;

  const currency = (row.currency ?? '').trim().toUpperCase() || deps.settings.get().currency;
  const text = (row.amount ?? '').trim();
  if (!text) return { ok: false, text: coreText('bulk.checkNoAmount'), partial: { customer_id: customer.id } };
  let amount: number;
  try {
    amount = parseAmount(text, currency).amount;
  } catch (e) {
    return { ok: false, text: amountCheck(e, text, currency), partial: { customer_id: customer.id, currency } };
  }
  if (amount <= 0) return { ok: false, text: coreText('rule.amountNotPositive'), partial: { customer_id: customer.id, currency } };
  try {
    deps.accounts?.checkCurrency(currency);
  } catch (e) {
    if (e instanceof ContractError && e.text) return { ok: false, text: e.text, partial: { customer_id: customer.id, amount, currency } };
    throw e;
  }

  const partial = { customer_id: customer.id, amount, currency };
  const cards = cardsOfCustomer(db, customer.id);
  const wanted = (row.card ?? '').trim();
  let card: CardRow | undefined;
  if (wanted) {
    const matches = cards.filter((c) => c.id === wanted || c.last4 === wanted.replace(/^\*+/, ''));
    if (matches.length === 0) return { ok: false, text: coreText('bulk.checkNoSuchCard', { name: customer.name, card: wanted }), partial };
    const usable = matches.filter((c) => c.status === 'active' && !isCardExpired(c.expiry, now));
    card = usable.length === 1 ? usable[0] : matches.length === 1 ? matches[0] : undefined;
    if (!card) return { ok: false, text: coreText('bulk.checkSeveralEnding', { name: customer.name, card: wanted }), partial };
  } else {
    const usable = cards.filter((c) => c.status === 'active' && !isCardExpired(c.expiry, now));
    if (usable.length === 0) return { ok: false, text: coreText('bulk.checkNoUsableCard', { name: customer.name }), partial };
    if (usable.length > 1) return { ok: false, text: coreText('bulk.checkSeveralCards', { name: customer.name, n: usable.length }), partial };
    card = usable[0]!;
  }
  if (card.status !== 'active') return { ok: false, text: coreText('bulk.checkCardDeactivated', { last4: card.last4 }), partial: { ...partial, card_id: card.id } };
  if (isCardExpired(card.expiry, now)) return { ok: false, text: coreText('bulk.checkCardExpired', { last4: card.last4 }), partial: { ...partial, card_id: card.id } };
  const account = deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT;
  if (card.gateway_account !== account) return { ok: false, text: coreText('bulk.checkOtherAccount', { last4: card.last4 }), partial: { ...partial, card_id: card.id } };

  const description = ((row.description ?? '').trim() || reason.trim() || 'Bill run').slice(0, DESCRIPTION_MAX);
  return { ok: true, customerId: customer.id, cardId: card.id, amount, currency, description, note: coreText('bulk.chargeCard', { name: customer.name, last4: card.last4 }) };
}

/** Why an amount in a bulk file is not one, as a core sentence (parseAmount's reasons, by code). */
export function amountCheck(e: unknown, input: string, currency: string): CoreText {
  const code = e instanceof MoneyError ? e.code : '';
  if (code === 'NEGATIVE_AMOUNT') return coreText('bulk.checkNegative');
  if (code === 'AMOUNT_TOO_LARGE') return coreText('bulk.checkTooLarge');
  if (code === 'UNKNOWN_CURRENCY') return coreText('bulk.checkUnknownCurrency', { currency: currency.slice(0, 20) });
  if (code === 'TOO_MANY_DECIMALS') {
    const exponent = currencyExponent(currency);
    return exponent === 0 ? coreText('bulk.checkNoDecimals', { currency }) : coreText('bulk.checkTooManyDecimals', { currency, exponent });
  }
  return coreText('bulk.checkNotAmount', { input: input.slice(0, 100) });
}
