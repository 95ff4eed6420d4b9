import { ContractError, DEFAULT_LINK_EXPIRY, OPEN_LINK_STATES, type LinkExpirySettingsShape, type LinkState, type LinkViewShape, type ParsedInputOf, coreText, englishText, linkText } from '../../../shared/contract';
import { ApsValidationError } from '../../gateway/aps/errors';
import { toApsText } from '../../gateway/aps/fields';
import { supportsPaymentLinks, type Gateway, type Outcome, type PaymentLinkGateway, type PaymentLinkInfo } from '../../gateway/types';
import { describeOrder } from '../confirmations';
import type { CoreDeps } from '../deps';
import { getOrderRow, refreshOrderStatus } from '../orders';
import { auditAs } from '../ledger/audit-as';
import { appendOperation } from '../payments';
import { insertPayment, type PaymentRow } from '../payments';
import { newId, tx } from '../ledger/sql';
import { expiringLinks, getLink, insertLink, latestLinkOfOrder, linkCountOfOrder, openLinkOfOrder, openLinks, updateLink, type LinkRow } from './repo';

type Actor = { id: string; name: string };

/** The embedded sandbox's account when the core runs without gateway accounts (unit harnesses). */
const EMBEDDED_ACCOUNT = 'sandbox:SANDBOXMID';

export interface LinkServiceOptions {
  /** False when the gateway is known to be unreachable (the sync feature's connectivity). */
  ensureOnline?: () => Promise<boolean>;
  /**
   * In a shop: whether this desk follows the link (asks the gateway about it, records its payment,
   * resends, cancels, extends). Only the desk that sent it does; the others see it as replicated.
   */
  followsLink?: (linkId: string) => boolean;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const STATE_OF: Record<NonNullable<PaymentLinkInfo['status']>, LinkState> = { Open: 'sent', Paid: 'paid', Expired: 'expired', Closed: 'cancelled' };

/**
 * Pay by link (issue #19). A link is an operation like any other: its row and reference are
 * committed before the gateway is asked; an unknown outcome is settled by
 * CHECK_PAYMENT_LINK_STATUS on that reference (found: it exists; not found: nothing was made and
 * the same reference may go again), never by a second link. Resend, cancel and extend are explicit
 * and audited. A paid link becomes an ordinary captured card payment under the link's reference,
 * recorded once (payment_id is set in the same transaction), so refunds go through the normal
 * refund path to the account the link was made on.
 */
export class PaymentLinkService {
  private readonly inFlight = new Map<string, Promise<LinkRow>>();

  constructor(
    private readonly deps: CoreDeps,
    private readonly opts: LinkServiceOptions = {},
  ) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  expirySettings(): LinkExpirySettingsShape {
    return this.deps.settings.get().paymentLinks ?? DEFAULT_LINK_EXPIRY;
  }

  private gatewayFor(account: string): Gateway & PaymentLinkGateway {
    const accounts = this.deps.accounts;
    const g = accounts ? accounts.gatewayFor(account) : this.deps.gateway;
    if (!g) throw new ContractError('NOT_ALLOWED', accounts?.unavailableText(account) ?? 'This gateway account is not configured.');
    if (!supportsPaymentLinks(g)) throw new ContractError('NOT_ALLOWED', coreText('refuse.linkUnsupported'));
    return g;
  }

  view(row: LinkRow): LinkViewShape {
    const order = getOrderRow(this.deps.db, row.order_id);
    return {
      id: row.id,
      orderId: row.order_id,
      orderReference: order?.reference ?? '',
      reference: row.reference,
      state: row.state,
      amount: row.amount,
      currency: row.currency,
      email: row.customer_email,
      phone: row.customer_phone,
      notify: row.notify,
      url: row.url,
      expiresAt: row.expires_at,
      openedCount: row.opened_count,
      paymentId: row.payment_id,
      gatewayAccount: row.gateway_account,
      message: row.message,
      text: linkText(row.message),
      createdAt: row.created_at,
      createdByName: row.created_by_name,
      expiry: this.expirySettings(),
    };
  }

