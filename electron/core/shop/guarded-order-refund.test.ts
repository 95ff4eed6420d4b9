import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import type { CallContext, Handlers } from '../context';
import { guardPaymentActions } from './guarded-handlers';
import type { PaymentGuard } from './payment-guard';

// Split tender in a shop: orders.refund may touch several payments, so it runs with the lease of
// every tender that can give money back (docs/decisions/split-tender.md).
const ctx = { sessionKey: 'k', origin: 'test', user: { id: 'u', name: 'U', role: 'supervisor' } } as CallContext;
const tender = (paymentId: string, refundable: number) => ({ paymentId, refundable });

function setup(refuse: string | null) {
  const log: string[] = [];
  const guard = {
    acquire: (id: string) => {
      log.push(`acquire ${id}`);
      if (id === refuse) return Promise.resolve({ allowed: false, code: 'HELD_ELSEWHERE', message: 'Another desk is working on this payment.' });
      return Promise.resolve({ allowed: true, via: 'lease', release: () => (log.push(`release ${id}`), Promise.resolve()) });
    },
  } as unknown as PaymentGuard;
  const handlers = {
    'orders.tenders': () => ({ tenders: [tender('p1', 500), tender('p2', 0), tender('p3', 300)] }),
    'orders.refund': () => (log.push('refund'), { parts: [], tenders: {} }),
  } as unknown as Handlers;
  return { log, h: guardPaymentActions(handlers, () => guard) };
}

describe('orders.refund in a shop', () => {
  it('takes the lease of every tender that can give money back, refunds, then gives them all back', async () => {
    const { log, h } = setup(null);
    await h['orders.refund']({ orderId: 'o', amount: 100, reason: 'r' }, ctx);
    expect(log).toEqual(['acquire p1', 'acquire p3', 'refund', 'release p3', 'release p1']);
  });

  it('only the chosen tender when one is chosen', async () => {
    const { log, h } = setup(null);
    await h['orders.refund']({ orderId: 'o', amount: 100, reason: 'r', paymentId: 'p3' }, ctx);
    expect(log).toEqual(['acquire p3', 'refund', 'release p3']);
  });

  it('refuses, sending nothing, when one lease cannot be had; the leases taken are given back', async () => {
    const { log, h } = setup('p3');
    await expect(h['orders.refund']({ orderId: 'o', amount: 100, reason: 'r' }, ctx)).rejects.toBeInstanceOf(ContractError);
    expect(log).toEqual(['acquire p1', 'acquire p3', 'release p1']);
  });
});
