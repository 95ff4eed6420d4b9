import { coreText, englishText } from '../../../shared/contract/messages';
import { money } from '../../../shared/money';
import { DEFAULT_TIMEOUT_MS } from '../../gateway/aps';
import { isInputRefused, type CheckStatusResult, type Outcome } from '../../gateway/types';
import { saveCardOnFile } from '../cards';
import type { CoreDeps } from '../deps';
import { refreshOrderStatus } from '../orders';
import { audit, SYSTEM_ACTOR, type Actor } from '../ledger/audit-entry';
import { getSession } from './hosted-sessions';
import { getOperation, markChecked, markSent, type OperationRow, type OperationState } from './operation-log';
import { IllegalTransitionError, moveOperation, type OperationEvent } from './operation-states';
import { authorizationExpiry, getPaymentRow, updatePayment, type PaymentRow, type TotalsPatch } from './payments-repo';
import type { Ports } from '../ports';
import { isPlanted } from './planted-bugs';
import { judge } from './resolution';
import { immediateCommit, tx, type Committer } from '../ledger/sql';

// Stored in the operation's row in English; the screen reads them back as keys (operationText).
const CHECKING_REFERENCE = englishText(coreText('note.checkingReference'));
const DECLINED_BY_CHECK = englishText(coreText('note.declinedByCheck'));

/** 'queued': the request provably never left this machine (connection refused): back to the offline queue. */
export type FinalState = 'succeeded' | 'declined' | 'unknown' | 'queued';

export interface OpResult {
  state: FinalState;
  message: string;
  responseCode: string | null;
  /** What SendOptions.onSucceeded took to SENT in the outcome's commit (null: nothing). */
  claimed?: string | null;
}

/**
 * How long after a capture attempt was sent it may still be applied at the gateway
 * (docs/decisions/ambiguous-captures.md): our request timeout (the connection is closed then, so
 * nothing not yet received can arrive later) plus the gateway's own bound for finishing a request
 * it has received (60 s, an assumption: APS does not publish one). Until then "not applied" in the
 * totals is not a proof, and the capture stays UNKNOWN.
 */
export const GATEWAY_PROCESSING_BOUND_MS = 60_000;
export const DEFAULT_CAPTURE_RESEND_GRACE_MS = DEFAULT_TIMEOUT_MS + GATEWAY_PROCESSING_BOUND_MS;

export interface SendOptions {
  /**
   * The operation was written as SENT (attempts = 1, sent_at) in the very transaction that created
   * it, so that transaction's commit already put the reference and "may have reached the gateway"
   * on disk: no separate SENT commit before the request. Honoured only when the row really is
   * that fresh SENT row (never sent or checked since); otherwise SENT is committed as usual.
   */
  markedSent?: boolean;
  /** How SENT and the outcome are committed (default: one transaction each, now). The forwarder passes a group commit. */
  commit?: Committer;
  /**
   * The caller committed this row's move from QUEUED to SENT itself, in an earlier commit it has
   * awaited (the forwarder, in the commit of the payment's previous outcome: onSucceeded). Honoured
   * only for a row that is SENT, taken out of the queue, attempted once and never checked.
   */
  sentByCaller?: boolean;
  /**
   * Runs inside the commit of a SUCCEEDED outcome, in its own savepoint (a throw undoes only it,
   * never the outcome): the forwarder takes the payment's next queued operation to SENT there, so
   * that operation needs no commit of its own before its request. Returns that operation's id.
   */
  onSucceeded?: () => string | null;
}

/** APS "merchant reference already exists": our earlier attempt did reach the gateway. */
const DUPLICATE_REFERENCE = '066';

const isCharge = (op: Pick<OperationRow, 'type'>) => op.type === 'authorize' || op.type === 'purchase';

/**
 * Socket errors raised before a connection exists: the request was never written, so the gateway
 * cannot have acted. Anything else (reset, "other side closed", timeout) may come after the
 * gateway received the request and stays UNKNOWN.
 */
const NOT_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT)\b/;

