import { ContractError, type Settings, coreText } from '../../../shared/contract';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

const HOURS = 3600 * 1000;

/** Offline charge limits of settings.offlineCharges (docs/offline.md); throws OFFLINE_LIMIT. */
export function checkOfflineChargeLimits(db: Db, settings: Settings, amount: number, currency: string, now: Date): void {
  const oc = settings.offlineCharges;
  if (currency !== settings.currency) throw new ContractError('OFFLINE_LIMIT', coreText('refuse.offlineCurrency', { currency: settings.currency }));
  if (amount > oc.perCharge) throw new ContractError('OFFLINE_LIMIT', coreText('refuse.offlinePerCharge', { limit: { amount: oc.perCharge, currency: settings.currency } }));
  const out = outstandingOfflineCharges(db);
  if (out.count + 1 > oc.maxCount) throw new ContractError('OFFLINE_LIMIT', coreText('refuse.offlineCount', { n: out.count, limit: oc.maxCount }));
  if (out.total + amount > oc.totalOutstanding) throw new ContractError('OFFLINE_LIMIT', coreText('refuse.offlineTotal', { limit: { amount: oc.totalOutstanding, currency: settings.currency } }));
  if (out.oldest && now.getTime() - Date.parse(out.oldest) > oc.maxAgeHours * HOURS) {
    throw new ContractError('OFFLINE_LIMIT', coreText('refuse.offlineAge', { hours: oc.maxAgeHours }));
  }
}

/** Charges taken offline and not yet approved by the bank (queued, or held for attention). */
export function outstandingOfflineCharges(db: Db): { count: number; total: number; oldest: string | null } {
  return stmt(
    db,
    `SELECT COUNT(*) AS count, COALESCE(SUM(o.amount), 0) AS total, MIN(o.created_at) AS oldest
     FROM (
       SELECT o.amount, o.created_at, o.payment_id FROM operations o WHERE o.state = 'queued' AND o.type IN ('authorize', 'purchase')
       UNION ALL
       SELECT o.amount, o.created_at, o.payment_id FROM operations o WHERE o.state = 'needs_attention' AND o.type IN ('authorize', 'purchase')
     ) o JOIN payments p ON p.id = o.payment_id
     WHERE p.declined = 0`,
  ).get() as { count: number; total: number; oldest: string | null };
}
