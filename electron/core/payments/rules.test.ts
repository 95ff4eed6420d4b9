import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { isCardExpired } from '../cards/cards-repo';
import { KeyedMutex } from './mutex';
import { orderReference, paymentReference, REFERENCE_PATTERN, refundReference, stationPrefix, tokenizationReference } from '../ledger/references';
import { judge } from './resolution';
import { newId } from '../ledger/sql';
import { startHarness } from './test-harness';

describe('references', () => {
  it('are station-prefixed, ≤ 40 chars of the APS charset, and derived for payments and refunds', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    const o = orderReference('Desk 1 — Front', now);
    expect(o).toMatch(/^Desk1Fro-20261121-[0-9A-HJKMNP-TV-Z]{6}$/);
    const p = paymentReference(o, 3);
    expect(p).toBe(`${o}-P3`);
    expect(refundReference(p, 12)).toBe(`${p}-R12`);
    for (const r of [o, p, refundReference(p, 999), tokenizationReference('D1', now)]) expect(r).toMatch(REFERENCE_PATTERN);
    expect(stationPrefix('é ü')).toBe('POS');
    const many = new Set(Array.from({ length: 2000 }, () => orderReference('D1', now)));
    expect(many.size).toBe(2000);
    expect(newId('pay')).toMatch(/^pay_[A-Za-z0-9_-]{16}$/);
  });
});

describe('card expiry (YYMM, valid through the end of the month)', () => {
  it('is decided by the clock', () => {
    expect(isCardExpired('2611', new Date('2026-11-30T23:59:59Z'))).toBe(false);
    expect(isCardExpired('2611', new Date('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isCardExpired('2613', new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('KeyedMutex', () => {
  it('runs one task per key at a time, keys independently, and survives a failing task', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const task = (k: string, id: string, ms: number, fail = false) =>
      m.run(k, async () => {
        log.push(`${id}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${id}-`);
        if (fail) throw new Error('x');
      });
    await Promise.allSettled([task('a', 'a1', 20, true), task('a', 'a2', 5), task('b', 'b1', 1)]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });
});

describe('judging an unknown outcome from check status', () => {
  const found = (a: number, c: number, r: number, s = '04') => ({ found: true, authorizedAmount: a, capturedAmount: c, refundedAmount: r, transactionStatus: s });
  const none = { found: false, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0 };
  const local = { captured: 1000, refunded: 0 };
  it('charges: by the reference itself', () => {
    expect(judge({ type: 'purchase', amount: 500 }, local, none)).toBe('not_happened');
    expect(judge({ type: 'authorize', amount: 500 }, local, found(500, 0, 0, '02'))).toBe('happened');
    expect(judge({ type: 'purchase', amount: 500 }, local, found(0, 0, 0, '13'))).toBe('declined');
    expect(judge({ type: 'purchase', amount: 500 }, local, found(500, 500, 0, '15'))).toBe('undetermined');
  });
  it('captures: by the running total', () => {
    expect(judge({ type: 'capture', amount: 300 }, local, found(2000, 1300, 0))).toBe('happened');
    expect(judge({ type: 'capture', amount: 300 }, local, found(2000, 1000, 0, '05'))).toBe('not_happened');
    expect(judge({ type: 'capture', amount: 300 }, local, none)).toBe('undetermined');
    // Totals moved by something else than this capture (another desk captured 100; the gateway
    // counts less than we do): no proof either way, never a resend.
    expect(judge({ type: 'capture', amount: 300 }, local, found(2000, 1100, 0))).toBe('undetermined');
    expect(judge({ type: 'capture', amount: 300 }, local, found(2000, 900, 0))).toBe('undetermined');
    expect(judge({ type: 'capture', amount: 300 }, local, found(2000, 1600, 0))).toBe('happened');
  });
  it('refunds: by maintenance reference; voids: by the last status', () => {
    expect(judge({ type: 'refund', amount: 300 }, local, none)).toBe('not_happened');
    expect(judge({ type: 'refund', amount: 300 }, local, found(2000, 1000, 300, '06'))).toBe('happened');
    expect(judge({ type: 'refund', amount: 300 }, local, found(2000, 1000, 0, '07'))).toBe('declined');
    expect(judge({ type: 'void', amount: null }, local, found(2000, 0, 0, '08'))).toBe('happened');
    expect(judge({ type: 'void', amount: null }, local, found(2000, 0, 0, '02'))).toBe('not_happened');
  });
});

describe('more refusals (each changes nothing)', () => {
  it('covers orders, charges and the hosted return', async () => {
    const h = await startHarness();
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof ContractError) return e.code;
        throw e;
      }
      return 'OK';
    };
    try {
      const count = () => (h.db.prepare('SELECT (SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM payments) + (SELECT COUNT(*) FROM operations) AS n').get() as { n: number }).n;
      const line = [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }];
      let before = count();
      expect(await code(h.call('orders.create', { channel: 'phone', currency: 'USD', customerId: 'nope', lines: line }))).toBe('NOT_FOUND');
      expect(await code(h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'x', quantity: 1, unitPrice: 0, taxRateBp: 0 }] }))).toBe('VALIDATION');
      expect(await code(h.call('orders.get', { id: 'nope' }))).toBe('NOT_FOUND');
      expect(await code(h.call('payments.get', { paymentId: 'nope' }))).toBe('NOT_FOUND');
      expect(count()).toBe(before);

      const anon = await h.call('orders.create', { channel: 'counter', currency: 'USD', lines: line });
      const handle = await h.hostedCard();
      before = count();
      expect(await code(h.call('payments.charge', { orderId: anon.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } }))).toBe('VALIDATION');
      expect(await code(h.call('payments.charge', { orderId: anon.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: 'nope' } }))).toBe('NOT_FOUND');
      expect(count()).toBe(before);
      const paid = await h.call('payments.charge', { orderId: anon.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
      expect(paid.outcome).toBe('approved');
      before = count();
      expect(await code(h.call('payments.charge', { orderId: anon.id, mode: 'purchase', source: { kind: 'cash', tendered: 100 } }))).toBe('CONFLICT');
      expect(await code(h.call('payments.void', { paymentId: paid.payment.id }))).toBe('VOID_NOT_ALLOWED');
      expect(await code(h.call('payments.capture', { paymentId: paid.payment.id, amount: 1 }))).toBe('AMOUNT_EXCEEDS_AUTHORIZED');
      expect(count()).toBe(before);

      // hosted return: unknown session, forged signature, failed tokenization
      expect((await h.feature.acceptHostedReturn({ merchant_reference: 'D1-T-nope', status: '18' })).ok).toBe(false);
      const form = await h.call('payments.hostedForm', {});
      const forged = await h.feature.acceptHostedReturn({ ...form.fields, status: '18', response_code: '18000', token_name: 'stolen', card_number: '400555******0001', expiry_date: '3005', signature: 'bad' });
      expect(forged.ok).toBe(false);
      expect((await h.call('payments.hostedResult', { sessionId: form.sessionId })).state).toBe('waiting');
      await expect(h.hostedCard({ number: '4000000000000127' })).rejects.toThrow();
    } finally {
      await h.close();
    }
  });
});