export function provesNotSent(outcome: Outcome<unknown>): boolean {
  return outcome.kind === 'pending' && outcome.reason === 'network' && NOT_CONNECTED.test(outcome.detail);
}

/**
 * Runs the write-ahead state machine of one operation. Every method expects the caller to hold
 * the payment's mutex. The only ways out of SENT are an answer (SUCCEEDED / DECLINED), or UNKNOWN;
 * an UNKNOWN is only ever left through `resolve`, which asks CHECK_STATUS before any resend.
 */
export class OperationRunner {
  constructor(
    private readonly deps: CoreDeps,
    private readonly ports: Ports,
    /**
     * APS CAPTURE carries no reference of its own, so a capture request received by the gateway
     * before our timeout could still be applied after it. The gateway's captured total decides
     * (judge); "not applied" is a proof only once the last attempt is older than this (our
     * timeout + the gateway's processing bound); until then the capture stays UNKNOWN and is asked
     * again. Must be at least the gateway adapter's request timeout plus that bound.
     */
    private readonly captureResendGraceMs = DEFAULT_CAPTURE_RESEND_GRACE_MS,
  ) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /**
   * Sends an operation that is PENDING or QUEUED (never sent), or freshly created as SENT (see
   * SendOptions.markedSent). Anything else is refused (IllegalTransitionError) before a byte goes
   * out: an UNKNOWN or an older SENT may have reached the gateway, and leaves only through
   * `resolve`, whose status check is the one way to a resend.
   */
  async send(opId: string, actor: Actor = SYSTEM_ACTOR, opts: SendOptions = {}): Promise<OpResult> {
    const { db } = this.deps;
    const commit = opts.commit ?? immediateCommit(db);
    const op = getOperation(db, opId);
    if (!op) throw new Error(`no operation ${opId}`);
    const fresh = op.state === 'sent' && op.attempts === 1 && op.checks === 0 && op.sent_at === op.created_at;
    const claimed = op.state === 'sent' && op.forwarded === 1 && op.attempts === 1 && op.checks === 0;
    if (opts.markedSent && fresh) {
      // The creating transaction already committed SENT.
    } else if (opts.sentByCaller && claimed) {
      // The caller's earlier, awaited commit took it from QUEUED to SENT.
    } else if (op.state === 'pending' || op.state === 'queued') {
      // SENT is committed (synchronous=FULL) before the request exists.
      await commit(() => markSent(db, op, 'send', this.now()));
    } else {
      throw new IllegalTransitionError(op.state, 'send');
    }
    return this.deliver(op, actor, commit, opts.onSucceeded);
  }

