import { randomBytes } from 'node:crypto';
import { ApsValidationError } from './errors';
import { buildCheckStatus, type ApsCredentials } from './requests';
import { parseBody } from './responses';
import { verify, type ShaType } from './signature';
import { httpExchange } from './transport';

/**
 * "Test connection" of a merchant's APS account: one signed CHECK_STATUS on a fresh random
 * reference, which no order can have. It proves the credentials both ways without any business
 * effect: a signed "not found" (12036) means the merchant identifier, access code and request
 * phrase were accepted and our response phrase + SHA type verify APS's answer.
 *
 * Each outcome names what a shop owner can fix. The raw answer is read here (not through
 * classify) because the refusal codes matter even when the answer's signature does not verify.
 */
export type ConnectionTestOutcome =
  | 'ok'
  /** No HTTP answer, or not an APS answer (wrong host, firewall, no network). */
  | 'unreachable'
  /** 00009 invalid merchant identifier / 00010 invalid access code. */
  | 'credentials_refused'
  /** 00008 signature mismatch, and the answer itself verifies: our request phrase is wrong. */
  | 'request_phrase'
  /** The request was accepted (so the SHA type is right) but the answer does not verify: the response phrase is wrong. */
  | 'response_phrase'
  /** 00008 and the answer does not verify either: both signatures fail, so the SHA type is the likely cause. */
  | 'sha_type'
  /** A signed answer we did not expect (e.g. check status not enabled on the account). */
  | 'refused';

export interface ConnectionTestResult {
  outcome: ConnectionTestOutcome;
  /** A sentence for the admin; never contains a secret. */
  message: string;
  responseCode?: string;
  durationMs: number;
}

export interface ConnectionTestConfig {
  paymentApiUrl: string;
  merchantIdentifier: string;
  accessCode: string;
  requestPhrase: string;
  responsePhrase: string;
  shaType: ShaType;
  timeoutMs?: number;
}

const NOT_FOUND = '12036';

export const CONNECTION_TEST_MESSAGES: Readonly<Record<ConnectionTestOutcome, string>> = {
  ok: 'Connected: APS accepted the merchant identifier, access code and request phrase, and its answer verified with the response phrase.',
  unreachable: 'The APS host could not be reached (or did not answer like APS). Check the network, the firewall and the environment chosen.',
  credentials_refused: 'APS refused the merchant identifier or the access code. Copy both again from the APS back office (Integration settings).',
  request_phrase: 'APS refused the signature of our request: the SHA request phrase is wrong. Copy it again from the back office (Security settings).',
  response_phrase: "APS accepted our request (so the access code, request phrase and SHA type are right), but its answer's signature does not verify: the SHA response phrase is wrong. Copy it again from the back office (Security settings).",
  sha_type: 'Neither signature matched: the SHA type is most likely wrong (it must be the one chosen in the back office, Security settings), or both phrases are.',
  refused: 'APS refused the check',
};

export async function testApsConnection(cfg: ConnectionTestConfig): Promise<ConnectionTestResult> {
  const creds: ApsCredentials = {
    accessCode: cfg.accessCode,
    merchantIdentifier: cfg.merchantIdentifier,
    requestPhrase: cfg.requestPhrase,
    shaType: cfg.shaType,
    language: 'en',
  };
  // A reference no order has: "CONNTEST-" + 16 random hex characters (APS allows - _ .).
  const merchantReference = `CONNTEST-${randomBytes(8).toString('hex')}`;
  let request;
  try {
    request = buildCheckStatus(creds, { merchantReference });
  } catch (e) {
    if (e instanceof ApsValidationError) return { outcome: 'credentials_refused', message: `Not sent: ${e.message}.`, durationMs: 0 };
    throw e;
  }
  const result = await httpExchange({
    method: 'POST',
    url: cfg.paymentApiUrl,
    headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
    body: JSON.stringify(request.params),
    timeoutMs: cfg.timeoutMs ?? 10_000,
  });
  const durationMs = result.durationMs;
  const unreachable = (detail: string): ConnectionTestResult => ({ outcome: 'unreachable', message: `${CONNECTION_TEST_MESSAGES.unreachable} (${detail})`, durationMs });
  if (result.kind !== 'response') return unreachable(result.kind === 'truncated' ? 'the answer was cut off' : result.detail.slice(0, 160));
  if (result.status >= 500) return unreachable(`HTTP ${result.status}`);
  const parsed = parseBody(result.body);
  if (!parsed.ok) return unreachable(`HTTP ${result.status}, ${parsed.detail}`);
  const raw = parsed.raw;
  const code = typeof raw['response_code'] === 'string' ? raw['response_code'] : '';
  const reason = code.slice(2);
  const signed = verify(raw, cfg.responsePhrase, cfg.shaType);
  const withCode = (outcome: ConnectionTestOutcome): ConnectionTestResult => ({
    outcome,
    message: CONNECTION_TEST_MESSAGES[outcome],
    ...(code ? { responseCode: code } : {}),
    durationMs,
  });
  // Refusals of the identity come first: APS may not sign them (no merchant, no phrase to sign with).
  if (reason === '009' || reason === '010') return withCode('credentials_refused');
  if (reason === '008') return withCode(signed ? 'request_phrase' : 'sha_type');
  if (!signed) return withCode('response_phrase');
  if (code === NOT_FOUND || raw['status'] === '12') return withCode('ok');
  const said = typeof raw['response_message'] === 'string' ? raw['response_message'].slice(0, 120) : '';
  return { outcome: 'refused', message: `${CONNECTION_TEST_MESSAGES.refused} (${code}${said ? `: ${said}` : ''}). Ask APS support to enable check status (query) on this account.`, ...(code ? { responseCode: code } : {}), durationMs };
}
