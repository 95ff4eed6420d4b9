import { randomInt } from 'node:crypto';
import { sign, verify } from '../aps/signature';
import { STATUS, invalid, result, type ApsResult } from './codes';
import { isExpired, maskPan, type CardBehaviour } from './cards';
import type { OffsetClock } from './clock';
import { checkParams, commandOf, present, toParams, type CommandName, type Params } from './params';
import { decideCapture, decideCharge, decideRefund, decideVoid, type Decision } from './rules';
import type { PaymentLinkService } from './payment-links';
import type { OperationKind, OrderRow, Store } from './store';
import type { MerchantConfig } from './types';

/**
 * The FORT paymentApi as a function: parsed JSON body in, response params out (signed with the
 * merchant's response phrase whenever the merchant could be identified). No HTTP here; the route
 * adds transport, faults and logging around it.
 */

export interface ApiContext {
  store: Store;
  clock: OffsetClock;
  merchants: ReadonlyMap<string, MerchantConfig>;
  /** The Payment Link service (absent: PAYMENT_LINK answers "invalid command"). */
  links?: PaymentLinkService;
}

export type ApiResponse = Record<string, string>;

const FAILURE_STATUS: Record<OperationKind, string> = {
  AUTHORIZATION: STATUS.AUTHORIZATION_FAILED,
  PURCHASE: STATUS.PURCHASE_FAILED,
  CAPTURE: STATUS.CAPTURE_FAILED,
  VOID_AUTHORIZATION: STATUS.VOID_FAILED,
  REFUND: STATUS.REFUND_FAILED,
};

const SUCCESS_STATUS: Record<OperationKind, string> = {
  AUTHORIZATION: STATUS.AUTHORIZATION_SUCCESS,
  PURCHASE: STATUS.PURCHASE_SUCCESS,
  CAPTURE: STATUS.CAPTURE_SUCCESS,
  VOID_AUTHORIZATION: STATUS.VOID_SUCCESS,
  REFUND: STATUS.REFUND_SUCCESS,
};

/**
 * Every request parameter comes back except the signature. paymentApi takes no card data (MOTO is
 * token-only), but if a client sends some anyway it is not reflected: a card number comes back
 * masked and a CVV not at all.
 */
function echo(params: Params): ApiResponse {
  const out: ApiResponse = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'signature' || k === 'card_security_code') continue;
    out[k] = k === 'card_number' && /^[0-9]{12,19}$/.test(v) ? maskPan(v) : v;
  }
  return out;
}

/**
 * An APS-style refusal of a body that cannot be processed (wrong content type, not JSON…). Signed
 * when the fields still name a known merchant, unsigned otherwise.
 */
export function rejectBody(ctx: ApiContext, fields: Record<string, unknown> | undefined, r: ApsResult): ApiResponse {
  const params = fields ? toParams(fields).params : {};
  const merchant = params['merchant_identifier'] ? ctx.merchants.get(params['merchant_identifier']) : undefined;
  const response = { ...echo(params), ...r };
  if (!merchant) return response;
  return { ...response, signature: sign(response, merchant.responsePhrase, merchant.shaType) };
}

/** "2017-03-13T10:09:19+00:00", the shape of APS's creation_date. */
export function apsDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function handleApiBody(ctx: ApiContext, body: Record<string, unknown>): ApiResponse {
  const converted = toParams(body);
  const params = converted.params;
  const merchantId = params['merchant_identifier'];
  // Without a known merchant there is no response phrase to sign with: unsigned, like APS.
  if (!merchantId) return { ...echo(params), ...invalid('001') };
  const merchant = ctx.merchants.get(merchantId);
  if (!merchant) return { ...echo(params), ...invalid('009') };

  const respond = (extra: ApiResponse): ApiResponse => {
    const response = { ...echo(params), ...extra };
    return { ...response, signature: sign(response, merchant.responsePhrase, merchant.shaType) };
  };

  if (!converted.ok) return respond({ ...converted.result });
  if (!present(params, 'access_code')) return respond({ ...invalid('001') });
  if (params['access_code'] !== merchant.accessCode) return respond({ ...invalid('010') });
  if (!verify(params, merchant.requestPhrase, merchant.shaType)) return respond({ ...invalid('008') });
  const command = commandOf(params);
  if (!command.ok) return respond({ ...command.result });
  const paramError = checkParams(command.command, params);
  if (paramError) return respond({ ...paramError });
  return respond(dispatch(ctx, merchant, command.command, params));
}

function dispatch(ctx: ApiContext, merchant: MerchantConfig, command: CommandName, params: Params): ApiResponse {
  switch (command) {
    case 'AUTHORIZATION':
    case 'PURCHASE':
      return charge(ctx, merchant, command, params);
    case 'CAPTURE':
    case 'VOID_AUTHORIZATION':
    case 'REFUND':
      return maintenance(ctx, merchant, command, params);
    case 'CHECK_STATUS':
      return checkStatus(ctx, merchant, params);
    case 'UPDATE_TOKEN':
      return updateToken(ctx, merchant, params);
    case 'PAYMENT_LINK':
      return ctx.links ? ctx.links.create(merchant, params) : { ...invalid('004') };
    case 'CHECK_PAYMENT_LINK_STATUS':
      return ctx.links ? ctx.links.status(merchant, params) : { ...invalid('004') };
    case 'UPDATE_PAYMENT_LINK':
      return ctx.links ? ctx.links.update(merchant, params) : { ...invalid('004') };
  }
}

const authorizationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

function charge(ctx: ApiContext, merchant: MerchantConfig, command: 'AUTHORIZATION' | 'PURCHASE', params: Params): ApiResponse {
  const amount = Number(params['amount']);
  if (amount <= 0) return { ...invalid('005') };
  const eci = params['eci'] as string;
  // MOTO and RECURRING are the token-only channels (§2, §9); RECURRING is purchase-only.
  if (eci !== 'MOTO' && eci !== 'RECURRING') return { ...invalid('113') };
  if (eci === 'RECURRING' && command !== 'PURCHASE') return { ...invalid('113') };
  const merchantReference = params['merchant_reference'] as string;
  const currency = params['currency'] as string;

  return ctx.store.tx((): ApiResponse => {
    if (ctx.store.orderByReference(merchant.merchantIdentifier, merchantReference)) return { ...invalid('066') };
    const token = ctx.store.token(merchant.merchantIdentifier, params['token_name'] as string);
    // An INACTIVE ("deleted") token is treated as unknown (UNCONFIRMED: APS's code for it).
    if (!token || token.status !== 'ACTIVE') return { ...invalid('044') };

    const nowMs = ctx.clock.nowMs();
    const outcome = decideCharge(amount, token.behaviour as CardBehaviour, isExpired(token.expiry_date, ctx.clock.now()));
    const approved = outcome.kind !== 'decline';
    const stored: ApsResult = approved ? result(SUCCESS_STATUS[command], '000') : result(FAILURE_STATUS[command], outcome.message);
    const fortId = ctx.store.nextFortId(nowMs);
    const authCode = approved ? authorizationCode() : null;
    const order = ctx.store.insertOrder({
      merchant_identifier: merchant.merchantIdentifier,
      merchant_reference: merchantReference,
      fort_id: fortId,
      command,
      eci,
      currency,
      amount,
      authorized_amount: approved ? amount : 0,
      captured_amount: approved && command === 'PURCHASE' ? amount : 0,
      refunded_amount: 0,
      voided: 0,
      declined: approved ? 0 : 1,
      token_name: token.token_name,
      masked_card: token.masked_card,
      expiry_date: token.expiry_date,
      payment_option: token.brand,
      authorization_code: authCode,
      created_at_ms: nowMs,
      last_status: stored.status,
      last_code: stored.response_code,
      last_message: stored.response_message,
    });
    recordOperation(ctx, order, command, amount, approved, stored, null, nowMs);
    // The "uncertain" magic amount: the charge is made, but the reply says 15 until CHECK_STATUS.
    const answer = outcome.kind === 'uncertain' ? result(STATUS.UNCERTAIN, '777') : stored;
    return {
      fort_id: fortId,
      ...(authCode ? { authorization_code: authCode } : {}),
      card_number: token.masked_card,
      expiry_date: token.expiry_date,
      payment_option: params['payment_option'] ?? token.brand,
      ...answer,
    };
  });
}

function recordOperation(
  ctx: ApiContext,
  order: OrderRow,
  kind: OperationKind,
  amount: number,
  applied: boolean,
  r: ApsResult,
  maintenanceReference: string | null,
  nowMs: number,
): void {
  ctx.store.insertOperation({
    order_id: order.id,
    kind,
    amount,
    applied: applied ? 1 : 0,
    status: r.status,
    response_code: r.response_code,
    response_message: r.response_message,
    maintenance_reference: maintenanceReference,
    created_at_ms: nowMs,
  });
}

/**
 * Finds the order of a maintenance or query request by merchant_reference and/or fort_id. When
 * both are given they must name the same order (else 00110 Contradicting parameters).
 */
function findOrder(ctx: ApiContext, merchant: MerchantConfig, params: Params): { order?: OrderRow; error?: ApsResult } {
  const ref = params['merchant_reference'];
  const fortId = params['fort_id'];
  if (!ref && !fortId) return { error: invalid('001') };
  const byRef = ref ? ctx.store.orderByReference(merchant.merchantIdentifier, ref) : undefined;
  const byFort = fortId ? ctx.store.orderByFortId(merchant.merchantIdentifier, fortId) : undefined;
  if (ref && fortId && byRef && byFort && byRef.id !== byFort.id) return { error: invalid('110') };
  if (ref && fortId && (byRef === undefined) !== (byFort === undefined)) return { error: invalid('110') };
  return { order: byRef ?? byFort };
}

