import type { Db } from '../db/database';
import { shopState } from './outbox';
import { isUnreachable } from './payment-guard';
import type { ShopServer } from './server-client';

/**
 * A recurring period is charged once shop-wide: the station claims it in PostgreSQL (unique
 * schedule + period) before the charge; the period's derived reference still guards the gateway
 * (a second charge with it is refused there). While the server is unreachable only the station
 * that created the schedule runs its periods; another station's schedule waits, because its own
 * station may be running it at this moment (docs/decisions/shop-money-semantics.md).
 */
export type ClaimDecision =
  | { granted: true; via: 'single-station' | 'claim' | 'own-schedule-offline' }
  | { granted: false; code: 'CLAIMED_ELSEWHERE'; station: string }
  | { granted: false; code: 'NOT_OURS_WHILE_UNREACHABLE' };

export async function claimRecurringPeriod(db: Db, server: ShopServer, period: { scheduleId: string; period: number; reference: string }): Promise<ClaimDecision> {
  const st = shopState(db);
  if (!st?.enabled) return { granted: true, via: 'single-station' };
  try {
    const c = await server.claimPeriod(st.stationId, period.scheduleId, period.period, period.reference);
    return c.granted ? { granted: true, via: 'claim' } : { granted: false, code: 'CLAIMED_ELSEWHERE', station: c.station };
  } catch (e) {
    if (!isUnreachable(e)) throw e;
    const k = db.prepare(`SELECT origin FROM shop_known WHERE tbl = 'recurring_schedules' AND pk = ?`).get(period.scheduleId) as { origin: string | null } | undefined;
    const own = k ? k.origin === st.stationId : db.prepare('SELECT 1 FROM recurring_schedules WHERE id = ?').get(period.scheduleId) !== undefined;
    return own ? { granted: true, via: 'own-schedule-offline' } : { granted: false, code: 'NOT_OURS_WHILE_UNREACHABLE' };
  }
}
