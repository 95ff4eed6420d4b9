import { ContractError, coreText, type CoreText } from '../../../shared/contract';
import { allowedAction } from '../../../shared/domain/payment-state';
import type { CoreDeps } from '../deps';
import { refreshOrderStatus } from '../orders';
import { audit, type Actor } from '../ledger/audit-entry';
import { appendOperation } from './operation-log';
import { authorizationExpiry, getPaymentRow, totalsOf, updatePayment, type PaymentRow, type TotalsPatch } from './payments-repo';
import type { Ports } from '../ports';
import { tx } from '../ledger/sql';

export interface ReconcileResult {
  outcome: 'approved' | 'unknown';
  message: string;
  text: CoreText;
  changed: string[];
}

const CHARGE_DECLINED = new Set(['03', '13']);

/**
 * Compares a payment's local totals with CHECK_STATUS and repairs the local side: the gateway is
 * the source of truth. What changed is written as a check_status operation (the timeline shows it)
 * and in the audit log. The caller holds the payment's mutex and has resolved unfinished
 * operations first, so a difference here is a real discrepancy, not an operation in flight.
 */
export async function reconcilePayment(deps: CoreDeps, ports: Ports, paymentId: string, actor: Actor): Promise<ReconcileResult> {
  const { db, gateway, clock } = deps;
  const p = getPaymentRow(db, paymentId);
  if (!p) throw new ContractError('NOT_FOUND', 'No such payment.');
  const verdict = allowedAction('checkStatus', totalsOf(p), clock.now());
  if (!verdict.allowed) throw new ContractError(verdict.code, verdict.text);
  if (p.open_ops > 0) return { outcome: 'unknown', message: 'An operation is still unresolved; try again shortly.', text: coreText('outcome.stillUnresolved'), changed: [] };

  const check = await gateway.checkStatus({ merchantReference: p.reference, ...(p.fort_id ? { fortId: p.fort_id } : {}) });
  if (check.kind !== 'succeeded') {
    const why = check.kind === 'declined' ? `refused (${check.responseCode} ${check.message})` : `no answer (${check.reason})`;
    audit(deps, ports, actor, 'payments.checkStatus', p.reference, 'failure', `check status ${why}`);
    return { outcome: 'unknown', message: `The gateway did not answer the status check: ${why}. Nothing was changed.`, text: coreText('outcome.statusNoAnswer'), changed: [] };
  }
  const r = check.value;
  const at = clock.now().toISOString();
  const target: TotalsPatch = {};
  if (!r.found) {
    // The gateway has never heard of this reference: nothing was authorized there.
    Object.assign(target, { authorized: 0, captured: 0, refunded: 0 });
    if (p.authorized > 0 || p.declined === 0) target.declined = 1;
  } else {
    Object.assign(target, { authorized: r.authorizedAmount, captured: r.capturedAmount, refunded: r.refundedAmount });
    if (r.transactionStatus === '08') target.voided = 1;
    if (r.authorizedAmount === 0 && r.transactionStatus && CHARGE_DECLINED.has(r.transactionStatus)) target.declined = 1;
    if (r.authorizedAmount > 0 && p.declined === 1) target.declined = 0;
    if (r.fortId && r.fortId !== p.fort_id) target.fort_id = r.fortId;
    if (r.authorizationCode && r.authorizationCode !== p.authorization_code) target.authorization_code = r.authorizationCode;
    if (r.authorizedAmount > 0 && !p.authorized_at) {
      target.authorized_at = at;
      if (p.kind === 'authorization') target.expires_at = authorizationExpiry(new Date(at));
    }
  }
  const changed: string[] = [];
  for (const [k, v] of Object.entries(target)) {
    const before = p[k as keyof PaymentRow];
    if (before !== v) changed.push(k === 'fort_id' || k === 'authorization_code' || k === 'authorized_at' || k === 'expires_at' ? `${k} set` : `${k} ${String(before)} → ${String(v)}`);
  }
  const moneyChanged = changed.filter((c) => !c.endsWith(' set'));
  const message = moneyChanged.length
    ? `Repaired from the gateway: ${moneyChanged.join('; ')}.`
    : 'The local totals agree with the gateway.';
  tx(db, () => {
    appendOperation(db, { paymentId: p.id, type: 'check_status', amount: null, reference: p.reference, state: 'succeeded', userId: actor.id, userName: actor.name, message, responseCode: r.transactionCode ?? null }, at);
    updatePayment(db, p.id, target, at);
    refreshOrderStatus(db, p.order_id, at);
    audit(deps, ports, actor, 'payments.checkStatus', p.reference, 'success', message);
  });
  return { outcome: 'approved', message, text: coreText(moneyChanged.length ? 'outcome.repaired' : 'outcome.totalsAgree'), changed: moneyChanged };
}