  private expiryFrom(minutes: number | undefined): string {
    const s = this.expirySettings();
    const m = minutes ?? s.defaultMinutes;
    if (m < s.minMinutes || m > s.maxMinutes) {
      throw new ContractError('VALIDATION', `A link must expire between ${s.minMinutes} minutes and ${Math.round(s.maxMinutes / 60)} hours from now.`, { expiresInMinutes: 'Out of range' });
    }
    return new Date(this.now().getTime() + m * 60_000).toISOString();
  }

  private audit(actor: Actor | null, action: string, row: LinkRow, ok: boolean, detail: Record<string, string | number> = {}): void {
    const text = Object.entries({ order: row.order_id, state: row.state, ...detail }).map(([k, v]) => `${k}=${v}`).join(' ');
    try {
      tx(this.deps.db, () => auditAs(this.deps, actor, { action, target: row.reference, outcome: ok ? 'success' : 'failure', detail: text }));
    } catch (e) {
      this.deps.log.error({ action, err: errText(e) }, 'audit append failed');
    }
  }

  private async requireOnline(): Promise<void> {
    if (this.opts.ensureOnline && !(await this.opts.ensureOnline())) {
      throw new ContractError('GATEWAY_UNREACHABLE', coreText('refuse.linkOffline'));
    }
  }

  // --- send ----------------------------------------------------------------------------------

  async send(input: ParsedInputOf<'links.send'>, actor: Actor): Promise<LinkViewShape> {
    const { db } = this.deps;
    const order = getOrderRow(db, input.orderId);
    if (!order) throw new ContractError('NOT_FOUND', 'No such order.');
    if (order.status !== 'awaiting_payment') throw new ContractError('NOT_ALLOWED', coreText(order.status === 'cancelled' ? 'refuse.orderCancelled' : 'refuse.orderAlreadyPaid'));
    if (order.total <= 0) throw new ContractError('NOT_ALLOWED', coreText('refuse.orderTotalZero'));
    if ((input.notify === 'SMS' || input.notify === 'EMAIL_SMS') && !input.phone) throw new ContractError('VALIDATION', coreText('refuse.linkNeedsPhone'), { phone: 'Required for SMS' });
    const open = openLinkOfOrder(db, order.id);
    if (open) throw new ContractError('CONFLICT', coreText('refuse.linkOpen', { email: open.customer_email }));
    const expiresAt = this.expiryFrom(input.expiresInMinutes);
    const account = this.deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT;
    this.deps.accounts?.checkCurrency(order.currency);
    this.gatewayFor(account);
    await this.requireOnline();

    const at = this.now().toISOString();
    const row: LinkRow = {
      id: newId('lnk'),
      order_id: order.id,
      reference: `${order.reference}-L${linkCountOfOrder(db, order.id) + 1}`,
      gateway_account: account,
      gateway_link_id: null,
      url: null,
      state: 'sending',
      amount: order.total,
      currency: order.currency,
      customer_email: input.email,
      customer_phone: input.phone ?? null,
      notify: input.notify,
      language: this.deps.settings.get().locale.startsWith('ar') ? 'ar' : 'en',
      description: toApsText(describeOrder(order.reference, JSON.parse(order.lines_json) as { description: string; quantity: number }[]), 'order_description') || order.reference,
      expires_at: expiresAt,
      opened_count: 0,
      payment_id: null,
      fort_id: null,
      message: '',
      attempts: 0,
      checks: 0,
      created_by: actor.id,
      created_by_name: actor.name,
      created_at: at,
      updated_at: at,
    };
    // Written ahead, in a transaction that re-checks "one open link per order".
    tx(db, () => {
      if (openLinkOfOrder(db, order.id)) throw new ContractError('CONFLICT', coreText('refuse.linkJustSent'));
      insertLink(db, row);
    });
    // Registered as in flight: the watcher's refresh of this 'sending' row waits for this answer
    // instead of asking the gateway about a link it may not have made yet (and sending it again).
    const done = await this.inFlightFor(row.id, () => this.create(row));
    this.audit(actor, 'link.send', done, done.state !== 'failed', { notify: done.notify, expiresAt: done.expires_at });
    if (done.state === 'failed') throw new ContractError('DECLINED', coreText('refuse.linkDeclined', { bank: { responseCode: null, message: done.message ?? '' } }));
    return this.view(done);
  }

