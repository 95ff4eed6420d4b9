/**
 * Test support (not a test file): the payments harness plus connectivity and the forwarder, wired
 * as electron/core/app.ts wires them, with short timers.
 */
import { expect } from 'vitest';
import { ContractError } from '../../../shared/contract';
import type { Gateway } from '../../gateway/types';
import { startHarness, type Harness, type HarnessOptions } from '../payments/test-harness';
import { Connectivity, type ConnectivityOptions } from './connectivity';
import { createSyncFeature, type SyncFeature, type SyncFeatureOptions } from './index';

export interface SyncHarness {
  h: Harness;
  readonly sync: SyncFeature;
  /** The gateway without observation (a second desk acting at the gateway behind our back). */
  readonly raw: Gateway;
  /** Sandbox down + connectivity told so (a probe), so the next operation is queued deterministically. */
  goOffline(): Promise<void>;
  goOnline(): Promise<void>;
  /** Waits until the forwarder has nothing it can send. */
  drained(timeoutMs?: number): Promise<void>;
  /** Stops everything, reopens the ledger, runs the start-up sweep, starts sync again. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const FAST_SYNC: ConnectivityOptions & SyncFeatureOptions = {
  probeMinMs: 20,
  probeMaxMs: 200,
  onlineProbeMs: 2_000,
  staleMs: 500,
  notifyMs: 10,
  resolveDelaysMs: [0, 50, 200, 700],
  passDelayMs: { min: 50, max: 500 },
};

export async function startSyncHarness(opts: HarnessOptions & { sync?: ConnectivityOptions & SyncFeatureOptions } = {}): Promise<SyncHarness> {
  const h = await startHarness(opts);
  const raw = h.deps.gateway;
  const attach = (): SyncFeature => {
    const conn = new Connectivity(h.deps.gateway, { ...FAST_SYNC, ...opts.sync });
    h.deps.gateway = conn.gateway;
    const s = createSyncFeature(h.deps, h.feature.service, conn, { ...FAST_SYNC, ...opts.sync });
    s.start();
    return s;
  };
  let sync = attach();
  await sync.connectivity.probe();
  const sh: SyncHarness = {
    h,
    get sync() {
      return sync;
    },
    raw,
    async goOffline() {
      h.sb.control.setReachable(false);
      expect(await sync.connectivity.probe()).toBe(false);
    },
    async goOnline() {
      h.sb.control.setReachable(true);
      expect(await sync.connectivity.probe()).toBe(true);
    },
    async drained(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await sync.forwarder.idle();
        await h.feature.service.settle();
        const open = h.db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE state IN ('queued', 'pending', 'sent', 'unknown')`).get() as { n: number };
        if (open.n === 0 || !sync.connectivity.isOnline()) return;
        if (Date.now() > until) throw new Error(`queue not drained: ${open.n} operations open`);
        await new Promise((r) => setTimeout(r, 25));
        if (!sync.forwarder.forwarding) sync.forwarder.kick();
      }
    },
    async restart() {
      await sync.close();
      await h.restart();
      await h.feature.recover();
      sync = attach();
    },
    async close() {
      await sync.close();
      await h.close();
    },
  };
  return sh;
}

export async function expectCode(p: Promise<unknown>, code: string): Promise<ContractError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe(code);
    return e as ContractError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const lines = (unitPrice: number) => [{ description: 'Widget', quantity: 1, unitPrice, taxRateBp: 0 }];

export async function newOrder(h: Harness, amount: number, customerId?: string) {
  return h.call('orders.create', {
    channel: 'phone',
    currency: 'USD',
    lines: lines(amount),
    ...(customerId ? { customerId } : { newCustomer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '' } }),
  });
}

/** A captured (purchase) or authorized payment through the real hosted page and service. */
export async function cardPayment(h: Harness, amount: number, mode: 'purchase' | 'authorize', save = false) {
  const order = await newOrder(h, amount);
  const handle = await h.hostedCard();
  const r = await h.call('payments.charge', { orderId: order.id, mode, source: { kind: 'new_card', handle, save } });
  expect(r.outcome).toBe('approved');
  return { order, payment: r.payment, card: r.cardSaved };
}

export function approval(h: Harness) {
  return { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin };
}
