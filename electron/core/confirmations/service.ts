import { randomBytes } from 'node:crypto';
import { stationLanguage } from '../../../shared/contract/locale';
import { accountParam } from '../gateway-accounts';
import { ContractError, type CoreText, type OutputOf, type ParsedInputOf, coreText, englishText, technicalDetailParam } from '../../../shared/contract';
import { isInputRefused, type Confirmation } from '../../gateway/types';
import { usableCard } from '../cards';
import type { CallContext } from '../context';
import { getCustomer } from '../customers';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';
import { listPayments, paymentDetail, type PaymentsFeature } from '../payments';
import {
  claimCharge,
  FINAL_STATES,
  getConfirmationRow,
  insertConfirmation,
  markFinished,
  openConfirmationOf,
  unfinishedConfirmations,
  updateConfirmation,
  type ConfirmationRow,
} from './repo';

export type ConfirmationView = OutputOf<'confirmations.get'>;
type Actor = { id: string; name: string };

export interface ConfirmationOptions {
  /** How often the core itself asks the service while a confirmation is open (default 1 s). */
  pollMs?: number;
  /** How long after the customer's deadline the core keeps asking by itself (default 2 min). */
  watchGraceMs?: number;
}

function newId(): string {
  return `cnf_${randomBytes(12).toString('base64url')}`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "Ada Lovelace King" → first "Ada", last "Lovelace King"; one word serves as both. */
export function splitName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = (parts[0] ?? '').slice(0, 50);
  const last = (parts.length > 1 ? parts.slice(1).join(' ') : first).slice(0, 50);
  return { firstName: first, lastName: last };
}

/** The lines as the customer reads them in the mail, at most 150 characters. */
export function describeOrder(reference: string, lines: { description: string; quantity: number }[]): string {
  const text = lines.map((l) => (l.quantity > 1 ? `${l.quantity} x ${l.description}` : l.description)).join(', ');
  const full = `Order ${reference}: ${text}`;
  return [...full].length <= 150 ? full : `${[...full].slice(0, 149).join('')}…`;
}

/**
 * Email confirmation of a MOTO charge by the cardholder (seed 003). The core asks the gateway's
 * confirmation service to mail the customer, follows the confirmation (the screen's polls and a
 * watcher of its own), and charges the card on file through the payments service's public charge
 * ONLY once the service reports `confirmed` — exactly once, guarded by the row's charge_state
 * moved inside a transaction (and, behind it, by payments' own "order already has a payment").
 */
export class ConfirmationService {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly watching = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly background = new Set<Promise<unknown>>();
  private closed = false;
  private readonly pollMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: PaymentsFeature,
    opts: ConfirmationOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1_000;
    this.graceMs = opts.watchGraceMs ?? 120_000;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  // --- start -------------------------------------------------------------------------------

