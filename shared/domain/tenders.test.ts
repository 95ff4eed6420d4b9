import { describe, expect, it } from 'vitest';
import { countTender, orderCover, planOrderRefund, planTender, type TenderFacts } from './tenders';

const now = new Date('2026-03-10T12:00:00Z');
const later = new Date(now.getTime() + 3 * 24 * 3600 * 1000).toISOString();
const past = new Date(now.getTime() - 1000).toISOString();
const cash = (amount: number): TenderFacts => ({ method: 'cash', kind: 'cash', amount, authorized: amount, captured: amount, refunded: 0, voided: false, declined: false, openOps: 0, queued: 0, expiresAt: null });
const sale = (amount: number, over: Partial<TenderFacts> = {}): TenderFacts => ({ method: 'card', kind: 'purchase', amount, authorized: amount, captured: amount, refunded: 0, voided: false, declined: false, openOps: 0, queued: 0, expiresAt: null, ...over });
const auth = (amount: number, over: Partial<TenderFacts> = {}): TenderFacts => sale(amount, { kind: 'authorization', captured: 0, expiresAt: later, ...over });

describe('what a tender counts toward its order', () => {
  it('cash and an approved card count their amount; declined and voided count nothing', () => {
    expect(countTender(cash(500), now)).toMatchObject({ standing: 'stands', counted: 500 });
    expect(countTender(sale(700), now)).toMatchObject({ standing: 'stands', counted: 700 });
    expect(countTender(sale(700, { authorized: 0, captured: 0, declined: true }), now)).toMatchObject({ standing: 'void', counted: 0, held: 0 });
    expect(countTender(auth(700, { voided: true }), now)).toMatchObject({ standing: 'void', counted: 0 });
  });

  it('a card whose outcome is unknown (or queued offline) holds its amount back: never tendered twice', () => {
    expect(countTender(sale(700, { authorized: 0, captured: 0, openOps: 1 }), now)).toMatchObject({ standing: 'in_doubt', counted: 0, held: 700 });
    expect(countTender(sale(700, { authorized: 0, captured: 0, queued: 1 }), now)).toMatchObject({ standing: 'in_doubt', held: 700 });
  });

  it('an authorization counts until it lapses; after, only what was captured', () => {
    expect(countTender(auth(900), now)).toMatchObject({ standing: 'stands', counted: 900, uncaptured: 900 });
    expect(countTender(auth(900, { expiresAt: past }), now)).toMatchObject({ standing: 'void', counted: 0 });
    expect(countTender(auth(900, { captured: 400, expiresAt: past }), now)).toMatchObject({ standing: 'stands', counted: 400, uncaptured: 0 });
  });

  it('a refund does not reopen the order', () => {
    expect(countTender(sale(700, { refunded: 700 }), now).counted).toBe(700);
  });
});

describe('orderCover: the one "remaining" figure and the order state', () => {
  it('cash + card cover the order: paid', () => {
    expect(orderCover(1000, [cash(400), sale(600)], now)).toEqual({ total: 1000, counted: 1000, inDoubt: 0, remaining: 0, covered: true, state: 'paid' });
  });
  it('a declined card in the middle leaves the cash and the right remaining', () => {
    expect(orderCover(1000, [cash(400), sale(600, { authorized: 0, captured: 0, declined: true })], now)).toMatchObject({ counted: 400, remaining: 600, covered: false, state: 'awaiting_payment' });
  });
  it('an unknown card is held back from what remains and the order is not paid', () => {
    expect(orderCover(1000, [cash(400), sale(600, { authorized: 0, captured: 0, openOps: 1 })], now)).toMatchObject({ counted: 400, inDoubt: 600, remaining: 0, covered: false, state: 'awaiting_payment' });
  });
  it('covered by an authorization not captured: authorized, as before split tender', () => {
    expect(orderCover(1000, [auth(1000)], now).state).toBe('authorized');
    expect(orderCover(1000, [cash(200), auth(800)], now).state).toBe('authorized');
    expect(orderCover(1000, [auth(1000, { captured: 300 })], now).state).toBe('paid');
  });
  it('a lapsed authorization reopens what it had not captured', () => {
    expect(orderCover(1000, [cash(200), auth(800, { expiresAt: past })], now)).toMatchObject({ remaining: 800, state: 'awaiting_payment' });
  });
});

describe('planTender', () => {
  const open = (remaining: number, inDoubt = 0) => ({ remaining, inDoubt });
  it('defaults to what remains', () => {
    expect(planTender(open(600), { method: 'card' })).toEqual({ ok: true, amount: 600, tendered: null, change: null });
    expect(planTender(open(600), { method: 'cash', tendered: 1000 })).toEqual({ ok: true, amount: 600, tendered: 1000, change: 400 });
  });
  it('refuses a card above what remains; takes cash above it as tendered with change', () => {
    expect(planTender(open(600), { method: 'card', amount: 601 })).toMatchObject({ ok: false, code: 'VALIDATION', field: 'amount' });
    expect(planTender(open(600), { method: 'cash', amount: 1000 })).toEqual({ ok: true, amount: 600, tendered: 1000, change: 400 });
    expect(planTender(open(600), { method: 'cash', amount: 250, tendered: 300 })).toEqual({ ok: true, amount: 250, tendered: 300, change: 50 });
  });
  it('refuses cash tendered below the amount, a zero amount, and any tender once nothing remains', () => {
    expect(planTender(open(600), { method: 'cash', amount: 500, tendered: 400 })).toMatchObject({ ok: false, field: 'tendered' });
    expect(planTender(open(600), { method: 'card', amount: 0 })).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(planTender(open(0), { method: 'cash', tendered: 100 })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(planTender(open(0, 600), { method: 'card' })).toMatchObject({ ok: false, code: 'CONFLICT', reason: expect.stringMatching(/being checked/) });
  });
});

describe('planOrderRefund', () => {
  const tenders = [{ id: 'cash', refundable: 400 }, { id: 'card1', refundable: 300 }, { id: 'card2', refundable: 300 }];
  it('the last tender first, then the one before', () => {
    expect(planOrderRefund(tenders, 200)).toEqual([{ id: 'card2', amount: 200 }]);
    expect(planOrderRefund(tenders, 500)).toEqual([{ id: 'card2', amount: 300 }, { id: 'card1', amount: 200 }]);
    expect(planOrderRefund(tenders, 1000)).toEqual([{ id: 'card2', amount: 300 }, { id: 'card1', amount: 300 }, { id: 'cash', amount: 400 }]);
  });
  it('only the tender chosen; null when the tenders cannot give that much back', () => {
    expect(planOrderRefund(tenders, 400, 'cash')).toEqual([{ id: 'cash', amount: 400 }]);
    expect(planOrderRefund(tenders, 401, 'cash')).toBeNull();
    expect(planOrderRefund(tenders, 1001)).toBeNull();
    expect(planOrderRefund(tenders, 0)).toBeNull();
  });
});
