import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { getOrderRow } from '../orders';
import type { PaymentRow } from './payments-repo';

/**
 * What the payment service needs from the offline queue (electron/core/sync). Without one the
 * service behaves as always online (tests of the payment core alone).
 */
export interface OfflineGate {
  /** False when the gateway is known to be down; may probe first when the last contact is stale. */
  ensureOnline(): Promise<boolean>;
  /** Queued work changed: publish the status and wake the forwarder. */
  queueChanged(): void;
}

export const ALWAYS_ONLINE: OfflineGate = { ensureOnline: () => Promise.resolve(true), queueChanged: () => undefined };

/**
 * May this charge go out now, or be queued (DESIGN "Offline-first")? Offline, a new card is
 * refused; a card on file only when the admin allows offline charges (their limits are checked
 * with the row, charge-record.ts). Cash never waits on the gateway. Resolves true: queue it.
 */
export async function chargeMustQueue(deps: CoreDeps, offline: OfflineGate, input: ParsedInputOf<'payments.charge'>): Promise<boolean> {
  // A currency the account does not take is refused first, online or not: waiting cannot fix it.
  const pending = input.source.kind === 'new_card' ? getOrderRow(deps.db, input.orderId) : undefined;
  if (pending) deps.accounts?.checkCurrency(pending.currency);
  if (input.source.kind === 'cash' || (await offline.ensureOnline())) return false;
  if (input.source.kind === 'new_card') throw new ContractError('OFFLINE_NEW_CARD', coreText('refuse.offlineNewCard'));
  if (!deps.settings.get().offlineCharges.enabled) throw new ContractError('GATEWAY_UNREACHABLE', coreText('refuse.offlineChargesOff'));
  return true;
}

/**
 * Whether a maintenance operation on this payment goes to the offline queue instead of the wire:
 * when the gateway is down, and also when the payment already has queued work (it goes out in
 * order, after what is waiting).
 */
export async function maintenanceMustQueue(offline: OfflineGate, p: PaymentRow): Promise<boolean> {
  if (p.method !== 'card') return false;
  if (p.queued > 0) return true;
  return !(await offline.ensureOnline());
}
