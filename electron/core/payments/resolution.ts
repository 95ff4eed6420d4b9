import type { CheckStatusResult } from '../../gateway/types';
import type { OperationRow } from './operation-log';
import type { PaymentRow } from './payments-repo';
import { isPlanted } from './planted-bugs';

/**
 * Did an operation whose outcome we did not hear actually happen at the gateway? Decided from a
 * CHECK_STATUS answer. Sound because only one operation per payment is ever in flight (the
 * payment mutex) and no new one starts while one is unfinished, so the local totals are exactly
 * the gateway's totals before this operation.
 *
 *   happened       the gateway applied it: finish as SUCCEEDED with the gateway's totals
 *   declined       the gateway refused it: finish as DECLINED
 *   not_happened   the gateway never got it: safe to send again with the SAME reference
 *   undetermined   still in flight at the gateway (status 15/19/20): stay UNKNOWN, ask later
 */
export type Verdict = 'happened' | 'declined' | 'not_happened' | 'undetermined';

const UNCERTAIN = new Set(['15', '19', '20']);
const CHARGE_DECLINED = new Set(['03', '13']);

export function judge(op: Pick<OperationRow, 'type' | 'amount'>, payment: Pick<PaymentRow, 'captured' | 'refunded'>, r: CheckStatusResult): Verdict {
  if (r.transactionStatus && UNCERTAIN.has(r.transactionStatus)) return 'undetermined';
  const amount = op.amount ?? 0;
  switch (op.type) {
    case 'authorize':
    case 'purchase':
      // The merchant_reference is the charge's own: found means the gateway has this very charge.
      if (!r.found) return 'not_happened';
      if (r.authorizedAmount > 0) return 'happened';
      if (r.transactionStatus && CHARGE_DECLINED.has(r.transactionStatus)) return 'declined';
      return 'undetermined';
    case 'capture':
      // Captures have no reference of their own at APS: the gateway's captured total against what
      // the ledger already counts is the evidence (docs/decisions/ambiguous-captures.md). Totals
      // that moved by anything else than this capture (another desk, the portal) are no proof
      // either way: never a resend on them.
      if (!r.found) return 'undetermined';
      if (isPlanted('capture-verdict') && r.capturedAmount >= payment.captured) return 'happened';
      if (r.capturedAmount >= payment.captured + amount) return 'happened';
      if (r.capturedAmount === payment.captured) return 'not_happened';
      return 'undetermined';
    case 'refund':
      // Checked with our maintenance_reference: not found means this refund never reached the gateway.
      if (!r.found) return isPlanted('refund-verdict') ? 'happened' : 'not_happened';
      if (r.transactionStatus === '06') return 'happened';
      if (r.transactionStatus === '07') return 'declined';
      return r.refundedAmount >= payment.refunded + amount ? 'happened' : 'undetermined';
    case 'void':
      if (!r.found) return 'undetermined';
      if (r.transactionStatus === '08') return 'happened';
      if (r.transactionStatus === '09') return 'declined';
      return isPlanted('void-verdict') ? 'happened' : 'not_happened';
    default:
      return 'undetermined';
  }
}
