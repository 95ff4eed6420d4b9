import type { OffsetClock } from './clock';
import type { FaultRegistry } from './faults';
import { isAuthorizationExpired, orderStatus } from './rules';
import type { OrderRow, Store } from './store';
import type { FaultSpec, SandboxControl, SandboxOrder } from './types';

/** The programmatic test controls (SandboxControl) over the live sandbox state. */

export interface ControlState {
  reachable: boolean;
}

export function toSandboxOrder(store: Store, row: OrderRow, nowMs: number): SandboxOrder {
  return {
    merchantIdentifier: row.merchant_identifier,
    merchantReference: row.merchant_reference,
    fortId: row.fort_id,
    command: row.command,
    eci: row.eci,
    currency: row.currency,
    amount: row.amount,
    authorizedAmount: row.authorized_amount,
    capturedAmount: row.captured_amount,
    refundedAmount: row.refunded_amount,
    status: orderStatus(row),
    authorizationExpired: isAuthorizationExpired(row, nowMs),
    tokenName: row.token_name,
    maskedCard: row.masked_card,
    paymentOption: row.payment_option,
    ...(row.authorization_code ? { authorizationCode: row.authorization_code } : {}),
    createdAt: new Date(row.created_at_ms).toISOString(),
    operations: store.operationsOf(row.id).map((op) => ({
      kind: op.kind,
      amount: op.amount,
      applied: op.applied === 1,
      status: op.status,
      responseCode: op.response_code,
      responseMessage: op.response_message,
      ...(op.maintenance_reference ? { maintenanceReference: op.maintenance_reference } : {}),
      createdAt: new Date(op.created_at_ms).toISOString(),
    })),
  };
}

export function createControl(store: Store, clock: OffsetClock, faults: FaultRegistry, state: ControlState): SandboxControl {
  return {
    injectFault: (f: FaultSpec) => faults.inject(f),
    clearFaults: () => faults.clear(),
    setReachable: (reachable: boolean) => {
      state.reachable = reachable;
    },
    clock,
    orders: (merchantIdentifier?: string) =>
      store.listOrders(merchantIdentifier).map((row) => toSandboxOrder(store, row, clock.nowMs())),
    order: (merchantReference: string, merchantIdentifier?: string) => {
      const row = store.listOrders(merchantIdentifier, merchantReference)[0];
      return row ? toSandboxOrder(store, row, clock.nowMs()) : undefined;
    },
    operationCount: () => store.appliedOperationCount(),
  };
}
