import { ContractError } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { getOrderRow } from '../orders';
import { audit, type Actor } from '../ledger/audit-entry';
import { getSession, HOSTED_SESSION_TTL_MS, insertSession, isSessionExpired, recordReturn, sessionByReference } from './hosted-sessions';
import type { Ports } from '../ports';
import { tokenizationReference } from '../ledger/references';
import { newId } from '../ledger/sql';
import { EMBEDDED_ACCOUNT } from '../gateway-accounts';
import { workingLanguage } from '../people';

export interface HostedFormOutput {
  sessionId: string;
  action: string;
  fields: Record<string, string>;
}

export interface HostedResultOutput {
  state: 'waiting' | 'ready' | 'failed';
  card: { handle: string; brand: string; last4: string; expiry: string; holderName: string } | null;
  message: string;
}

/**
 * The hosted card page round trip. The card number and CVV are typed on the gateway's page; what
 * comes back to us (verified) is a token with brand, last 4, expiry and holder, kept in a session
 * row whose id is the single-use card handle the screen passes to payments.charge.
 */
export class HostedCards {
  constructor(
    private readonly deps: CoreDeps,
    private readonly ports: Ports,
  ) {}

  form(input: { orderId?: string | undefined; customerId?: string | undefined; save?: boolean | undefined }, actor: Actor): HostedFormOutput {
    const { db, clock, gateway } = this.deps;
    const now = clock.now();
    if (input.orderId && !getOrderRow(db, input.orderId)) throw new ContractError('NOT_FOUND', 'No such order.');
    const merchantReference = tokenizationReference(this.deps.station, now);
    // The gateway's page speaks the clerk's language (APS `language`), like the rest of the screen.
    const language = workingLanguage(db, actor.id, this.deps.settings.get().locale);
    const form = gateway.hostedForm({ merchantReference, returnUrl: this.deps.hostedReturnUrl, language, ...(input.save === undefined ? {} : { rememberMe: input.save }) });
    const id = newId('hc');
    insertSession(db, {
      id,
      merchant_reference: merchantReference,
      order_id: input.orderId ?? null,
      customer_id: input.customerId ?? null,
      state: 'waiting',
      token_name: null,
      brand: null,
      last4: null,
      expiry: null,
      holder_name: null,
      message: 'Waiting for the card page',
      created_by: actor.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + HOSTED_SESSION_TTL_MS).toISOString(),
      returned_at: null,
      used_at: null,
      gateway_account: this.deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT,
    });
    return { sessionId: id, action: form.action, fields: form.fields };
  }

  /** Called by the shell that receives the hosted page's return (web endpoint or Electron interceptor). */
  async acceptReturn(params: Record<string, string>): Promise<{ sessionId: string | null; ok: boolean; message: string }> {
    const { db, clock, gateway } = this.deps;
    const ret = gateway.verifyTokenizationReturn(params);
    if (!ret.ok && ret.reason === 'bad_signature') {
      // A forged or damaged return must not be able to change (or kill) any session, whatever it
      // carries: it is refused before any session is even looked up.
      audit(this.deps, this.ports, null, 'payments.hostedReturn', null, 'failure', 'return signature did not verify');
      return { sessionId: null, ok: false, message: 'The card page return could not be verified.' };
    }
    const reference = ret.ok ? ret.value.merchantReference : ret.merchantReference;
    const session = reference ? sessionByReference(db, reference) : undefined;
    if (!session) return { sessionId: null, ok: false, message: 'This card page return does not belong to any open card session.' };
    if (session.state !== 'waiting') return { sessionId: session.id, ok: false, message: 'This card session already has its answer.' };
    if (isSessionExpired(session, clock.now())) return { sessionId: session.id, ok: false, message: 'This card session expired (30 minutes): take the card again.' };
    const updated = recordReturn(db, session, ret, clock.now().toISOString());
    audit(this.deps, this.ports, null, 'payments.hostedReturn', session.id, ret.ok ? 'success' : 'failure', ret.ok ? 'card tokenized' : `tokenization failed: ${ret.responseCode ?? ret.reason}`);
    this.deps.events.emit('hosted.returned', { sessionId: session.id });
    return { sessionId: session.id, ok: updated.state === 'ready', message: updated.state === 'ready' ? 'Card received.' : updated.message };
  }

  result(sessionId: string): HostedResultOutput {
    const s = getSession(this.deps.db, sessionId);
    if (!s) throw new ContractError('NOT_FOUND', 'No such card session.');
    const now = this.deps.clock.now();
    if (s.state === 'used') return { state: 'failed', card: null, message: 'This card was already used for a charge: take the card again.' };
    if (s.state === 'failed') return { state: 'failed', card: null, message: s.message || 'The card page did not return a card.' };
    if (isSessionExpired(s, now)) return { state: 'failed', card: null, message: 'This card session expired (30 minutes): take the card again.' };
    if (s.state === 'waiting') return { state: 'waiting', card: null, message: 'Waiting for the card page.' };
    return {
      state: 'ready',
      card: { handle: s.id, brand: s.brand ?? '', last4: s.last4 ?? '', expiry: s.expiry ?? '', holderName: s.holder_name ?? '' },
      message: 'Card ready.',
    };
  }
}