function maintenance(ctx: ApiContext, merchant: MerchantConfig, command: 'CAPTURE' | 'VOID_AUTHORIZATION' | 'REFUND', params: Params): ApiResponse {
  return ctx.store.tx((): ApiResponse => {
    const found = findOrder(ctx, merchant, params);
    if (found.error) return { ...found.error };
    const order = found.order;
    if (!order) return { ...result(FAILURE_STATUS[command], '036') };
    const nowMs = ctx.clock.nowMs();
    const amount = command === 'VOID_AUTHORIZATION' ? 0 : Number(params['amount']);
    const currency = params['currency'] ?? order.currency;
    const maintenanceReference = command === 'REFUND' ? (params['maintenance_reference'] ?? null) : null;

    if (maintenanceReference) {
      // A refund retried with the same maintenance_reference is answered, not applied again.
      const previous = ctx.store.appliedRefundByMaintenanceReference(merchant.merchantIdentifier, maintenanceReference);
      if (previous) {
        if (previous.order_id !== order.id || previous.amount !== amount) return { ...invalid('110') };
        return {
          fort_id: order.fort_id,
          status: previous.status,
          response_code: previous.response_code,
          response_message: previous.response_message,
        };
      }
    }

    let decision: Decision;
    if (command === 'CAPTURE') decision = decideCapture(order, amount, currency, nowMs);
    else if (command === 'VOID_AUTHORIZATION') decision = decideVoid(order, nowMs);
    else decision = decideRefund(order, amount, currency);

    const r = decision.ok ? result(SUCCESS_STATUS[command], '000') : result(FAILURE_STATUS[command], decision.message);
    const updated: OrderRow = { ...order, last_status: r.status, last_code: r.response_code, last_message: r.response_message };
    if (decision.ok) {
      if (command === 'CAPTURE') updated.captured_amount += amount;
      else if (command === 'REFUND') updated.refunded_amount += amount;
      else updated.voided = 1;
    }
    ctx.store.updateOrder(updated);
    recordOperation(ctx, order, command, amount, decision.ok, r, maintenanceReference, nowMs);
    return { fort_id: order.fort_id, ...r };
  });
}

function checkStatus(ctx: ApiContext, merchant: MerchantConfig, params: Params): ApiResponse {
  const found = findOrder(ctx, merchant, params);
  if (found.error) return { ...found.error };
  const order = found.order;
  // Not found is a successful check that found nothing: 12036 ([SEVASKE]; UNCONFIRMED #5).
  if (!order) return { ...result(STATUS.CHECK_STATUS_SUCCESS, '036') };
  let last = { status: order.last_status, code: order.last_code, message: order.last_message };
  const maintenanceReference = params['maintenance_reference'];
  if (maintenanceReference) {
    const op = ctx.store.lastRefundByMaintenanceReference(order.id, maintenanceReference);
    if (!op) return { fort_id: order.fort_id, ...result(STATUS.CHECK_STATUS_SUCCESS, '036') };
    last = { status: op.status, code: op.response_code, message: op.response_message };
  }
  return {
    fort_id: order.fort_id,
    ...result(STATUS.CHECK_STATUS_SUCCESS, '000'),
    transaction_status: last.status,
    transaction_code: last.code,
    transaction_message: last.message,
    authorized_amount: String(order.authorized_amount),
    captured_amount: String(order.captured_amount),
    refunded_amount: String(order.refunded_amount),
    ...(order.authorization_code ? { authorization_code: order.authorization_code } : {}),
    ...(params['return_third_party_response_codes'] === 'YES' ? { processor_response_code: '00', acquirer_response_code: '00' } : {}),
  };
}

function updateToken(ctx: ApiContext, merchant: MerchantConfig, params: Params): ApiResponse {
  return ctx.store.tx((): ApiResponse => {
    const name = params['token_name'] as string;
    const token = ctx.store.token(merchant.merchantIdentifier, name);
    if (!token) return { ...result(STATUS.TOKEN_UPDATE_FAILED, '044') };
    const newName = params['new_token_name'];
    if (newName && newName !== name && ctx.store.token(merchant.merchantIdentifier, newName)) {
      return { ...result(STATUS.TOKEN_UPDATE_FAILED, '114') };
    }
    const nowMs = ctx.clock.nowMs();
    const updated = {
      ...token,
      expiry_date: params['expiry_date'] || token.expiry_date,
      holder_name: params['card_holder_name'] || token.holder_name,
      status: (params['token_status'] || token.status) as 'ACTIVE' | 'INACTIVE',
      updated_at_ms: nowMs,
    };
    ctx.store.upsertToken(updated);
    if (newName && newName !== name) ctx.store.renameToken(merchant.merchantIdentifier, name, newName);
    return {
      card_number: updated.masked_card,
      card_bin: updated.card_bin,
      card_brand: updated.brand,
      creation_date: apsDateTime(updated.created_at_ms),
      token_status: updated.status,
      expiry_date: updated.expiry_date,
      ...(updated.holder_name ? { card_holder_name: updated.holder_name } : {}),
      ...result(STATUS.TOKEN_UPDATED, '000'),
    };
  });
}