  /** One PAYMENT_LINK request for a row whose reference the gateway does not know yet. */
  private async create(row: LinkRow): Promise<LinkRow> {
    const { db } = this.deps;
    const g = this.gatewayFor(row.gateway_account);
    const sentAt = this.now().toISOString();
    updateLink(db, row.id, { attempts: row.attempts + 1 }, sentAt);
    let outcome: Outcome<PaymentLinkInfo>;
    try {
      outcome = await g.createPaymentLink({
        merchantReference: row.reference,
        amount: { amount: row.amount, currency: row.currency },
        customerEmail: row.customer_email,
        ...(row.customer_phone ? { customerPhone: row.customer_phone } : {}),
        notificationType: row.notify,
        expiresAt: row.expires_at,
        orderDescription: row.description,
        language: row.language === 'ar' ? 'ar' : 'en',
      });
    } catch (e) {
      // Refused before sending (bad input): nothing reached the gateway.
      const message = e instanceof ApsValidationError ? e.message : errText(e);
      return updateLink(db, row.id, { state: 'failed', message }, this.now().toISOString());
    }
    const at = this.now().toISOString();
    if (outcome.kind === 'succeeded') {
      return updateLink(db, row.id, { state: 'sent', gateway_link_id: outcome.value.paymentLinkId, url: outcome.value.url ?? null, message: '' }, at);
    }
    if (outcome.kind === 'declined') {
      // 00066: the reference already exists at the gateway, so a link was made by an earlier
      // attempt whose answer was lost: that is the link, found by the status query.
      if (outcome.responseCode.endsWith('066')) return this.resolve(updateLink(db, row.id, { state: 'unknown', message: outcome.message }, at));
      return updateLink(db, row.id, { state: 'failed', message: `${outcome.message} (${outcome.responseCode})` }, at);
    }
    const unknown = updateLink(db, row.id, { state: 'unknown', message: englishText(coreText('link.noAnswerChecking', { reason: outcome.reason })) }, at);
    return this.resolve(unknown);
  }

  /**
   * Settles 'sending' / 'unknown' by the status query on our reference: found → the link exists
   * (its state is taken over); not found → the gateway never made it, and the same reference is
   * sent again (the gateway refuses a duplicate reference, so this can never make two links).
   */
  private async resolve(row: LinkRow): Promise<LinkRow> {
    const { db } = this.deps;
    const g = this.gatewayFor(row.gateway_account);
    const checked = updateLink(db, row.id, { checks: row.checks + 1 }, this.now().toISOString());
    const st = await g.checkPaymentLinkStatus({ merchantReference: row.reference });
    if (st.kind !== 'succeeded') return checked;
    if (!st.value.found) {
      if (row.attempts >= 3) return updateLink(db, row.id, { state: 'failed', message: englishText(coreText('link.neverMade')) }, this.now().toISOString());
      return this.create(checked);
    }
    return this.apply(checked, st.value);
  }

  /** Takes over what the gateway says about an existing link; a paid one becomes a payment. */
  private async apply(row: LinkRow, info: PaymentLinkInfo): Promise<LinkRow> {
    const at = this.now().toISOString();
    const status = info.status ?? 'Open';
    const base = {
      gateway_link_id: info.paymentLinkId || row.gateway_link_id,
      ...(info.expiresAt ? { expires_at: info.expiresAt } : {}),
      ...(info.openedCount !== undefined ? { opened_count: info.openedCount } : {}),
    };
    if (status === 'Paid') return this.recordPaid(updateLink(this.deps.db, row.id, base, at), info);
    let state = STATE_OF[status];
    if (state === 'sent' && (info.openedCount ?? row.opened_count) > 0) state = 'opened';
    return updateLink(this.deps.db, row.id, { ...base, state, message: '' }, at);
  }

