import { ContractError, type ReceiptModel, type ReceiptTender, type Settings } from '../../../shared/contract';
import { orderTotals } from '../../../shared/domain/order-totals';
import type { Db } from '../db/database';
import { getOrderRow, toOrder } from '../orders';
import { getPaymentWithOrder, paymentsOfOrder, type PaymentRow } from '../payments';

/** Only ever four digits of a card on paper; anything else recorded as last4 is left off. */
function last4Of(v: string | null): string | null {
  return v && /^\d{4}$/.test(v) ? v : null;
}

/**
 * A payment is a tender of its order once money moved or is held: captured (a sale, a capture, a
 * cash sale) or authorized and not voided. Declined, voided-before-capture and still-unknown
 * payments are not on the receipt.
 */
function isTender(p: PaymentRow): boolean {
  if (p.declined === 1) return false;
  if (p.captured > 0) return true;
  return p.authorized > 0 && p.voided === 0;
}

export function toTender(p: PaymentRow): ReceiptTender {
  const cash = p.method === 'cash';
  return {
    paymentId: p.id,
    method: p.method,
    amount: p.captured > 0 ? p.captured : p.authorized,
    brand: cash ? null : p.brand,
    last4: cash ? null : last4Of(p.last4),
    authorizationCode: cash ? null : p.authorization_code,
    reference: p.reference,
    gatewayReference: cash ? null : p.fort_id,
    // Cash: tendered and change as recorded at the sale (null when the clerk did not say).
    tendered: cash ? p.tendered : null,
    change: cash ? p.change_due : null,
    refunded: p.refunded,
  };
}

/**
 * The receipt of the order a payment belongs to, from the ledger: the shop's header from the
 * station settings, the lines with their net, the totals, and every tender of the order (one
 * per payment, in the order they were taken).
 */
export function buildReceiptModel(db: Db, paymentId: string, settings: Pick<Settings, 'merchantName' | 'merchantAddress' | 'stationName'>): ReceiptModel {
  const p = getPaymentWithOrder(db, paymentId);
  if (!p) throw new ContractError('NOT_FOUND', 'No such payment.');
  const order = toOrder(getOrderRow(db, p.order_id)!);
  const tenders = paymentsOfOrder(db, order.id).filter(isTender).map(toTender);
  const nets = orderTotals(order.currency, order.lines).lines.map((l) => l.net.amount);
  const times = paymentsOfOrder(db, order.id).filter(isTender).map((t) => t.created_at).sort();
  return {
    shop: { name: settings.merchantName, address: settings.merchantAddress ?? '', station: settings.stationName },
    orderId: order.id,
    orderReference: order.reference,
    at: times[times.length - 1] ?? order.createdAt,
    currency: order.currency,
    customerName: order.customerName,
    lines: order.lines.map((l, i) => ({ ...l, amount: nets[i] ?? 0 })),
    net: order.net,
    tax: order.tax,
    total: order.total,
    tenders,
  };
}
