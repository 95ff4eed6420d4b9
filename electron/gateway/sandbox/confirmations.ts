import { randomUUID } from 'node:crypto';
import { currencyExponent, isCurrencyCode, MAX_MINOR_UNITS } from '../../../shared/money';
import { checkPan, isExpired, maskPan } from './cards';
import type { OffsetClock } from './clock';
import type { ActionRow, ConfirmationRow, Store } from './store';
import type { MerchantConfig, SandboxLogger } from './types';

/**
 * The email confirmation service of seed 003 ("email_moto"): the merchant asks the cardholder to
 * confirm a MOTO charge by email; the cardholder clicks the link in the mail, reads the disclaimer
 * and agrees or refuses. The sandbox "sends" the mail to its own mailbox page. Expiry is evaluated
 * lazily on every read against the sandbox clock, so advancing the clock expires a confirmation.
 */

export type ConfirmationJson = {
  id: string;
  created_at: string;
  updated_at: string;
  state: string;
  callback_url: string | null;
  process_name: 'email_moto';
  process: {
    id: string;
    state: string;
    email_address: string;
    timeout_seconds: number;
    fail_reason: string | null;
    user_response: string | null;
    created_at: string;
    updated_at: string;
  };
  confirmation_actions: {
    id: string;
    created_at: string;
    action_name: string;
    actor: string;
    executed: boolean | null;
    error_message: string | null;
  }[];
};

export type FieldErrors = Record<string, string[]>;

const DEFAULT_TIMEOUT_SECONDS = 60;
const MAX_TIMEOUT_SECONDS = 30 * 24 * 60 * 60;
/** Our addition to the seed: the currency of `amount`; USD when absent. */
const DEFAULT_CURRENCY = 'USD';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const FINAL_STATES = new Set(['confirmed', 'refused', 'failed', 'expired']);

export function isBounceAddress(email: string): boolean {
  return /bounce/i.test(email);
}

/** "12.50" in USD → 1250; undefined when not a plain decimal with at most the currency's decimals. */
export function decimalToMinor(text: string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const m = /^(\d{1,10})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = Number(`${m[1]}${fraction.padEnd(exponent, '0')}`);
  return minor > 0 && minor <= MAX_MINOR_UNITS ? minor : undefined;
}