  /**
   * A paid link becomes a captured card payment under the link's reference, on the link's
   * account. The gateway's own order (CHECK_STATUS) is read first: the amount recorded is what it
   * captured. Exactly once: payment_id is set in the transaction that inserts the payment.
   */
  private async recordPaid(row: LinkRow, info: PaymentLinkInfo): Promise<LinkRow> {
    if (row.payment_id) return row;
    const g = this.gatewayFor(row.gateway_account);
    const order = await g.checkStatus({ merchantReference: row.reference, ...(info.fortId ? { fortId: info.fortId } : {}) });
    if (order.kind !== 'succeeded' || !order.value.found || order.value.capturedAmount <= 0) {
      return updateLink(this.deps.db, row.id, { message: englishText(coreText('link.paidReading')) }, this.now().toISOString());
    }
    const paid = order.value;
    const { db } = this.deps;
    const at = this.now().toISOString();
    return tx(db, () => {
      const fresh = getLink(db, row.id) as LinkRow;
      if (fresh.payment_id) return fresh;
      const o = getOrderRow(db, row.order_id);
      const paymentId = newId('pay');
      const payment: PaymentRow = {
        id: paymentId, order_id: row.order_id, reference: row.reference, method: 'card', kind: 'purchase', eci: 'ECOMMERCE',
        currency: row.currency, amount: paid.capturedAmount, authorized: paid.authorizedAmount || paid.capturedAmount, captured: paid.capturedAmount,
        refunded: paid.refundedAmount, voided: 0, declined: 0, open_ops: 0, queued: 0, status: paid.refundedAmount > 0 ? 'partially_refunded' : 'captured',
        fort_id: paid.fortId ?? info.fortId ?? null, card_id: null, hosted_session_id: null, token_name: null, save_card: 0, saved_card_id: null,
        brand: null, last4: null, expiry: null, holder_name: null, customer_id: o?.customer_id ?? null, customer_name: o?.customer_name ?? null,
        customer_email: row.customer_email, authorization_code: paid.authorizationCode ?? null, tendered: null, change_due: null, refund_seq: 0,
        created_at: at, authorized_at: at, expires_at: null, created_by: row.created_by, updated_at: at, gateway_account: row.gateway_account,
      };
      insertPayment(db, payment);
      appendOperation(db, { paymentId, type: 'purchase', amount: paid.capturedAmount, reference: row.reference, state: 'succeeded', userId: null, userName: 'Payment link', message: englishText(coreText('note.paidByLink')) }, at);
      refreshOrderStatus(db, row.order_id, at);
      auditAs(this.deps, null, { action: 'link.paid', target: row.reference, outcome: 'success', detail: `order=${row.order_id} payment=${paymentId} amount=${paid.capturedAmount} ${row.currency}` });
      return updateLink(db, row.id, { state: 'paid', payment_id: paymentId, fort_id: payment.fort_id, message: '' }, at);
    });
  }

  // --- follow ---------------------------------------------------------------------------------

  /** Asks the gateway about a link that may still change; one question per link at a time. */
  async refresh(row: LinkRow): Promise<LinkRow> {
    if (!OPEN_LINK_STATES.includes(row.state) && !(row.state === 'paid' && !row.payment_id)) return row;
    // Another desk's link: that desk follows it; its state arrives here through the shop server.
    if (this.opts.followsLink && !this.opts.followsLink(row.id)) return row;
    const running = this.inFlight.get(row.id);
    if (running) return running;
    return this.inFlightFor(row.id, async (): Promise<LinkRow> => {
      try {
        if (row.state === 'sending' || row.state === 'unknown') return await this.resolve(row);
        const st = await this.gatewayFor(row.gateway_account).checkPaymentLinkStatus({ merchantReference: row.reference, ...(row.gateway_link_id ? { paymentLinkId: row.gateway_link_id } : {}) });
        if (st.kind !== 'succeeded' || !st.value.found) return row;
        return await this.apply(row, st.value);
      } catch (e) {
        if (e instanceof ContractError) throw e;
        this.deps.log.warn({ link: row.reference, err: errText(e) }, 'link status not read');
        return row;
      }
    });
  }

