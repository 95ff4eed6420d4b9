import type { ReceiptModel } from '../../../shared/contract';

/** A receipt of two lines paid by cash and card (an English shop; one Arabic item name), for layout tests. */
export const sampleReceipt = (over: Partial<ReceiptModel> = {}): ReceiptModel => ({
  shop: { name: 'Sandbox Trading Co.', address: '1 Market Street\nSpringfield', station: 'Counter 1' },
  orderId: 'o1', orderReference: 'D1-42', at: '2026-03-10T10:05:00.000Z', currency: 'KWD', customerName: null,
  lines: [{ description: 'Reading lamp', quantity: 2, unitPrice: 4_250, taxRateBp: 0, amount: 8_500 }, { description: 'طاولة', quantity: 1, unitPrice: 12_500, taxRateBp: 500, amount: 12_500 }],
  net: 21_000, tax: 625, total: 21_625,
  tenders: [
    { paymentId: 'p1', method: 'cash', amount: 10_000, brand: null, last4: null, authorizationCode: null, reference: 'D1-42-P1', gatewayReference: null, tendered: 20_000, change: 10_000, refunded: 0 },
    { paymentId: 'p2', method: 'card', amount: 11_625, brand: 'VISA', last4: '0001', authorizationCode: '123456', reference: 'D1-42-P2', gatewayReference: '176000000000000012', tendered: null, change: null, refunded: 0 },
  ],
  ...over,
});
