import { randomInt, randomUUID } from 'node:crypto';
import { currencyExponent } from '../../../shared/money';
import { STATUS, invalid, result, type ApsResult } from './codes';
import { behaviourOf, checkPan, cvvValid, isExpired, maskPan, parseExpiryInput } from './cards';
import type { OffsetClock } from './clock';
import type { Params } from './params';
import type { Store } from './store';
import type { MerchantConfig, SandboxLogger } from './types';

/**
 * The Payment Link service of the sandbox (docs/aps-gateway-links.md): PAYMENT_LINK creates a link
 * and "sends" it to the sandbox mailbox and SMS outbox; the customer opens the payer page, types a
 * test card and, for a 3-D Secure card, answers the simulated challenge; a paid link becomes an
 * ordinary PURCHASE order under the link's merchant_reference, so REFUND and CHECK_STATUS work on
 * it like on any order. Expiry is applied lazily on every read against the sandbox clock.
 *
 * The card number lives only in the memory of one request: a pending 3-D Secure challenge keeps
 * the masked number, brand and behaviour, never the number or the CVV.
 */

export type LinkStatus = 'Open' | 'Paid' | 'Expired' | 'Closed';

export interface LinkRow {
  payment_link_id: string;
  merchant_identifier: string;
  merchant_reference: string;
  page_id: string;
  amount: number;
  currency: string;
  language: string;
  customer_email: string;
  customer_phone: string | null;
  notification_type: string;
  order_description: string | null;
  expiry_ms: number;
  status: LinkStatus;
  opened_count: number;
  fort_id: string | null;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface LinkMessageRow {
  id: number;
  channel: 'EMAIL' | 'SMS';
  address: string;
  payment_link_id: string;
  url: string;
  text: string;
  created_at_ms: number;
}

/** 3-D Secure test cards: APS's published challenge cards pass with the code below (simulator rule). */
export const THREE_DS_CARDS: ReadonlySet<string> = new Set(['4557012345678902', '5313581000123430', '374200000000004']);
/** Simulator-only: a card whose issuer always fails the challenge, whatever the code. */
export const THREE_DS_FAIL_CARD = '4000000000003220';
export const THREE_DS_CODE = '1234';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS payment_links (
  payment_link_id TEXT PRIMARY KEY,
  merchant_identifier TEXT NOT NULL,
  merchant_reference TEXT NOT NULL,
  page_id TEXT NOT NULL UNIQUE,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  language TEXT NOT NULL,
  customer_email TEXT NOT NULL,
  customer_phone TEXT,
  notification_type TEXT NOT NULL,
  order_description TEXT,
  expiry_ms INTEGER NOT NULL,
  status TEXT NOT NULL,
  opened_count INTEGER NOT NULL DEFAULT 0,
  fort_id TEXT,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  UNIQUE (merchant_identifier, merchant_reference)
);
CREATE TABLE IF NOT EXISTS link_messages (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  payment_link_id TEXT NOT NULL,
  url TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
`;

interface Challenge {
  pageId: string;
  maskedCard: string;
  brand: string;
  expiry: string;
  behaviour: ReturnType<typeof behaviourOf>;
  failsAuthentication: boolean;
}

export type PayStep =
  | { kind: 'paid'; link: LinkRow }
  | { kind: 'challenge'; challengeId: string; link: LinkRow; maskedCard: string }
  | { kind: 'error'; link?: LinkRow; errors: Record<string, string> }
  | { kind: 'declined'; link: LinkRow; message: string }
  | { kind: 'closed'; link?: LinkRow };

const MAX_LINK_DAYS = 90;

export class PaymentLinkService {
  private readonly challenges = new Map<string, Challenge>();

  constructor(
    private readonly store: Store,
    private readonly clock: OffsetClock,
    private readonly baseUrl: () => string,
    private readonly logger?: SandboxLogger,
  ) {
    store.db.exec(SCHEMA);
  }

  private row(sql: string, ...args: unknown[]): LinkRow | undefined {
    return this.store.db.prepare(sql).get(...args) as LinkRow | undefined;
  }

  private save(l: LinkRow): void {
    this.store.db
      .prepare('UPDATE payment_links SET status = @status, opened_count = @opened_count, fort_id = @fort_id, expiry_ms = @expiry_ms, updated_at_ms = @updated_at_ms WHERE payment_link_id = @payment_link_id')
      .run(l);
  }

  urlOf(l: LinkRow): string {
    return `${this.baseUrl()}/link/${l.page_id}`;
  }

  /** Expiry is lazy: an Open link read after its expiry is Expired from then on. */
  private refresh(l: LinkRow | undefined): LinkRow | undefined {
    if (!l || l.status !== 'Open' || this.clock.nowMs() <= l.expiry_ms) return l;
    const next = { ...l, status: 'Expired' as const, updated_at_ms: this.clock.nowMs() };
    this.save(next);
    return next;
  }

  private find(merchant: MerchantConfig, params: Params): { link?: LinkRow; error?: ApsResult } {
    const id = params['payment_link_id'];
    const ref = params['merchant_reference'];
    if (!id && !ref) return { error: invalid('001') };
    const byId = id ? this.row('SELECT * FROM payment_links WHERE payment_link_id = ? AND merchant_identifier = ?', id, merchant.merchantIdentifier) : undefined;
    const byRef = ref ? this.row('SELECT * FROM payment_links WHERE merchant_reference = ? AND merchant_identifier = ?', ref, merchant.merchantIdentifier) : undefined;
    if (id && ref && (byId?.payment_link_id ?? null) !== (byRef?.payment_link_id ?? null)) return { error: invalid('110') };
    return { link: this.refresh(byId ?? byRef) };
  }

  private deliver(l: LinkRow): void {
    const url = this.urlOf(l);
    const amount = `${(l.amount / 10 ** currencyExponent(l.currency)).toFixed(currencyExponent(l.currency))} ${l.currency}`;
    const text = `Payment request: ${l.order_description ?? l.merchant_reference}, ${amount}. Pay by ${new Date(l.expiry_ms).toISOString()}: ${url}`;
    const insert = this.store.db.prepare('INSERT INTO link_messages (channel, address, payment_link_id, url, text, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)');
    const now = this.clock.nowMs();
    if (l.notification_type === 'EMAIL' || l.notification_type === 'EMAIL_SMS') insert.run('EMAIL', l.customer_email, l.payment_link_id, url, text, now);
    if ((l.notification_type === 'SMS' || l.notification_type === 'EMAIL_SMS') && l.customer_phone) insert.run('SMS', l.customer_phone, l.payment_link_id, url, text, now);
  }

  private reply(l: LinkRow, r: ApsResult): Record<string, string> {
    return {
      payment_link_id: l.payment_link_id,
      payment_link: this.urlOf(l),
      ...r,
    };
  }

  create(merchant: MerchantConfig, params: Params): Record<string, string> {
    const amount = Number(params['amount']);
    if (!(amount > 0)) return { ...invalid('005') };
    const expiry = Date.parse(params['request_expiry_date'] as string);
    const now = this.clock.nowMs();
    if (!Number.isFinite(expiry) || expiry <= now || expiry > now + MAX_LINK_DAYS * 86_400_000) return { ...result(STATUS.PAYMENT_LINK_FAILED, '100') };
    const type = params['notification_type'] as string;
    if ((type === 'SMS' || type === 'EMAIL_SMS') && !params['customer_phone']) return { ...invalid('001') };
    const ref = params['merchant_reference'] as string;
    return this.store.tx(() => {
      if (this.row('SELECT * FROM payment_links WHERE merchant_reference = ? AND merchant_identifier = ?', ref, merchant.merchantIdentifier) ||
        this.store.orderByReference(merchant.merchantIdentifier, ref)) {
        return { ...invalid('066') };
      }
      const l: LinkRow = {
        payment_link_id: this.store.nextFortId(now),
        merchant_identifier: merchant.merchantIdentifier,
        merchant_reference: ref,
        page_id: randomUUID(),
        amount,
        currency: params['currency'] as string,
        language: params['language'] as string,
        customer_email: params['customer_email'] as string,
        customer_phone: params['customer_phone'] ?? null,
        notification_type: type,
        order_description: params['order_description'] ?? null,
        expiry_ms: expiry,
        status: 'Open',
        opened_count: 0,
        fort_id: null,
        created_at_ms: now,
        updated_at_ms: now,
      };
      this.store.db
        .prepare(
          `INSERT INTO payment_links VALUES (@payment_link_id, @merchant_identifier, @merchant_reference, @page_id, @amount, @currency, @language,
            @customer_email, @customer_phone, @notification_type, @order_description, @expiry_ms, @status, @opened_count, @fort_id, @created_at_ms, @updated_at_ms)`,
        )
        .run(l);
      this.deliver(l);
      this.logger?.info({ paymentLink: l.payment_link_id }, 'payment link created');
      return this.reply(l, result(STATUS.PAYMENT_LINK_SUCCESS, '000'));
    });
  }

  status(merchant: MerchantConfig, params: Params): Record<string, string> {
    const found = this.find(merchant, params);
    if (found.error) return { ...found.error };
    const l = found.link;
    if (!l) return { ...result(STATUS.CHECK_STATUS_SUCCESS, '036') };
    return {
      ...result(STATUS.CHECK_STATUS_SUCCESS, '000'),
      payment_link_id: l.payment_link_id,
      payment_link_status: l.status,
      request_expiry_date: new Date(l.expiry_ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      payment_link_open_count: String(l.opened_count),
      ...(params['merchant_reference'] ? {} : { merchant_reference: l.merchant_reference }),
      ...(l.fort_id ? { fort_id: l.fort_id } : {}),
    };
  }

  update(merchant: MerchantConfig, params: Params): Record<string, string> {
    return this.store.tx(() => {
      const found = this.find(merchant, params);
      if (found.error) return { ...found.error };
      const l = found.link;
      if (!l) return { ...result(STATUS.PAYMENT_LINK_FAILED, '036') };
      const action = params['link_action'];
      const now = this.clock.nowMs();
      if (l.status === 'Paid' || l.status === 'Closed') return { ...result(STATUS.PAYMENT_LINK_FAILED, '773') };
      let next = l;
      if (action === 'CLOSE') next = { ...l, status: 'Closed', updated_at_ms: now };
      else if (action === 'EXTEND') {
        const expiry = Date.parse(params['request_expiry_date'] ?? '');
        if (!Number.isFinite(expiry) || expiry <= now || expiry > now + MAX_LINK_DAYS * 86_400_000) return { ...result(STATUS.PAYMENT_LINK_FAILED, '100') };
        next = { ...l, status: 'Open', expiry_ms: expiry, updated_at_ms: now };
      } else {
        if (l.status !== 'Open') return { ...result(STATUS.PAYMENT_LINK_FAILED, '034') };
        this.deliver(l);
      }
      this.save(next);
      return this.reply(next, result(STATUS.PAYMENT_LINK_SUCCESS, '000'));
    });
  }

  // --- the customer's side -------------------------------------------------------------------

  byPage(pageId: string): LinkRow | undefined {
    return this.refresh(this.row('SELECT * FROM payment_links WHERE page_id = ?', pageId));
  }

  open(pageId: string): LinkRow | undefined {
    const l = this.byPage(pageId);
    if (!l || l.status !== 'Open') return l;
    const next = { ...l, opened_count: l.opened_count + 1, updated_at_ms: this.clock.nowMs() };
    this.save(next);
    return next;
  }

  pay(pageId: string, form: Record<string, string>): PayStep {
    const l = this.byPage(pageId);
    if (!l || l.status !== 'Open') return { kind: 'closed', ...(l ? { link: l } : {}) };
    const errors: Record<string, string> = {};
    const pan = checkPan(form['card_number'] ?? '');
    if (!pan.ok) errors['card_number'] = pan.error;
    const expiry = parseExpiryInput(form['expiry'] ?? '');
    if (!expiry) errors['expiry'] = 'Enter the expiry as MM/YY.';
    else if (isExpired(expiry, this.clock.now())) errors['expiry'] = 'This card has expired.';
    if (pan.ok && !cvvValid(form['cvv'] ?? '', pan.brand)) errors['cvv'] = pan.brand === 'AMEX' ? 'Enter the 4-digit code.' : 'Enter the 3-digit code.';
    if (!pan.ok || !expiry || Object.keys(errors).length > 0) return { kind: 'error', link: l, errors };
    const challenge: Challenge = {
      pageId,
      maskedCard: maskPan(pan.pan),
      brand: pan.brand,
      expiry,
      behaviour: behaviourOf(pan.pan),
      failsAuthentication: pan.pan === THREE_DS_FAIL_CARD,
    };
    if (THREE_DS_CARDS.has(pan.pan) || challenge.failsAuthentication) {
      const challengeId = randomUUID();
      this.challenges.set(challengeId, challenge);
      return { kind: 'challenge', challengeId, link: l, maskedCard: challenge.maskedCard };
    }
    return this.settle(l, challenge);
  }

  challengeOf(id: string): (Challenge & { link?: LinkRow }) | undefined {
    const c = this.challenges.get(id);
    if (!c) return undefined;
    const link = this.byPage(c.pageId);
    return { ...c, ...(link ? { link } : {}) };
  }

  answerChallenge(id: string, code: string): PayStep {
    const c = this.challenges.get(id);
    if (!c) return { kind: 'closed' };
    this.challenges.delete(id);
    const l = this.byPage(c.pageId);
    if (!l || l.status !== 'Open') return { kind: 'closed', ...(l ? { link: l } : {}) };
    if (c.failsAuthentication || code.trim() !== THREE_DS_CODE) return { kind: 'declined', link: l, message: '3-D Secure authentication failed. The card was not charged.' };
    return this.settle(l, c);
  }

  /** The charge itself: a PURCHASE order under the link's reference; the link turns Paid. */
  private settle(l: LinkRow, c: Challenge): PayStep {
    return this.store.tx((): PayStep => {
      const fresh = this.byPage(l.page_id);
      if (!fresh || fresh.status !== 'Open') return { kind: 'closed', ...(fresh ? { link: fresh } : {}) };
      if (c.behaviour !== 'approve' && c.behaviour !== 'tokenization_fails') {
        return { kind: 'declined', link: fresh, message: c.behaviour === 'insufficient_funds' ? 'Insufficient funds.' : 'The card was declined.' };
      }
      const now = this.clock.nowMs();
      const fortId = this.store.nextFortId(now);
      const r = result(STATUS.PURCHASE_SUCCESS, '000');
      const order = this.store.insertOrder({
        merchant_identifier: fresh.merchant_identifier,
        merchant_reference: fresh.merchant_reference,
        fort_id: fortId,
        command: 'PURCHASE',
        eci: 'ECOMMERCE',
        currency: fresh.currency,
        amount: fresh.amount,
        authorized_amount: fresh.amount,
        captured_amount: fresh.amount,
        refunded_amount: 0,
        voided: 0,
        declined: 0,
        token_name: '',
        masked_card: c.maskedCard,
        expiry_date: c.expiry,
        payment_option: c.brand,
        authorization_code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
        created_at_ms: now,
        last_status: r.status,
        last_code: r.response_code,
        last_message: r.response_message,
      });
      this.store.insertOperation({
        order_id: order.id, kind: 'PURCHASE', amount: fresh.amount, applied: 1, status: r.status,
        response_code: r.response_code, response_message: r.response_message, maintenance_reference: null, created_at_ms: now,
      });
      const paid: LinkRow = { ...fresh, status: 'Paid', fort_id: fortId, updated_at_ms: now };
      this.save(paid);
      this.logger?.info({ paymentLink: paid.payment_link_id, fortId }, 'payment link paid');
      return { kind: 'paid', link: paid };
    });
  }

  messages(channel?: 'EMAIL' | 'SMS'): LinkMessageRow[] {
    const rows = this.store.db.prepare('SELECT * FROM link_messages ORDER BY id DESC').all() as LinkMessageRow[];
    return channel ? rows.filter((m) => m.channel === channel) : rows;
  }
}