  /** The request and its answer, for a row whose SENT is committed. */
  private async deliver(op: OperationRow, actor: Actor, commit: Committer, onSucceeded?: () => string | null): Promise<OpResult> {
    const payment = getPaymentRow(this.deps.db, op.payment_id)!;
    let outcome: Outcome<unknown>;
    try {
      outcome = await this.call(op, payment);
    } catch (err) {
      // Adapters throw only for input they refuse before sending (GatewayInputRefused); anything
      // else thrown cannot prove nothing was sent, so it is UNKNOWN, never a failure.
      if (isInputRefused(err)) return commit(() => this.applyDeclined(op, 'sent', 'refused', null, `Refused before sending: ${err.message}`, actor));
      const message = err instanceof Error ? err.message : String(err);
      return commit(() => this.applyUnknown(op, 'sent', 'no_answer', `Unexpected error: ${message}`, actor));
    }
    return commit(() => {
      const r = this.applyOutcome(op, outcome, actor);
      if (r.state !== 'succeeded' || !onSucceeded) return r;
      let claimed: string | null = null;
      try {
        claimed = tx(this.deps.db, onSucceeded);
      } catch (err) {
        // Its savepoint is rolled back: the next operation stays QUEUED for the caller's own path.
        this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'taking the next operation in the outcome commit failed');
      }
      return { ...r, claimed };
    });
  }

  /**
   * The one resend: a status check (in `resolve`) proved the gateway never got the request, so it
   * goes again with the same reference. Private: no caller can reach it without that check.
   */
  private async resendAfterCheck(op: OperationRow, from: OperationState, actor: Actor): Promise<OpResult> {
    const commit = immediateCommit(this.deps.db);
    await commit(() => markSent(this.deps.db, { ...op, state: from }, 'check_not_received', this.now()));
    return this.deliver(op, actor, commit);
  }

  private applyOutcome(op: OperationRow, outcome: Outcome<unknown>, actor: Actor): OpResult {
    switch (outcome.kind) {
      case 'succeeded': {
        const v = outcome.value as { fortId?: string; authorizationCode?: string };
        return this.applySucceeded(op, 'sent', 'approved', { fortId: outcome.refs.fortId ?? v.fortId, authorizationCode: v.authorizationCode }, outcome.responseCode, outcome.message, actor);
      }
      case 'declined':
        if (isCharge(op) && outcome.responseCode.slice(2) === DUPLICATE_REFERENCE) {
          return this.applyUnknown(op, 'sent', 'no_answer', CHECKING_REFERENCE, actor);
        }
        return this.applyDeclined(op, 'sent', 'refused', outcome.responseCode, outcome.message, actor);
      case 'pending':
        if (!isCharge(op) && provesNotSent(outcome)) return this.applyNotSent(op, outcome.detail, actor);
        return this.applyUnknown(op, 'sent', 'no_answer', `No definite answer (${outcome.reason}): ${outcome.detail}`.slice(0, 300), actor);
    }
  }

  /** The connection was never made: the operation goes (back) to the offline queue, same reference. */
  private applyNotSent(op: OperationRow, detail: string, actor: Actor): OpResult {
    const { db } = this.deps;
    const at = this.now();
    const message = `Not sent: the gateway could not be reached (${detail.slice(0, 120)}). Queued.`;
    tx(db, () => {
      const p = getPaymentRow(db, op.payment_id)!;
      moveOperation(db, op.id, 'sent', 'not_connected', { attempts: -1, message }, at);
      updatePayment(db, p.id, {}, at);
      audit(this.deps, this.ports, actor, `payments.${op.type}`, p.reference, 'failure', describe(op, p, 'not sent (no connection): queued'));
    });
    return { state: 'queued', message, responseCode: null };
  }

  /**
   * Finishes an unfinished operation. PENDING was never sent (SENT is committed before every
   * request, or written with the row when it is sent right away), so it is simply sent. SENT or UNKNOWN: CHECK_STATUS decides; only a proof that the
   * gateway never got it leads to a resend, with the same reference, once.
   */
  async resolve(opId: string, actor: Actor = SYSTEM_ACTOR): Promise<OpResult & { resent: boolean }> {
    const { db, gateway } = this.deps;
    const op = getOperation(db, opId)!;
    if (op.state === 'succeeded' || op.state === 'declined') return { state: op.state, message: op.message ?? '', responseCode: op.response_code, resent: false };
    if (op.state === 'pending') return { ...(await this.send(op.id, actor)), resent: true };
    if (op.state !== 'sent' && op.state !== 'unknown') return { state: 'unknown', message: `Operation is ${op.state}`, responseCode: null, resent: false };
    // The state this check is about: every move below leaves exactly it (a change meanwhile fails loudly).
    const from = op.state;
    if (isPlanted('resend-sent') && from === 'sent') return { ...(await this.resendAfterCheck(op, from, actor)), resent: true };
    const payment = getPaymentRow(db, op.payment_id)!;
    markChecked(db, op, this.now());
    const check = await gateway.checkStatus({
      merchantReference: payment.reference,
      ...(payment.fort_id ? { fortId: payment.fort_id } : {}),
      ...(op.type === 'refund' ? { maintenanceReference: op.reference } : {}),
    });
    if (check.kind !== 'succeeded') {
      const why = check.kind === 'declined' ? `check status refused (${check.responseCode})` : `check status unanswered (${check.reason})`;
      return { ...this.applyUnknown(op, from, 'check_unclear', `Outcome still unknown: ${why}.`, actor), resent: false };
    }
    const verdict = judge(op, payment, check.value);
    switch (verdict) {
      case 'happened':
        return {
          ...this.applySucceeded(op, from, 'check_happened', { fortId: check.value.fortId, authorizationCode: check.value.authorizationCode, gateway: check.value }, check.value.transactionCode ?? null, 'Confirmed by check status.', actor),
          resent: false,
        };
      case 'declined':
        return { ...this.applyDeclined(op, from, 'check_refused', check.value.transactionCode ?? null, check.value.transactionMessage ?? DECLINED_BY_CHECK, actor), resent: false };
      case 'not_happened': {
        const age = this.deps.clock.now().getTime() - Date.parse(op.sent_at ?? op.created_at);
        // Voids have no reference of their own either: a void that lands after our timeout would be
        // met by its own resend (found by the simulation, seed 303), so the same bound applies.
        if ((op.type === 'capture' || op.type === 'void') && age < this.captureResendGraceMs) {
          const until = new Date(Date.parse(op.sent_at ?? op.created_at) + this.captureResendGraceMs).toISOString();
          return { ...this.applyUnknown(op, from, 'check_unclear', `Not applied at the gateway yet; the last attempt could still land until ${until}, then it is sent again.`, actor), resent: false };
        }
        return { ...(await this.resendAfterCheck(op, from, actor)), resent: true };
      }
      case 'undetermined':
        return { ...this.applyUnknown(op, from, 'check_unclear', `The gateway is still processing (status ${check.value.transactionStatus ?? '?'}).`, actor), resent: false };
    }
  }

  private call(op: OperationRow, p: PaymentRow): Promise<Outcome<unknown>> {
    const { gateway } = this.deps;
    const fortId = p.fort_id ? { fortId: p.fort_id } : {};
    switch (op.type) {
      case 'authorize':
      case 'purchase': {
        const req = {
          merchantReference: p.reference,
          amount: money(p.amount, p.currency),
          tokenName: p.token_name ?? '',
          eci: (p.eci ?? 'MOTO') as 'MOTO' | 'RECURRING',
          customerEmail: p.customer_email ?? NO_EMAIL,
          ...(p.customer_name ? { customerName: apsName(p.customer_name) } : {}),
          orderDescription: `Order ${p.reference}`,
        };
        if (!req.customerName) delete req.customerName;
        return op.type === 'authorize' ? gateway.authorize(req) : gateway.purchase(req);
      }
      case 'capture':
        return gateway.capture({ merchantReference: p.reference, ...fortId, amount: money(op.amount!, p.currency) });
      case 'void':
        return gateway.voidAuthorization({ merchantReference: p.reference, ...fortId });
      case 'refund':
        return gateway.refund({ merchantReference: p.reference, ...fortId, amount: money(op.amount!, p.currency), maintenanceReference: op.reference });
      default:
        throw new Error(`operation type ${op.type} never goes to the gateway`);
    }
  }

  private applySucceeded(
    op: OperationRow,
    from: OperationState,
    event: Extract<OperationEvent, 'approved' | 'check_happened'>,
    info: { fortId?: string | undefined; authorizationCode?: string | undefined; gateway?: CheckStatusResult },
    responseCode: string | null,
    message: string,
    actor: Actor,
  ): OpResult {
    const { db, clock } = this.deps;
    const at = this.now();
    tx(db, () => {
      const p = getPaymentRow(db, op.payment_id)!;
      op = getOperation(db, op.id)!; // sent_at and attempts as committed by markSent
      const amount = op.amount ?? 0;
      const patch: TotalsPatch = {};
      if (info.fortId) patch.fort_id = info.fortId;
      if (info.authorizationCode) patch.authorization_code = info.authorizationCode;
      switch (op.type) {
        case 'authorize':
          patch.authorized = amount;
          // The gateway started the 7 days when it received the request: at the latest, when we sent it.
          patch.authorized_at = op.sent_at ?? at;
          patch.expires_at = authorizationExpiry(new Date(patch.authorized_at));
          break;
        case 'purchase':
          patch.authorized = amount;
          patch.captured = amount;
          patch.authorized_at = op.sent_at ?? at;
          break;
        case 'capture':
          patch.captured = p.captured + amount;
          break;
        case 'refund':
          patch.refunded = p.refunded + amount;
          break;
        case 'void':
          patch.voided = 1;
          break;
        case 'check_status': // its totals are the gateway's, applied below
        case 'cash_sale': // cash is recorded at the desk, never sent
        case 'cash_refund':
          break;
      }
      if (info.gateway) {
        // Resolved by check status: the gateway's totals are the truth (DESIGN "Payment core").
        patch.authorized = info.gateway.authorizedAmount;
        patch.captured = info.gateway.capturedAmount;
        patch.refunded = info.gateway.refundedAmount;
      }
      moveOperation(db, op.id, from, event, { responseCode, message }, at);
      updatePayment(db, p.id, patch, at, p);
      if (isCharge(op) && p.save_card === 1 && p.customer_id && p.hosted_session_id && !p.saved_card_id) {
        const s = getSession(db, p.hosted_session_id);
        if (s?.token_name && s.brand && s.last4 && s.expiry) {
          const card = saveCardOnFile(db, this.ports, p.customer_id, { tokenName: s.token_name, brand: s.brand, last4: s.last4, expiry: s.expiry, holderName: s.holder_name ?? '', gatewayAccount: s.gateway_account }, clock.now());
          updatePayment(db, p.id, { saved_card_id: card.id }, at);
        }
      }
      refreshOrderStatus(db, p.order_id, at);
      audit(this.deps, this.ports, actor, `payments.${op.type}`, p.reference, 'success', describe(op, p, `succeeded ${responseCode ?? ''} ${message}`));
    });
    return { state: 'succeeded', message, responseCode };
  }

  private applyDeclined(op: OperationRow, from: OperationState, event: Extract<OperationEvent, 'refused' | 'check_refused'>, responseCode: string | null, message: string, actor: Actor): OpResult {
    const { db } = this.deps;
    const at = this.now();
    tx(db, () => {
      const p = getPaymentRow(db, op.payment_id)!;
      op = getOperation(db, op.id)!;
      moveOperation(db, op.id, from, event, { responseCode, message }, at);
      updatePayment(db, p.id, isCharge(op) ? { declined: 1 } : {}, at);
      refreshOrderStatus(db, p.order_id, at);
      audit(this.deps, this.ports, actor, `payments.${op.type}`, p.reference, 'failure', describe(op, p, `declined ${responseCode ?? ''} ${message}`));
    });
    return { state: 'declined', message, responseCode };
  }

  private applyUnknown(op: OperationRow, from: OperationState, event: Extract<OperationEvent, 'no_answer' | 'check_unclear'>, message: string, actor: Actor): OpResult {
    const { db } = this.deps;
    const at = this.now();
    tx(db, () => {
      const p = getPaymentRow(db, op.payment_id)!;
      op = getOperation(db, op.id)!;
      moveOperation(db, op.id, from, event, { message }, at);
      updatePayment(db, p.id, {}, at);
      audit(this.deps, this.ports, actor, `payments.${op.type}`, p.reference, 'failure', describe(op, p, `outcome unknown: ${message}`));
    });
    return { state: 'unknown', message, responseCode: null };
  }
}

/** APS requires customer_email on MOTO charges; a customer without a usable address gets this. */
export const NO_EMAIL = 'no-email@moto-pos.invalid';

const APS_NAME = /[^\p{L}\p{M}_\\/\-.' ]/gu;
function apsName(name: string): string {
  return name.replace(APS_NAME, ' ').replace(/\s+/g, ' ').trim().slice(0, 40);
}

function describe(op: OperationRow, p: PaymentRow, outcome: string): string {
  const amount = op.amount !== null ? ` ${op.amount} ${p.currency}` : '';
  return `${op.type}${amount} ref ${op.reference} attempt ${op.attempts}: ${outcome.trim()}`.slice(0, 500);
}
