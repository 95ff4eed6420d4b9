import { z } from 'zod';
import type { GatewayRefs, Outcome, PendingReason } from '../types';
import { COMMAND_KEY, type ApsCommand, type ApsRequest } from './requests';
import { envelopeSchema, parseBody, verifyResponseSignature, type Envelope } from './responses';
import type { ShaType, SignableObject } from './signature';
import type { TransportResult } from './transport';

/** The status that means "done" for each command (doc §2.2, §3, §4, §6.1). */
export const SUCCESS_STATUS: Readonly<Record<ApsCommand, string>> = {
  PURCHASE: '14',
  AUTHORIZATION: '02',
  CAPTURE: '04',
  VOID_AUTHORIZATION: '08',
  REFUND: '06',
  CHECK_STATUS: '12',
  UPDATE_TOKEN: '58',
  TOKENIZATION: '18',
  // 48 "Invoice payment link success" (doc §6.1); the status query is a check like CHECK_STATUS.
  PAYMENT_LINK: '48',
  CHECK_PAYMENT_LINK_STATUS: '12',
  UPDATE_PAYMENT_LINK: '48',
};

/** 15 uncertain, 19 pending, 20 on hold: the gateway may still complete the operation. */
export const UNCERTAIN_STATUS: ReadonlySet<string> = new Set(['15', '19', '20']);

/**
 * Message codes that say "we do not know" whatever the status prefix: 006 technical problem (the
 * official WooCommerce plugin holds xx006 as uncertain), 777 processed but confirmation not
 * received, 784 still processing (doc §6.2). Reading these as declines could let the core charge
 * twice; as pending they are resolved by check status.
 */
export const UNCERTAIN_MESSAGE: ReadonlySet<string> = new Set(['006', '777', '784']);

/** Echoed request fields that must match, or the reply is about something else (doc §1 echo rule). */
const ECHOED: readonly string[] = ['merchant_reference', 'amount', 'currency', 'maintenance_reference', 'token_name', 'fort_id'];

export interface ClassifyOptions<T> {
  request: ApsRequest;
  result: TransportResult;
  responsePhrase: string;
  shaType: ShaType;
  /** Reads the command's success value; a ZodError means the success reply is malformed. */
  toValue: (raw: SignableObject, envelope: Envelope) => T | z.ZodError;
}

function refsOf(request: ApsRequest, raw?: SignableObject): GatewayRefs {
  const refs: GatewayRefs = { merchantReference: request.params['merchant_reference'] ?? '' };
  const sentFort = request.params['fort_id'];
  const gotFort = raw?.['fort_id'];
  // The gateway's id is taken from a reply only once the reply is known to be ours (verified + echo).
  if (typeof gotFort === 'string' && /^[0-9]{1,20}$/.test(gotFort)) refs.fortId = gotFort;
  else if (sentFort) refs.fortId = sentFort;
  const maint = request.params['maintenance_reference'];
  if (maint) refs.maintenanceReference = maint;
  return refs;
}

function pending<T>(request: ApsRequest, reason: PendingReason, detail: string): Outcome<T> {
  return { kind: 'pending', refs: refsOf(request), reason, detail };
}

function echoMismatch(request: ApsRequest, raw: SignableObject): string | undefined {
  const key = COMMAND_KEY[request.command];
  const gotCommand = raw[key];
  if (gotCommand !== undefined && String(gotCommand) !== request.command) return key;
  // A reply that names another operation under another key is not ours either.
  for (const other of ['command', 'query_command', 'service_command'] as const) {
    if (other !== key && raw[other] !== undefined) return other;
  }
  for (const name of ECHOED) {
    const sent = request.params[name];
    const got = raw[name];
    if (sent === undefined || got === undefined || got === null) continue;
    if (String(got) !== sent) return name;
  }
  return undefined;
}

/** Fields whose echo we require before believing a success (a declined error reply may omit them). */
function missingEchoOnSuccess(request: ApsRequest, raw: SignableObject): string | undefined {
  const key = COMMAND_KEY[request.command];
  for (const name of [key, 'merchant_reference', 'amount', 'currency', 'maintenance_reference']) {
    if (request.params[name] !== undefined && (raw[name] === undefined || raw[name] === null)) return name;
  }
  return undefined;
}

/**
 * Turns one HTTP exchange into an Outcome. The order matters: nothing about the body is believed
 * before its signature is verified, and nothing is "succeeded" unless it is verified, echoes our
 * request, and carries the command's own success status.
 */
export function classify<T>(opts: ClassifyOptions<T>): Outcome<T> {
  const { request, result } = opts;
  switch (result.kind) {
    case 'timeout':
      return pending(request, 'timeout', result.detail);
    case 'network':
      return pending(request, 'network', result.detail);
    case 'truncated':
      return pending(request, 'bad_response', `body cut off (HTTP ${result.status}): ${result.detail}`);
    case 'response':
      break;
  }
  if (result.status < 200 || result.status > 299) return pending(request, 'http_status', `HTTP ${result.status}`);

  const parsed = parseBody(result.body);
  if (!parsed.ok) return pending(request, 'bad_response', parsed.detail);
  const raw = parsed.raw;

  if (typeof raw['signature'] !== 'string' || raw['signature'] === '') return pending(request, 'bad_signature', 'reply has no signature');
  if (!verifyResponseSignature(raw, opts.responsePhrase, opts.shaType)) return pending(request, 'bad_signature', 'reply signature does not verify');

  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return pending(request, 'bad_response', 'reply lacks a valid status/response_code');
  const envelope = env.data;

  const mismatch = echoMismatch(request, raw);
  if (mismatch) return pending(request, 'bad_response', `reply echoes a different ${mismatch}`);

  const refs = refsOf(request, raw);
  const messageCode = envelope.response_code.slice(2);
  if (UNCERTAIN_STATUS.has(envelope.status) || UNCERTAIN_MESSAGE.has(messageCode)) {
    return { kind: 'pending', refs, reason: 'uncertain_status', detail: `status ${envelope.status}, ${envelope.response_code} ${envelope.response_message}` };
  }

  if (envelope.status === SUCCESS_STATUS[request.command]) {
    if (!envelope.response_code.startsWith(envelope.status)) {
      return pending(request, 'bad_response', `status ${envelope.status} contradicts response_code ${envelope.response_code}`);
    }
    const missing = missingEchoOnSuccess(request, raw);
    if (missing) return pending(request, 'bad_response', `success reply does not echo ${missing}`);
    const value = opts.toValue(raw, envelope);
    if (value instanceof z.ZodError) return pending(request, 'bad_response', `success reply malformed: ${value.issues.map((i) => i.path.join('.')).join(', ')}`);
    return { kind: 'succeeded', refs, value, responseCode: envelope.response_code, message: envelope.response_message };
  }

  return { kind: 'declined', refs, responseCode: envelope.response_code, message: envelope.response_message, status: envelope.status };
}