  /** One question about a link at a time: a second caller gets the running one's answer. */
  private inFlightFor(id: string, work: () => Promise<LinkRow>): Promise<LinkRow> {
    const p = work().finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  async get(id: string): Promise<LinkViewShape> {
    const row = getLink(this.deps.db, id);
    if (!row) throw new ContractError('NOT_FOUND', 'No such payment link.');
    return this.view(await this.refresh(row));
  }

  /**
   * Open links that lapse within the warning window (settings.paymentLinks.warnMinutes): how many,
   * and the first to lapse, like the expiring-authorizations banner.
   */
  expiringSummary(): { total: number; soonest: LinkViewShape | null } {
    const now = this.now();
    const soon = new Date(now.getTime() + this.expirySettings().warnMinutes * 60_000).toISOString();
    const rows = expiringLinks(this.deps.db, now.toISOString(), soon);
    return { total: rows.length, soonest: rows[0] ? this.view(rows[0]) : null };
  }

  forOrder(orderId: string): LinkViewShape | null {
    const row = latestLinkOfOrder(this.deps.db, orderId);
    return row ? this.view(row) : null;
  }

  // --- explicit actions ----------------------------------------------------------------------

  private async act(id: string, actor: Actor, action: 'RESEND' | 'CLOSE' | 'EXTEND', minutes?: number): Promise<LinkViewShape> {
    const { db } = this.deps;
    let row = getLink(db, id);
    if (!row) throw new ContractError('NOT_FOUND', 'No such payment link.');
    if (this.opts.followsLink && !this.opts.followsLink(row.id)) throw new ContractError('NOT_ALLOWED', coreText('refuse.linkOtherDesk'));
    await this.requireOnline();
    row = await this.refresh(row);
    const allowed = action === 'EXTEND' ? ['sent', 'opened', 'expired'] : ['sent', 'opened'];
    if (!allowed.includes(row.state) || !row.gateway_link_id) {
      throw new ContractError('NOT_ALLOWED', coreText(row.state === 'paid' ? 'refuse.linkPaid' : 'refuse.linkNotOpen'));
    }
    if (action === 'EXTEND' && openLinkOfOrder(db, row.order_id) && row.state === 'expired') throw new ContractError('CONFLICT', coreText('refuse.linkOtherOpen'));
    const expiresAt = action === 'EXTEND' ? this.expiryFrom(minutes) : undefined;
    const r = await this.gatewayFor(row.gateway_account).updatePaymentLink({ merchantReference: row.reference, paymentLinkId: row.gateway_link_id, action, ...(expiresAt ? { expiresAt } : {}) });
    const name = action === 'RESEND' ? 'link.resend' : action === 'CLOSE' ? 'link.cancel' : 'link.extend';
    if (r.kind !== 'succeeded') {
      this.audit(actor, name, row, false, r.kind === 'declined' ? { code: r.responseCode } : { reason: r.reason });
      // The gateway's answer is the truth: read the link again (it may have been paid meanwhile).
      await this.refresh(row);
      throw new ContractError(r.kind === 'declined' ? 'DECLINED' : 'OUTCOME_UNKNOWN', r.kind === 'declined' ? coreText('refuse.linkRefused', { bank: { responseCode: r.responseCode, message: r.message } }) : coreText('refuse.linkNoAnswer'));
    }
    const at = this.now().toISOString();
    if (action === 'CLOSE') row = updateLink(db, row.id, { state: 'cancelled', message: '' }, at);
    else if (action === 'EXTEND') row = updateLink(db, row.id, { state: row.opened_count > 0 ? 'opened' : 'sent', expires_at: expiresAt, message: '' }, at);
    this.audit(actor, name, row, true, expiresAt ? { expiresAt } : {});
    return this.view(row);
  }

  resend(id: string, actor: Actor): Promise<LinkViewShape> {
    return this.act(id, actor, 'RESEND');
  }

  cancel(id: string, actor: Actor): Promise<LinkViewShape> {
    return this.act(id, actor, 'CLOSE');
  }

  extend(id: string, minutes: number, actor: Actor): Promise<LinkViewShape> {
    return this.act(id, actor, 'EXTEND', minutes);
  }

  /** Start-up: links left sending / unknown are resolved; open ones are read once. */
  async recover(): Promise<number> {
    let n = 0;
    for (const row of openLinks(this.deps.db)) {
      try {
        await this.refresh(row);
        n += 1;
      } catch (e) {
        this.deps.log.warn({ link: row.reference, err: errText(e) }, 'link recovery failed');
      }
    }
    return n;
  }
}
