import { ContractError, coreText } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import type { Db } from '../db/database';
import { audit, type Actor } from '../ledger/audit-entry';
import type { Ports } from '../ports';
import { tokenUpdateReference } from '../ledger/references';
import { newId, tx } from '../ledger/sql';
import { cardByToken, getCardRow, insertCard, isCardExpired, setCardExpiry, setCardStatus, toCard, type Card, type CardRow } from './cards-repo';

export interface HostedCardData {
  tokenName: string;
  brand: string;
  last4: string;
  expiry: string;
  holderName: string;
  /** The account the hosted page that made the token belongs to. */
  gatewayAccount: string;
}

/**
 * Saves the hosted page's card for a customer who agreed to keep it on file. Called inside the
 * transaction that records the successful charge. A token already on file (the gateway's "unique
 * tokens" option returns the same token for the same card) is reused, not duplicated.
 */
export function saveCardOnFile(db: Db, ports: Ports, customerId: string, card: HostedCardData, now: Date): CardRow {
  const at = now.toISOString();
  const existing = cardByToken(db, card.tokenName);
  if (existing && existing.gateway_account === card.gatewayAccount) {
    if (existing.status !== 'active') setCardStatus(db, existing.id, 'active', at);
    return { ...existing, status: 'active' };
  }
  const row: CardRow = {
    id: newId('card'),
    customer_id: customerId,
    token_name: card.tokenName,
    brand: card.brand,
    last4: card.last4,
    expiry: card.expiry,
    holder_name: card.holderName,
    status: 'active',
    created_at: at,
    updated_at: at,
    gateway_account: card.gatewayAccount,
  };
  insertCard(db, row);
  ports.indexCard(db, { id: row.id, customerId, last4: row.last4 });
  return row;
}

/** A card on file usable for a charge now, or the typed refusal (checked before anything is sent). */
export function usableCard(db: Db, cardId: string, now: Date): CardRow {
  const card = getCardRow(db, cardId);
  if (!card) throw new ContractError('NOT_FOUND', 'No such card on file.');
  if (card.status !== 'active') throw new ContractError('CARD_INACTIVE', coreText('refuse.cardDeactivated'));
  if (isCardExpired(card.expiry, now)) throw new ContractError('CARD_EXPIRED', coreText('refuse.cardExpiredUpdate'));
  return card;
}

/**
 * Deactivate and update expiry go to the gateway first (UPDATE_TOKEN). The local row changes only
 * when the gateway confirmed; a refusal or an unanswered call leaves the card as it was and says so.
 */
export class CardService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly ports: Ports,
  ) {}

  async deactivate(cardId: string, actor: Actor): Promise<Card> {
    const { db, clock, gateway } = this.deps;
    const card = getCardRow(db, cardId);
    if (!card) throw new ContractError('NOT_FOUND', 'No such card on file.');
    if (card.status === 'inactive') return toCard(card, clock.now());
    const outcome = await gateway.updateToken({
      merchantReference: tokenUpdateReference(this.deps.station, clock.now()),
      tokenName: card.token_name,
      status: 'INACTIVE',
    });
    const target = `card ${card.brand} …${card.last4}`;
    if (outcome.kind !== 'succeeded') {
      audit(this.deps, this.ports, actor, 'cards.deactivate', target, 'failure', outcome.kind === 'declined' ? `declined ${outcome.responseCode}` : `no answer (${outcome.reason})`);
      if (outcome.kind === 'declined') throw new ContractError('DECLINED', coreText('refuse.cardDeactivateDeclined', { bank: { responseCode: outcome.responseCode, message: outcome.message } }));
      throw new ContractError('GATEWAY_UNREACHABLE', coreText('refuse.cardDeactivateNoAnswer'));
    }
    const at = clock.now().toISOString();
    tx(db, () => {
      setCardStatus(db, card.id, 'inactive', at);
      audit(this.deps, this.ports, actor, 'cards.deactivate', target, 'success', 'token set INACTIVE at the gateway');
    });
    return toCard({ ...card, status: 'inactive', updated_at: at }, clock.now());
  }

  async updateExpiry(cardId: string, expiry: string, actor: Actor): Promise<Card> {
    const { db, clock, gateway } = this.deps;
    const card = getCardRow(db, cardId);
    if (!card) throw new ContractError('NOT_FOUND', 'No such card on file.');
    if (card.status !== 'active') throw new ContractError('CARD_INACTIVE', coreText('refuse.cardDeactivated'));
    const mm = Number(expiry.slice(2, 4));
    if (mm < 1 || mm > 12) throw new ContractError('VALIDATION', 'Expiry is YYMM with a month from 01 to 12.', { expiry: 'Invalid month' });
    if (isCardExpired(expiry, clock.now())) throw new ContractError('CARD_EXPIRED', coreText('refuse.expiryPast'));
    const outcome = await gateway.updateToken({
      merchantReference: tokenUpdateReference(this.deps.station, clock.now()),
      tokenName: card.token_name,
      expiryDate: expiry,
    });
    const target = `card ${card.brand} …${card.last4}`;
    if (outcome.kind !== 'succeeded') {
      audit(this.deps, this.ports, actor, 'cards.updateExpiry', target, 'failure', outcome.kind === 'declined' ? `declined ${outcome.responseCode}` : `no answer (${outcome.reason})`);
      if (outcome.kind === 'declined') throw new ContractError('DECLINED', coreText('refuse.expiryDeclined', { bank: { responseCode: outcome.responseCode, message: outcome.message } }));
      throw new ContractError('GATEWAY_UNREACHABLE', coreText('refuse.expiryNoAnswer'));
    }
    const at = clock.now().toISOString();
    tx(db, () => {
      setCardExpiry(db, card.id, expiry, at);
      audit(this.deps, this.ports, actor, 'cards.updateExpiry', target, 'success', 'expiry updated at the gateway');
    });
    return toCard({ ...card, expiry, updated_at: at }, clock.now());
  }
}
