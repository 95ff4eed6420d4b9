// as: electron/core/sync/fixture.ts
import { getPaymentRow } from '../payments/payments-repo'; // ✗ another feature's own file, not its face
import type { CardRow } from '../cards/cards-repo'; // ✗ a type counts too
export { toOrder } from '../orders/orders-repo'; // ✗ so does a re-export
import { createPaymentsFeature } from '../payments'; // its public face
import { usableCard } from '../cards/index'; // the face, spelled out
import { tx } from '../ledger/sql'; // the ground floor
import type { Ports } from '../ports'; // the ports, on the ground floor
import { fmtMinor } from './format'; // its own files
export async function f(): Promise<unknown> {
  return import('../orders/order-service'); // ✗ a dynamic import too
}
export const x = [getPaymentRow, createPaymentsFeature, usableCard, tx, fmtMinor];
export type Y = CardRow | Ports;