  async start(input: ParsedInputOf<'confirmations.start'>, actor: Actor, ctx: CallContext): Promise<ConfirmationView> {
    const { db, gateway } = this.deps;
    const getOrder = this.payments.handlers['orders.get'];
    if (!getOrder) throw new ContractError('INTERNAL', 'Orders are not available.');
    const order = await getOrder({ id: input.orderId }, ctx);
    if (order.status !== 'awaiting_payment') throw new ContractError('NOT_ALLOWED', coreText(order.status === 'cancelled' ? 'refuse.orderCancelled' : 'refuse.orderAlreadyPaid'));
    if (!order.customerId) throw new ContractError('VALIDATION', coreText('refuse.confirmationNeedsCustomer'), { customer: 'Choose a customer' });
    const customer = getCustomer(db, order.customerId);
    if (!customer) throw new ContractError('NOT_FOUND', 'No such customer.');
    if (!customer.email) throw new ContractError('VALIDATION', coreText('refuse.confirmationNoEmail'), { email: 'No email address' });
    const now = this.now();
    const card = usableCard(db, input.cardId, now);
    if (card.customer_id !== order.customerId) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
    const accounts = this.deps.accounts;
    if (accounts) {
      // The charge that follows goes to the card's account: only the account in use, with a confirmation service.
      if (card.gateway_account !== accounts.activeAccount()) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherAccountConfirm', { saved: accountParam(card.gateway_account), active: accountParam(accounts.activeAccount()) }));
      if (!accounts.confirmationAvailable()) throw new ContractError('NOT_ALLOWED', coreText('refuse.noConfirmationService', { account: accountParam(accounts.activeAccount()) }));
    }
    const open = openConfirmationOf(db, order.id);
    if (open) throw new ContractError('CONFLICT', coreText('refuse.confirmationOpen', { email: open.email_address }));

    const timeoutSeconds = this.deps.settings.get().confirmationTimeoutSeconds ?? 60;
    const { firstName, lastName } = splitName(customer.name);
    const at = now.toISOString();
    const base: ConfirmationRow = {
      id: newId(),
      order_id: order.id,
      order_reference: order.reference,
      card_id: card.id,
      mode: input.mode,
      gateway_id: null,
      email_address: customer.email,
      amount: order.total,
      currency: order.currency,
      timeout_seconds: timeoutSeconds,
      state: 'processing',
      process_state: 'sending_email',
      fail_reason: null,
      user_response: null,
      charge_state: 'none',
      charge_started_at: null,
      payment_id: null,
      charge_outcome: null,
      charge_message: null,
      last_error: null,
      created_by: actor.id,
      created_by_name: actor.name,
      created_at: at,
      updated_at: at,
      finished_at: null,
    };

    let outcome: Awaited<ReturnType<typeof gateway.startConfirmation>>;
    try {
      outcome = await gateway.startConfirmation({
        emailAddress: customer.email,
        tokenName: card.token_name,
        amount: { amount: order.total, currency: order.currency },
        orderDescription: describeOrder(order.reference, order.lines),
        firstName,
        lastName,
        timeoutSeconds,
        // The customer's own language, else the station's (settings locale).
        language: customer.language ?? stationLanguage(this.deps.settings.get().locale).language,
      });
    } catch (e) {
      if (isInputRefused(e)) {
        this.audit(actor, 'confirmations.start', order.reference, 'failure', `not sent: ${e.field} ${e.code}`);
        throw new ContractError('VALIDATION', `The confirmation could not be sent: ${e.message}.`);
      }
      throw e;
    }

    let row: ConfirmationRow;
    if (outcome.kind === 'succeeded') {
      row = { ...base, ...this.fromGateway(outcome.value), gateway_id: outcome.value.id };
    } else {
      // Refused (4xx) or no answer: we hold no id, so nothing can ever be charged from it.
      const reason = outcome.kind === 'declined' ? `${outcome.message} (${outcome.responseCode})` : `the confirmation service did not answer (${outcome.reason})`;
      row = { ...base, state: 'failed', process_state: 'failed', fail_reason: reason, finished_at: at };
    }
    db.transaction(() => {
      insertConfirmation(db, row);
      this.audit(actor, 'confirmations.start', order.reference, row.gateway_id ? 'success' : 'failure', `${input.mode} ${order.total} ${order.currency}; ${row.gateway_id ? `sent, timeout ${timeoutSeconds}s` : `failed: ${row.fail_reason ?? ''}`}`);
      if (FINAL_STATES.has(row.state) && row.gateway_id) this.finishOnce(row);
    })();
    if (!FINAL_STATES.has(row.state) || row.state === 'confirmed') this.watch(row.id);
    return this.view(getConfirmationRow(db, row.id)!);
  }

  // --- follow ------------------------------------------------------------------------------

  /** confirmations.get: asks the service (unless final), charges once if confirmed, answers the view. */
  async get(id: string): Promise<ConfirmationView> {
    const row = getConfirmationRow(this.deps.db, id);
    if (!row) throw new ContractError('NOT_FOUND', 'No such confirmation.');
    await this.refresh(id);
    return this.view(getConfirmationRow(this.deps.db, id)!);
  }

  /** One step: read the service, record what changed, and charge if confirmed and not charged. */
  async refresh(id: string): Promise<void> {
    const { db, gateway } = this.deps;
    let row = getConfirmationRow(db, id);
    if (!row) return;
    if (row.gateway_id && !FINAL_STATES.has(row.state)) {
      let outcome: Awaited<ReturnType<typeof gateway.getConfirmation>> | null = null;
      try {
        outcome = await gateway.getConfirmation(row.gateway_id);
      } catch (e) {
        updateConfirmation(db, id, { last_error: errText(e) }, this.now().toISOString());
      }
      if (outcome?.kind === 'succeeded') {
        const patch = this.fromGateway(outcome.value);
        db.transaction(() => {
          const current = getConfirmationRow(db, id)!;
          // Never move a final state back (another poll may have recorded it first).
          if (FINAL_STATES.has(current.state)) return;
          updateConfirmation(db, id, { ...patch, last_error: null }, this.now().toISOString());
          if (FINAL_STATES.has(patch.state)) this.finishOnce({ ...current, ...patch });
        })();
      } else if (outcome) {
        const why = outcome.kind === 'declined' ? `${outcome.message} (${outcome.responseCode})` : `no answer (${outcome.reason})`;
        updateConfirmation(db, id, { last_error: why }, this.now().toISOString());
      }
      row = getConfirmationRow(db, id)!;
    }
    if (row.state !== 'confirmed') return;
    if (row.charge_state === 'none') {
      if (claimCharge(db, id, this.now().toISOString())) await this.track(id, () => this.charge(getConfirmationRow(db, id)!));
    } else if (row.charge_state === 'charging') {
      // Charging here and now: wait for it. Charging with nobody on it: a crash between the claim
      // and the result — finish it from the ledger (never a blind second charge).
      const running = this.inFlight.get(id);
      if (running) await running;
      else await this.track(id, () => this.finishInterruptedCharge(getConfirmationRow(db, id)!));
    }
  }

