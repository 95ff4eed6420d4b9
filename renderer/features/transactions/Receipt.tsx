import { createPortal } from 'react-dom';
import { create } from 'zustand';
import type { OutputOf, Settings } from '../../../shared/contract';
import { formatTaxRate } from '../../../shared/money';
import { call } from '../../lib/api';
import { fmtDateTime, fmtMoney, maskedCard } from '../../lib/format';
import { LINE_AMOUNT_HEADING, lineNets } from '../../lib/line-amounts';

type Detail = OutputOf<'payments.get'>;

interface ReceiptState {
  detail: Detail | null;
  settings: Settings | null;
  operationId: string | null;
}

const useReceipt = create<ReceiptState>(() => ({ detail: null, settings: null, operationId: null }));

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Loads the payment and the merchant's details, renders the receipt, prints only the receipt. */
export async function printReceipt(paymentId: string, operationId: string | null = null): Promise<void> {
  const [detail, settings] = await Promise.all([call('payments.get', { paymentId }), call('settings.get', {})]);
  useReceipt.setState({ detail, settings, operationId });
  await nextFrame();
  await nextFrame();
  window.print();
}

const OP_LABEL: Record<string, string> = {
  authorize: 'AUTHORIZATION',
  purchase: 'SALE',
  capture: 'CAPTURE',
  void: 'VOID',
  refund: 'REFUND',
  cash_sale: 'CASH SALE',
  cash_refund: 'CASH REFUND',
};

export function ReceiptPortal() {
  const { detail, settings, operationId } = useReceipt();
  const root = document.getElementById('print-root');
  if (!root || !detail) return null;
  return createPortal(<Receipt detail={detail} settings={settings} operationId={operationId} />, root);
}

export function Receipt({ detail, settings, operationId }: { detail: Detail; settings: Settings | null; operationId: string | null }) {
  const { payment: p, order, operations, cash } = detail;
  const ok = operations.filter((o) => o.state === 'succeeded');
  const op = (operationId ? operations.find((o) => o.id === operationId) : null) ?? ok[ok.length - 1] ?? operations[0];
  const c = p.currency;
  const nets = lineNets(c, order.lines);
  return (
    <article className="receipt" aria-label="Receipt">
      <header>
        <div className="receipt-merchant">{settings?.merchantName ?? ''}</div>
        <div>{settings?.merchantAddress ?? ''}</div>
        <div>{settings?.stationName ?? ''}</div>
      </header>
      <div className="receipt-kind">{op ? OP_LABEL[op.type] ?? op.type.toUpperCase() : 'RECEIPT'}</div>
      <dl>
        <div><dt>Date</dt><dd>{fmtDateTime(op?.createdAt ?? p.createdAt)}</dd></div>
        <div><dt>Order</dt><dd>{order.reference}</dd></div>
        <div><dt>Reference</dt><dd>{op?.reference ?? p.reference}</dd></div>
        {p.method === 'card' ? <div><dt>Card</dt><dd>{maskedCard(p.brand, p.last4)}</dd></div> : <div><dt>Paid</dt><dd>Cash</dd></div>}
        {p.authorizationCode ? <div><dt>Auth code</dt><dd>{p.authorizationCode}</dd></div> : null}
        {order.customerName ? <div><dt>Customer</dt><dd>{order.customerName}</dd></div> : null}
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">{LINE_AMOUNT_HEADING}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {l.quantity} &times; {l.description}
                <div className="receipt-small">
                  @ {fmtMoney(l.unitPrice, c)} &middot; tax {formatTaxRate(l.taxRateBp)}
                </div>
              </td>
              <td className="num">{fmtMoney(nets[i] ?? 0, c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <div><dt>Net</dt><dd>{fmtMoney(order.net, c)}</dd></div>
        <div><dt>Tax</dt><dd>{fmtMoney(order.tax, c)}</dd></div>
        <div className="receipt-grand"><dt>Total</dt><dd>{fmtMoney(order.total, c)}</dd></div>
        {op && op.amount !== null && op.amount !== order.total ? (
          <div className="receipt-grand"><dt>{OP_LABEL[op.type] ?? op.type}</dt><dd>{fmtMoney(op.amount, c)}</dd></div>
        ) : null}
        {cash ? (
          <>
            <div><dt>Tendered</dt><dd>{fmtMoney(cash.tendered, c)}</dd></div>
            <div><dt>Change</dt><dd>{fmtMoney(cash.change, c)}</dd></div>
          </>
        ) : null}
      </dl>
      <footer>Thank you</footer>
    </article>
  );
}
