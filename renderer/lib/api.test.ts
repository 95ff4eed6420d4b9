import { describe, expect, it } from 'vitest';
import { channels, type ChannelName, type PosApi } from '../../shared/contract';
import { LEAVES_PAYMENTS_ALONE, call, onPaymentsStamp, paymentsStamp } from './api';

/** Writes of other records than payments, orders and operations, made by the desk on its own. */
const WRITES_BESIDE_PAYMENTS: ChannelName[] = ['payments.hostedForm'];

describe('which calls move the payments stamp', () => {
  it('lists only channels the contract has, each a read or a known write beside the payments', () => {
    for (const name of LEAVES_PAYMENTS_ALONE) {
      expect(channels[name], name).toBeDefined();
      if (!WRITES_BESIDE_PAYMENTS.includes(name)) expect(channels[name].mutates, name).toBe(false);
    }
    // Every channel that changes a payment is outside the list.
    for (const name of ['payments.capture', 'payments.refund', 'payments.void', 'payments.charge', 'bulk.start', 'sync.resolve'] as const) {
      if (channels[name as ChannelName]) expect(LEAVES_PAYMENTS_ALONE.has(name as ChannelName), name).toBe(false);
    }
  });

  it('a read leaves it; a write moves it, answered or refused, and tells the listeners', async () => {
    const answers: Record<string, unknown> = {
      'payments.list': { ok: true, value: { rows: [], nextCursor: null, total: 0 } },
      'payments.capture': { ok: false, error: { code: 'NOT_ALLOWED', message: 'no' } },
      'payments.void': { ok: true, value: {} },
    };
    const pos = new Proxy({}, {
      get: (_, area: string) => new Proxy({}, { get: (__, action: string) => () => Promise.resolve(answers[`${area}.${action}`]) }),
    }) as unknown as PosApi;
    (globalThis as { window?: unknown }).window = { pos };
    let heard = 0;
    const off = onPaymentsStamp(() => heard++);
    const before = paymentsStamp();
    await call('payments.list', { limit: 10 });
    expect(paymentsStamp()).toBe(before);
    await expect(call('payments.capture', { paymentId: 'p1', amount: 1 })).rejects.toThrow('no');
    expect(paymentsStamp()).toBe(before + 1);
    await call('payments.void', { paymentId: 'p1' });
    expect(paymentsStamp()).toBe(before + 2);
    expect(heard).toBe(2);
    off();
  });
});