  private track(id: string, fn: () => Promise<void>): Promise<void> {
    const existing = this.inFlight.get(id);
    if (existing) return existing;
    const p = fn().finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  /** The one charge of a confirmed confirmation (the caller won claimCharge). */
  private async charge(row: ConfirmationRow): Promise<void> {
    const actor = { id: row.created_by, name: row.created_by_name };
    try {
      const r = await this.payments.service.charge({ orderId: row.order_id, mode: row.mode, source: { kind: 'card_on_file', cardId: row.card_id } }, actor);
      this.recordCharge(row, r.payment.id, r.outcome, r.message);
    } catch (e) {
      const existing = this.paymentSince(row);
      if (existing) {
        this.recordCharge(row, existing.id, null, 'Charged.');
        return;
      }
      const message = e instanceof ContractError && e.code === 'CONFLICT' ? 'The order was already paid another way; nothing more was charged.' : `The card could not be charged: ${errText(e)}`;
      this.recordCharge(row, null, null, message);
    }
  }

  /** After a restart: the claim was taken; either payments recorded the charge, or it never started. */
  private async finishInterruptedCharge(row: ConfirmationRow): Promise<void> {
    const existing = this.paymentSince(row);
    if (existing) {
      this.recordCharge(row, existing.id, null, 'Charged (recovered after a restart).');
      return;
    }
    this.deps.log.warn({ confirmation: row.id }, 'confirmed confirmation with an interrupted charge and no payment: charging now');
    await this.charge(row);
  }

  /** A payment of the confirmation's order made since the claim (newest first). */
  private paymentSince(row: ConfirmationRow): { id: string } | undefined {
    if (!row.charge_started_at) return undefined;
    const list = listPayments(this.deps.db, { period: 'all', view: 'all', query: row.order_reference, limit: 50 }, this.now());
    return list.rows.find((p) => p.orderId === row.order_id && p.method === 'card' && p.createdAt >= row.charge_started_at!);
  }

  private recordCharge(row: ConfirmationRow, paymentId: string | null, outcome: ConfirmationRow['charge_outcome'], message: string): void {
    const { db } = this.deps;
    const at = this.now().toISOString();
    db.transaction(() => {
      updateConfirmation(db, row.id, { charge_state: 'done', payment_id: paymentId, charge_outcome: outcome, charge_message: message }, at);
      this.audit({ id: row.created_by, name: row.created_by_name }, 'confirmations.charge', row.order_reference, paymentId ? 'success' : 'failure', paymentId ? `charged after confirmation: ${outcome ?? 'recovered'}` : message);
    })();
  }

  private finishOnce(row: Pick<ConfirmationRow, 'id' | 'state' | 'fail_reason' | 'user_response' | 'order_reference' | 'created_by' | 'created_by_name'>): void {
    if (!markFinished(this.deps.db, row.id, this.now().toISOString())) return;
    const detail = row.state === 'failed' ? `failed: ${row.fail_reason ?? 'no reason given'}` : row.state === 'expired' ? `expired: ${row.fail_reason ?? 'timeout'}` : `${row.state}${row.user_response ? ` (${row.user_response})` : ''}`;
    this.audit({ id: row.created_by, name: row.created_by_name }, 'confirmations.outcome', row.order_reference, row.state === 'confirmed' ? 'success' : 'failure', detail);
  }

  private fromGateway(c: Confirmation): Pick<ConfirmationRow, 'state' | 'process_state' | 'fail_reason' | 'user_response' | 'timeout_seconds'> {
    return { state: c.state, process_state: c.processState, fail_reason: c.failReason, user_response: c.userResponse, timeout_seconds: c.timeoutSeconds };
  }

  private audit(actor: Actor | null, action: string, target: string, outcome: 'success' | 'failure', detail: string): void {
    try {
      this.deps.db.transaction(() => auditAs(this.deps, actor, { action, target, outcome, detail }))();
    } catch (e) {
      this.deps.log.error({ action, target, err: errText(e) }, 'audit append failed');
    }
  }

  // --- background --------------------------------------------------------------------------

  /** Follows a confirmation by itself (the screen may be closed): until final and charged, or past its deadline. */
  watch(id: string): void {
    if (this.closed || this.watching.has(id)) return;
    this.watching.add(id);
    const tick = (): void => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const work = this.refresh(id)
          .catch((e: unknown) => this.deps.log.error({ confirmation: id, err: errText(e) }, 'confirmation watch failed'))
          .then(() => {
            const row = getConfirmationRow(this.deps.db, id);
            const done = !row || (FINAL_STATES.has(row.state) && (row.state !== 'confirmed' || row.charge_state === 'done'));
            const deadline = row ? Date.parse(row.created_at) + row.timeout_seconds * 1000 + this.graceMs : 0;
            if (done || this.closed || this.now().getTime() > deadline) this.watching.delete(id);
            else tick();
          })
          .finally(() => this.background.delete(work));
        this.background.add(work);
      }, this.pollMs);
      timer.unref?.();
      this.timers.add(timer);
    };
    tick();
  }

  /** Start-up: resume what a previous run left open (waiting, or confirmed and not charged). */
  async recover(): Promise<number> {
    const rows = unfinishedConfirmations(this.deps.db);
    for (const r of rows) {
      if (r.state === 'confirmed') {
        try {
          await this.refresh(r.id);
        } catch (e) {
          this.deps.log.error({ confirmation: r.id, err: errText(e) }, 'confirmation recovery failed');
        }
      } else this.watch(r.id);
    }
    return rows.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.background, ...this.inFlight.values()]);
  }

  // --- view --------------------------------------------------------------------------------

  view(row: ConfirmationRow): ConfirmationView {
    const now = this.now();
    let charge: ConfirmationView['charge'] = null;
    if (row.payment_id) {
      const payment = paymentDetail(this.deps.db, row.payment_id, now).payment;
      const outcome = payment.status === 'unknown' || payment.status === 'pending' ? 'unknown' : payment.status === 'declined' ? 'declined' : payment.queued > 0 && payment.authorized === 0 ? 'queued' : 'approved';
      charge = { outcome, message: outcome === row.charge_outcome && row.charge_message ? row.charge_message : outcome === 'approved' ? 'Approved.' : row.charge_message ?? '', payment, cardSaved: null, change: null };
    }
    return {
      id: row.id,
      orderId: row.order_id,
      orderReference: row.order_reference,
      mode: row.mode,
      state: row.state,
      processState: row.process_state,
      failReason: row.fail_reason,
      emailAddress: row.email_address,
      amount: row.amount,
      currency: row.currency,
      timeoutSeconds: row.timeout_seconds,
      createdAt: row.created_at,
      deadline: new Date(Date.parse(row.created_at) + row.timeout_seconds * 1000).toISOString(),
      chargeState: row.charge_state,
      charge,
      message: englishText(messageOf(row)),
      text: messageOf(row),
    };
  }
}

function messageOf(r: ConfirmationRow): CoreText {
  switch (r.state) {
    case 'idle':
    case 'processing':
      if (r.process_state === 'waiting_agreement') return coreText('confirm.reading');
      return r.last_error ? coreText('confirm.waitingNoAnswer', { detail: technicalDetailParam(r.last_error.slice(0, 400)) }) : coreText('confirm.emailSent', { email: r.email_address });
    case 'confirmed':
      if (r.charge_state === 'done') return r.payment_id ? coreText('confirm.charged') : r.charge_message ? coreText('confirm.agreedNotCharged', { detail: r.charge_message.slice(0, 400) }) : coreText('confirm.agreedNotChargedPlain');
      return coreText('confirm.charging');
    case 'refused':
      return coreText('confirm.refused');
    case 'expired':
      return coreText('confirm.expired', { seconds: r.timeout_seconds });
    case 'failed':
      return r.fail_reason ? coreText('confirm.failed', { reason: r.fail_reason.slice(0, 400) }) : coreText('confirm.failedNoReason');
  }
}
