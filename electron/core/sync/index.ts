import type { OutputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import { startTimer, type Timer } from '../clock';
import type { CoreDeps } from '../deps';
import { refreshOrderStatus } from '../orders';
import { audit, SYSTEM_ACTOR, type Actor } from '../ledger/audit-entry';
import { getOperation, queuedOf } from '../payments';
import { moveOperation } from '../payments';
import { effectiveTotals, getPaymentRow, updatePayment } from '../payments';
import type { OfflineGate, PaymentService } from '../payments';
import { tx } from '../ledger/sql';
import type { Connectivity } from './connectivity';
import { Forwarder, type ForwarderOptions } from './forwarder';
import { queueCounts, queuePage } from './queue-repo';
import { recheck } from './rules';

export { Connectivity, DEFAULT_CONNECTIVITY, type ConnectivityOptions } from './connectivity';
export { Forwarder, type ForwarderOptions } from './forwarder';

export type SyncStatus = OutputOf<'sync.status'>;

export interface SyncFeatureOptions extends ForwarderOptions {
  /** Coalesce 'sync.changed' events (forwarding 10,000 operations must not mean 10,000 events). */
  notifyMs?: number;
}

export interface SyncFeature {
  handlers: PartialHandlers;
  connectivity: Connectivity;
  forwarder: Forwarder;
  status(): SyncStatus;
  resolve(operationId: string, action: 'retry' | 'dismiss', actor: Actor): Promise<{ ok: true }>;
  /** Something the queue lists changed outside the payments path (a recurring charge failed or was resolved): tell the screen, coalesced. */
  notify(): void;
  /** After the start-up sweep: start probing and forward what is queued. */
  start(): void;
  close(): Promise<void>;
}

/**
 * The offline queue (DESIGN "Offline-first"): connectivity, the forwarder, and the sync.* channels.
 * Wires itself into the payment service as its OfflineGate: the service asks it whether to queue,
 * and tells it when something was queued.
 */
export function createSyncFeature(deps: CoreDeps, service: PaymentService, connectivity: Connectivity, opts: SyncFeatureOptions = {}): SyncFeature {
  const { db } = deps;
  const notifyMs = opts.notifyMs ?? 250;
  let closed = false;
  let notifyTimer: Timer | null = null;
  let notifyPending = false;

  const status = (): SyncStatus => ({ online: connectivity.isOnline(), forwarding: forwarder?.forwarding ?? false, ...queueCounts(db), now: deps.clock.now().toISOString() });
  const emitNow = (): void => {
    notifyPending = false;
    if (closed || !db.open) return;
    deps.events.emit('sync.changed', status());
  };
  /**
   * The first change is published at once (the top bar counts what the clerk just queued, as the
   * page does: issue #13 saw "nothing queued" beside "1 queued"); further changes within notifyMs
   * are coalesced into one more event at its end.
   */
  const changed = (): void => {
    if (closed) return;
    if (notifyTimer) {
      notifyPending = true;
      return;
    }
    emitNow();
    notifyTimer = startTimer(deps.clock, () => {
      notifyTimer = null;
      if (notifyPending) changed();
    }, notifyMs);
  };

  const forwarder: Forwarder = new Forwarder(service, connectivity, changed, opts);

  connectivity.onTransition((t) => {
    if (closed || !db.open) return;
    audit(deps, service.ports, SYSTEM_ACTOR, t.online ? 'gateway.online' : 'gateway.offline', deps.gateway.name, t.online ? 'success' : 'failure', `gateway ${t.online ? 'reachable again' : 'unreachable'} (${t.cause})`.slice(0, 500));
    deps.log.info({ online: t.online, cause: t.cause }, t.online ? 'gateway online' : 'gateway offline');
    emitNow();
    if (t.online) forwarder.kick();
  });

  const gate: OfflineGate = {
    ensureOnline: () => connectivity.ensureOnline(),
    queueChanged: () => {
      changed();
      if (connectivity.isOnline()) forwarder.kick();
    },
  };
  service.offline = gate;

  async function resolve(operationId: string, action: 'retry' | 'dismiss', actor: Actor): Promise<{ ok: true }> {
    const first = getOperation(db, operationId);
    if (!first) throw new ContractError('NOT_FOUND', 'No such operation.');
    await service.mutex.run(first.payment_id, async () => {
      const op = getOperation(db, operationId)!;
      if (op.state !== 'needs_attention') throw new ContractError('CONFLICT', coreText('refuse.queueNotWaiting'));
      const p = getPaymentRow(db, op.payment_id)!;
      const at = deps.clock.now().toISOString();
      const isCharge = op.type === 'authorize' || op.type === 'purchase';
      if (action === 'dismiss') {
        tx(db, () => {
          // Final: never forwarded, never swept. A dismissed charge closes its payment so the order can be paid again.
          moveOperation(db, op.id, 'needs_attention', 'dismiss', { responseCode: op.response_code ?? 'DISMISSED', message: `Dismissed by ${actor.name}: not sent to the gateway again. ${op.message ?? ''}`.trim().slice(0, 500), text: coreText('attention.dismissed', { name: actor.name }) }, at);
          const next = updatePayment(db, p.id, isCharge && p.authorized === 0 ? { declined: 1 } : {}, at);
          refreshOrderStatus(db, next.order_id, at);
          audit(deps, service.ports, actor, 'sync.dismiss', op.reference, 'success', `${op.type}${op.amount !== null ? ` ${op.amount} ${p.currency}` : ''} ref ${op.reference} dismissed; was: ${op.message ?? ''}`.slice(0, 500));
        });
      } else {
        if (isCharge && p.declined === 1) {
          throw new ContractError('NOT_ALLOWED', coreText('refuse.queueDeclinedCharge'));
        }
        // Re-check against the latest totals plus what is already queued ahead of it.
        const ahead = queuedOf(db, p.id).filter((q) => q.seq < op.seq);
        const check = recheck(db, { ...op, approved_by: isCharge ? actor.id : op.approved_by }, p, effectiveTotals(p, ahead), deps.clock.now(), deps.settings.get());
        if (!check.ok) throw new ContractError('NOT_ALLOWED', check.text);
        tx(db, () => {
          // A supervisor sending an old offline charge anyway is recorded as its approver.
          moveOperation(db, op.id, 'needs_attention', 'retry', { message: `Retried by ${actor.name}.`, text: coreText('attention.retried', { name: actor.name }), ...(isCharge ? { approvedBy: { id: actor.id, name: actor.name } } : {}) }, at);
          updatePayment(db, p.id, {}, at);
          audit(deps, service.ports, actor, 'sync.retry', op.reference, 'success', `${op.type}${op.amount !== null ? ` ${op.amount} ${p.currency}` : ''} ref ${op.reference} back in the queue; was: ${op.message ?? ''}`.slice(0, 500));
        });
      }
    });
    changed();
    if (action === 'retry' && connectivity.isOnline()) forwarder.kick();
    return { ok: true };
  }

  const caller = (ctx: CallContext): Actor => {
    if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
    return { id: ctx.user.id, name: ctx.user.name };
  };

  const handlers: PartialHandlers = {
    'sync.status': () => status(),
    'sync.queue': (input) => queuePage(db, input, deps.clock.now()),
    'sync.resolve': (input, ctx) => resolve(input.operationId, input.action, caller(ctx)),
  };

  return {
    handlers,
    connectivity,
    forwarder,
    status,
    resolve,
    notify: changed,
    start() {
      connectivity.start();
      forwarder.kick();
    },
    async close() {
      connectivity.close();
      await forwarder.close();
      closed = true;
      if (notifyTimer) notifyTimer.clear();
    },
  };
}

// For the other features (their only way in: this file).
export { fmtMinor } from './format';
export { declinedNextStep, declinedNextStepText } from './rules';
