import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import type { TenderPlan } from '../../../shared/domain/tenders';
import { usableCard } from '../cards';
import type { Db } from '../db/database';
import type { CoreDeps } from '../deps';
import { accountParam, EMBEDDED_ACCOUNT } from '../gateway-accounts';
import { newId } from '../ledger/sql';
import type { OrderRow } from '../orders';
import type { Actor } from '../ledger/audit-entry';
import { NO_EMAIL } from './executor';
import { markSessionUsed, usableSession } from './hosted-sessions';
import { storedStatus, type PaymentRow } from './payments-repo';
import type { Ports } from '../ports';
import { paymentReference } from '../ledger/references';

// The new payment row of a charge, one builder per source. Each refuses (ContractError) before
// anything is written; the caller is inside the charge's transaction (charge-record.ts).

type ChargeInput = ParsedInputOf<'payments.charge'>;
type Tender = Extract<TenderPlan, { ok: true }>;

const APS_EMAIL = /^[A-Za-z0-9_.+-]+@[A-Za-z0-9_.-]+$/;

/** What every charge's row starts from: the order, this tender's amount, the station's active gateway account. */
export function baseChargeRow(
  deps: CoreDeps,
  ports: Ports,
  order: OrderRow,
  attempt: number,
  input: ChargeInput,
  tender: Tender,
  actor: Actor,
  eci: 'MOTO' | 'RECURRING',
  at: string,
): PaymentRow {
  const customer = order.customer_id ? ports.getCustomer(deps.db, order.customer_id) : null;
  return {
    id: newId('pay'),
    order_id: order.id,
    reference: paymentReference(order.reference, attempt),
    method: 'card',
    kind: input.mode === 'authorize' ? 'authorization' : 'purchase',
    eci,
    currency: order.currency,
    amount: tender.amount,
    authorized: 0,
    captured: 0,
    refunded: 0,
    voided: 0,
    declined: 0,
    open_ops: 0,
    queued: 0,
    status: 'pending',
    fort_id: null,
    card_id: null,
    hosted_session_id: null,
    token_name: null,
    save_card: 0,
    saved_card_id: null,
    brand: null,
    last4: null,
    expiry: null,
    holder_name: null,
    customer_id: order.customer_id,
    customer_name: order.customer_name,
    customer_email: customer?.email && APS_EMAIL.test(customer.email) ? customer.email : NO_EMAIL,
    authorization_code: null,
    tendered: null,
    change_due: null,
    refund_seq: 0,
    created_at: at,
    authorized_at: null,
    expires_at: null,
    created_by: actor.id,
    updated_at: at,
    gateway_account: deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT,
  };
}

/** Cash: taken in full at once; what was tendered and the change are kept with the tender. */
export function cashRow(base: PaymentRow, tender: Tender, at: string): PaymentRow {
  const row: PaymentRow = { ...base, method: 'cash', kind: 'cash', eci: null, customer_email: null, authorized: tender.amount, captured: tender.amount, authorized_at: at, tendered: tender.tendered, change_due: tender.change };
  row.status = storedStatus(row);
  return row;
}

/** A card on file, charged on the account that made its token (a sandbox token never goes to production). */
export function cardOnFileRow(deps: CoreDeps, base: PaymentRow, order: OrderRow, cardId: string, eci: 'MOTO' | 'RECURRING', now: Date): PaymentRow {
  const card = usableCard(deps.db, cardId, now);
  if (order.customer_id && card.customer_id !== order.customer_id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
  if (eci !== 'RECURRING' && card.gateway_account !== base.gateway_account) {
    throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherAccount', { saved: accountParam(card.gateway_account), active: accountParam(base.gateway_account) }));
  }
  const why = deps.accounts?.refusal(card.gateway_account);
  if (why) throw new ContractError('NOT_ALLOWED', why);
  return { ...base, gateway_account: card.gateway_account, card_id: card.id, token_name: card.token_name, brand: card.brand, last4: card.last4, expiry: card.expiry, holder_name: card.holder_name };
}

/** A card just typed into the hosted page: its session is used up by this charge. */
export function hostedCardRow(db: Db, base: PaymentRow, order: OrderRow, src: { handle: string; save?: boolean | undefined }, now: Date, at: string): PaymentRow {
  const s = usableSession(db, src.handle, now);
  if (s.gateway_account !== base.gateway_account) {
    throw new ContractError('NOT_ALLOWED', coreText('refuse.cardTakenBeforeSwitch', { account: accountParam(s.gateway_account) }));
  }
  if (src.save && !order.customer_id) throw new ContractError('VALIDATION', coreText('refuse.saveNeedsCustomer'), { save: 'No customer on the order' });
  markSessionUsed(db, s.id, at);
  return { ...base, hosted_session_id: s.id, token_name: s.token_name, brand: s.brand, last4: s.last4, expiry: s.expiry, holder_name: s.holder_name, save_card: src.save ? 1 : 0 };
}
