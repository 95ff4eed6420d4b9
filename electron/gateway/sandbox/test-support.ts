/** Helpers shared by the sandbox test files: signed requests over real HTTP. */
import { sign, verify, TOKENIZATION_UNSIGNED_FIELDS } from '../aps/signature';
import { DEFAULT_MERCHANT } from './merchants';
import { startSandbox } from './server';
import type { MerchantConfig, SandboxHandle, SandboxOptions } from './types';

export const M = DEFAULT_MERCHANT;

export function signRequest(params: Record<string, string | number>, merchant: MerchantConfig = M, exclude: readonly string[] = []): Record<string, string | number> {
  return { ...params, signature: sign(params, merchant.requestPhrase, merchant.shaType, exclude) };
}

export function responseSignatureOk(body: Record<string, unknown>, merchant: MerchantConfig = M): boolean {
  return verify(body as Record<string, string>, merchant.responsePhrase, merchant.shaType);
}

export async function postRaw(url: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** Sends a paymentApi request signed with the merchant's request phrase (unless sign: false). */
export async function api(
  sb: SandboxHandle,
  params: Record<string, string | number>,
  opts: { merchant?: MerchantConfig; sign?: boolean } = {},
): Promise<Record<string, string>> {
  const merchant = opts.merchant ?? M;
  const full = { access_code: merchant.accessCode, merchant_identifier: merchant.merchantIdentifier, language: 'en', ...params };
  const body = opts.sign === false ? full : signRequest(full, merchant);
  const res = await postRaw(sb.paymentApiUrl, JSON.stringify(body));
  return res.body;
}

let refCounter = 0;
export function ref(prefix = 'ORD'): string {
  refCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${refCounter}`;
}

/** Tokenizes a card through the hosted page in one post (card fields sent with the signed request). */
export async function tokenize(
  sb: SandboxHandle,
  card: { number?: string; expiry?: string; cvv?: string; holder?: string } = {},
  merchant: MerchantConfig = M,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const signedFields = {
    service_command: 'TOKENIZATION',
    access_code: merchant.accessCode,
    merchant_identifier: merchant.merchantIdentifier,
    merchant_reference: ref('TOK'),
    language: 'en',
    return_url: 'http://127.0.0.1:9/return',
    ...extra,
  };
  const number = card.number ?? '4005550000000001';
  const form = {
    ...signRequest(signedFields, merchant, TOKENIZATION_UNSIGNED_FIELDS),
    card_number: number,
    expiry_date: card.expiry ?? '3005',
    card_security_code: card.cvv ?? (number.length === 15 ? '1234' : '123'),
    ...(card.holder ? { card_holder_name: card.holder } : {}),
  };
  const res = await fetch(`${sb.paymentPageUrl}?method=get`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString(),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 303 || !location) throw new Error(`tokenize: expected a 303, got ${res.status}: ${await res.text()}`);
  return Object.fromEntries(new URL(location).searchParams);
}

export async function tokenName(sb: SandboxHandle, card?: { number?: string; expiry?: string }, merchant: MerchantConfig = M): Promise<string> {
  const result = await tokenize(sb, card, merchant);
  if (result['status'] !== '18' || !result['token_name']) throw new Error(`tokenization failed: ${JSON.stringify(result)}`);
  return result['token_name'];
}

export function charge(command: 'AUTHORIZATION' | 'PURCHASE', token: string, amount: number | string, extra: Record<string, string> = {}): Record<string, string | number> {
  return {
    command,
    merchant_reference: ref(),
    amount,
    currency: 'USD',
    customer_email: 'buyer@example.com',
    eci: 'MOTO',
    token_name: token,
    ...extra,
  };
}

export async function withSandbox<T>(fn: (sb: SandboxHandle) => Promise<T>, opts: SandboxOptions = {}): Promise<T> {
  const sb = await startSandbox(opts);
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}
