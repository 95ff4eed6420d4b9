import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayInputRefused, type Gateway } from '../../gateway/types';
import { startHarness, type Harness } from './test-harness';

/**
 * The core reads a gateway's errors by their neutral kind (electron/gateway/types.ts), never by an
 * adapter's class or name: any adapter that refuses input before sending gets a clean refusal,
 * and anything else thrown stays "maybe sent" (UNKNOWN), never a failure.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function chargeWith(purchase: Gateway['purchase']) {
  const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Widget', quantity: 1, unitPrice: 1_000, taxRateBp: 0 }] });
  const handle = await h.hostedCard();
  const gateway = h.deps.gateway;
  const real = gateway.purchase.bind(gateway);
  gateway.purchase = purchase;
  try {
    return await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
  } finally {
    gateway.purchase = real;
  }
}

describe('gateway errors by kind, not by adapter', () => {
  it('an input refusal of any adapter is a refusal: nothing sent, the payment declined', async () => {
    const sent = h.sb.control.operationCount();
    const r = await chargeWith(() => Promise.reject(new GatewayInputRefused('BAD_FORMAT', 'customer_email', 'not an address')));
    expect(r.outcome).toBe('declined');
    expect(r.message).toMatch(/Refused before sending: customer_email: not an address/);
    expect(h.sb.control.operationCount()).toBe(sent);
  });

  it('any other error may have been sent: the outcome is unknown, never a failure', async () => {
    const r = await chargeWith(() => Promise.reject(new Error('socket hang up')));
    expect(r.outcome).toBe('unknown');
  });
});
