import { SYSTEM_ACTOR } from '../ledger/audit-entry';
import { paymentsWithUnfinished } from './operation-log';
import type { PaymentService } from './service';

export interface RecoveryReport {
  /** Payments that had an operation not final at start-up. */
  payments: number;
  /** Operations brought to SUCCEEDED or DECLINED. */
  resolved: number;
  /** Of those, how many had to be sent again (check status proved the gateway never got them). */
  resent: number;
  /** Payments still waiting for a definite answer (gateway unreachable or still processing). */
  stillUnknown: number;
  /** In a shop: payments left to the background resolver because their lease was not granted now. */
  waitingForLease: number;
  errors: string[];
}

/** Consecutive payments left unknown before the sweep stops waiting on the gateway. */
const GIVE_UP_AFTER = 3;

/**
 * The start-up sweep of DESIGN "Payment core": each operation left PENDING, SENT or UNKNOWN by
 * the last run (crash, power cut, kill) is resolved through check status and finished, or sent
 * again exactly once when the gateway proves it never got it. Runs before the screen is served.
 * What stays unknown goes to the background resolver; once GIVE_UP_AFTER payments in a row stay
 * unknown, the sweep stops asking and hands every remaining payment to the resolver unasked.
 */
export async function recoverAll(service: PaymentService): Promise<RecoveryReport> {
  const report: RecoveryReport = { payments: 0, resolved: 0, resent: 0, stillUnknown: 0, waitingForLease: 0, errors: [] };
  let unansweredInARow = 0;
  for (const paymentId of paymentsWithUnfinished(service.deps.db)) {
    report.payments++;
    if (unansweredInARow >= GIVE_UP_AFTER) {
      // The gateway is not answering: waiting a full timeout per payment would hold up start-up
      // for minutes. The rest goes to the background resolver (the log keeps them unfinished).
      report.stillUnknown++;
      service.scheduleResolution(paymentId);
      continue;
    }
    try {
      // In a shop, under the payment's lease like the forwarder and the resolver (offline: the
      // documented policy, so this desk's own payments once the grace has passed); not granted,
      // the background resolver asks again later.
      const notNow = { stillUnknown: true, resolved: 0, resent: 0, message: '' };
      const r = await service.mutex.run(paymentId, () => service.underLease(paymentId, () => service.resolveUnfinished(paymentId, SYSTEM_ACTOR), notNow));
      if (r === notNow) report.waitingForLease++;
      report.resolved += r.resolved;
      report.resent += r.resent;
      if (r.stillUnknown) {
        report.stillUnknown++;
        unansweredInARow++;
        service.scheduleResolution(paymentId);
      } else {
        unansweredInARow = 0;
      }
    } catch (err) {
      report.errors.push(`${paymentId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  service.deps.log.info({ ...report, errors: report.errors.length }, 'payments recovery sweep');
  return report;
}