export function minorToDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export class ConfirmationService {
  constructor(
    private readonly store: Store,
    private readonly clock: OffsetClock,
    private readonly onFinal: (c: ConfirmationJson, callbackUrl: string) => void,
    private readonly logger?: SandboxLogger,
  ) {}

  create(merchant: MerchantConfig, input: Record<string, string>): { ok: true; confirmation: ConfirmationJson } | { ok: false; errors: FieldErrors } {
    const errors: FieldErrors = {};
    const add = (field: string, message: string): void => {
      (errors[field] ??= []).push(message);
    };
    const value = (name: string): string => (input[name] ?? '').trim();

    if (!UUID.test(value('confirmation_template_id'))) add('confirmation_template_id', 'must be a UUID');
    const email = value('email_address');
    if (!EMAIL.test(email) || email.length > 254) add('email_address', 'must be an email address');
    let timeout = DEFAULT_TIMEOUT_SECONDS;
    if (value('timeout_seconds')) {
      timeout = Number(value('timeout_seconds'));
      if (!/^\d+$/.test(value('timeout_seconds')) || timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) add('timeout_seconds', `must be a whole number of seconds between 1 and ${MAX_TIMEOUT_SECONDS}`);
    }
    const callbackUrl = value('callback_url') || null;
    const language = value('language') || 'en';
    if (language !== 'en' && language !== 'ar') add('language', 'must be en or ar');
    if (callbackUrl && !/^https?:\/\/\S{1,400}$/.test(callbackUrl)) add('callback_url', 'must be an http(s) URL');
    const currency = value('currency') || DEFAULT_CURRENCY;
    let amount: number | undefined;
    if (!isCurrencyCode(currency)) add('currency', 'must be an ISO 4217 code');
    else {
      amount = decimalToMinor(value('amount'), currency);
      if (amount === undefined) add('amount', `must be a positive decimal amount with at most ${currencyExponent(currency)} decimals`);
    }
    for (const [name, max] of [['order_description', 150], ['first_name', 50], ['last_name', 50]] as const) {
      const v = value(name);
      if (!v) add(name, 'is required');
      else if (v.length > max) add(name, `must be at most ${max} characters`);
    }

    // Either card fields (seed 003) or a token of ours (our addition; keeps the PAN off the POS).
    let maskedCard = '';
    let tokenName: string | null = null;
    const hasCard = Boolean(value('card_number') || value('card_expiry_month') || value('card_expiry_year'));
    const hasToken = Boolean(value('token_name'));
    if (hasCard && hasToken) add('token_name', 'send either card fields or token_name, not both');
    else if (hasToken) {
      if (value('merchant_identifier') !== merchant.merchantIdentifier) add('merchant_identifier', 'must be the merchant of this API key');
      const token = this.store.token(merchant.merchantIdentifier, value('token_name'));
      if (!token || token.status !== 'ACTIVE') add('token_name', 'does not exist or is inactive');
      else {
        tokenName = token.token_name;
        maskedCard = token.masked_card;
      }
    } else {
      const pan = checkPan(value('card_number'));
      if (!pan.ok) add('card_number', pan.error);
      const month = value('card_expiry_month');
      const year = value('card_expiry_year');
      if (!/^(0[1-9]|1[0-2])$/.test(month)) add('card_expiry_month', 'must be two digits, 01 to 12');
      if (!/^20\d{2}$/.test(year)) add('card_expiry_year', 'must be four digits');
      else if (/^(0[1-9]|1[0-2])$/.test(month) && isExpired(`${year.slice(2)}${month}`, this.clock.now())) add('card_expiry_year', 'the card has expired');
      if (pan.ok) maskedCard = maskPan(pan.pan);
    }
    if (Object.keys(errors).length > 0 || amount === undefined) return { ok: false, errors };

    const nowMs = this.clock.nowMs();
    const bounce = isBounceAddress(email);
    const row: ConfirmationRow = {
      id: randomUUID(),
      merchant_identifier: merchant.merchantIdentifier,
      template_id: value('confirmation_template_id'),
      state: bounce ? 'failed' : 'processing',
      callback_url: callbackUrl,
      process_id: randomUUID(),
      process_state: bounce ? 'failed' : 'waiting_click',
      email_address: email,
      timeout_seconds: timeout,
      fail_reason: bounce ? 'Delivery Error' : null,
      user_response: null,
      amount_minor: amount,
      currency,
      order_description: value('order_description'),
      first_name: value('first_name'),
      last_name: value('last_name'),
      token_name: tokenName,
      masked_card: maskedCard,
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
      process_created_at_ms: nowMs,
      process_updated_at_ms: nowMs,
      language,
    };
    this.store.tx(() => {
      this.store.insertConfirmation(row);
      this.action(row.id, 'start', 'merchant', true, null);
      this.action(row.id, 'send_email', 'system', !bounce, bounce ? 'Delivery Error' : null);
    });
    this.logger?.info({ confirmation: row.id, state: row.state }, 'confirmation started');
    const json = this.toJson(row);
    if (bounce) this.final(row, json);
    return { ok: true, confirmation: json };
  }

  get(merchant: MerchantConfig, id: string): ConfirmationJson | undefined {
    const row = this.store.confirmation(id);
    if (!row || row.merchant_identifier !== merchant.merchantIdentifier) return undefined;
    return this.toJson(this.refresh(row));
  }

  /** For the pages: the confirmation behind an emailed link, with expiry applied. */
  byProcess(processId: string): ConfirmationRow | undefined {
    const row = this.store.confirmationByProcess(processId);
    return row ? this.refresh(row) : undefined;
  }

  /** All sent mails, newest first (bounced ones were never delivered). */
  mailbox(): ConfirmationRow[] {
    return this.store
      .listConfirmations()
      .map((r) => this.refresh(r))
      .filter((r) => !isBounceAddress(r.email_address));
  }

  /** The cardholder opened the link: waiting_click → waiting_agreement. */
  open(processId: string): ConfirmationRow | undefined {
    const row = this.byProcess(processId);
    if (!row || row.process_state !== 'waiting_click') return row;
    return this.transition(row, { process_state: 'waiting_agreement' }, 'click');
  }

  /** The cardholder agreed or refused on the disclaimer page. */
  answer(processId: string, answer: 'agree' | 'refuse'): ConfirmationRow | undefined {
    const row = this.byProcess(processId);
    if (!row || row.state !== 'processing') return row;
    const opened = row.process_state === 'waiting_click' ? this.transition(row, { process_state: 'waiting_agreement' }, 'click') : row;
    const done = this.transition(
      opened,
      {
        state: answer === 'agree' ? 'confirmed' : 'refused',
        process_state: 'finished',
        user_response: answer === 'agree' ? 'agreed' : 'refused',
      },
      answer,
    );
    this.final(done, this.toJson(done));
    return done;
  }

  toJson(row: ConfirmationRow): ConfirmationJson {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      id: row.id,
      created_at: iso(row.created_at_ms),
      updated_at: iso(row.updated_at_ms),
      state: row.state,
      callback_url: row.callback_url,
      process_name: 'email_moto',
      process: {
        id: row.process_id,
        state: row.process_state,
        email_address: row.email_address,
        timeout_seconds: row.timeout_seconds,
        fail_reason: row.fail_reason,
        user_response: row.user_response,
        created_at: iso(row.process_created_at_ms),
        updated_at: iso(row.process_updated_at_ms),
      },
      confirmation_actions: this.store.actionsOf(row.id).map((a: ActionRow) => ({
        id: a.id,
        created_at: iso(a.created_at_ms),
        action_name: a.action_name,
        actor: a.actor,
        executed: a.executed === null ? null : a.executed === 1,
        error_message: a.error_message,
      })),
    };
  }

  /** Applies the timeout: a confirmation still processing past created_at + timeout_seconds expires. */
  private refresh(row: ConfirmationRow): ConfirmationRow {
    if (row.state !== 'processing') return row;
    if (this.clock.nowMs() <= row.created_at_ms + row.timeout_seconds * 1000) return row;
    const expired = this.transition(row, { state: 'expired', process_state: 'failed', fail_reason: 'Timeout' }, 'expire', 'system');
    this.final(expired, this.toJson(expired));
    return expired;
  }

  private transition(row: ConfirmationRow, change: Partial<ConfirmationRow>, action: string, actor = 'customer'): ConfirmationRow {
    const nowMs = this.clock.nowMs();
    const next: ConfirmationRow = { ...row, ...change, updated_at_ms: nowMs, process_updated_at_ms: nowMs };
    this.store.tx(() => {
      this.store.updateConfirmation(next);
      this.action(row.id, action, actor, true, null);
    });
    return next;
  }

  private action(confirmationId: string, name: string, actor: string, executed: boolean | null, error: string | null): void {
    const seq = this.store.actionsOf(confirmationId).length;
    this.store.insertAction({
      id: randomUUID(),
      confirmation_id: confirmationId,
      seq,
      created_at_ms: this.clock.nowMs(),
      action_name: name,
      actor,
      executed: executed === null ? null : executed ? 1 : 0,
      error_message: error,
    });
  }

  private final(row: ConfirmationRow, json: ConfirmationJson): void {
    if (!FINAL_STATES.has(row.state)) return;
    this.logger?.info({ confirmation: row.id, state: row.state }, 'confirmation finished');
    if (row.callback_url) this.onFinal(json, row.callback_url);
  }
}
