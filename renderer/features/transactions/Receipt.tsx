import { createPortal } from 'react-dom';
import { create } from 'zustand';
import type { OutputOf, Settings } from '../../../shared/contract';
import { formatTaxRate } from '../../../shared/money';
import { call } from '../../lib/api';
import { fmtDateTime, fmtMoney, inLocale, maskedCard } from '../../lib/format';
import { lineAmountHeading, lineNets } from '../../lib/line-amounts';
import { directionOf, ensureLanguage, i18next, intlLocale, languageOf } from '../../i18n';

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
  // Receipts print in the station's language (its settings' locale), not the clerk's.
  await ensureLanguage(languageOf(settings.locale));
  useReceipt.setState({ detail, settings, operationId });
  await nextFrame();
  await nextFrame();
  window.print();
}

/** The receipt's title per operation (catalogue 'printing', receipt.kind). */
const OP_KEY: Record<string, string> = {
  authorize: 'authorize',
  purchase: 'purchase',
  capture: 'capture',
  void: 'void',
  refund: 'refund',
  cash_sale: 'cashSale',
  cash_refund: 'cashRefund',
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
  const lng = languageOf(settings?.locale);
  const t = i18next.getFixedT(lng, 'printing');
  const kind = (type: string) => (OP_KEY[type] ? t(`printing:receipt.kind.${OP_KEY[type]}`) : type.toUpperCase());
  // Amounts, dates and digits in the station's locale too, whatever the clerk reads on screen (a
  // station locale has no digits extension: settings-fields Locale, so its digits are Latin).
  return inLocale(intlLocale(lng, 'latn'), () => (
    <article className="receipt" aria-label={t('printing:receipt.label')} lang={lng} dir={directionOf(lng)}>
      <header>
        <div className="receipt-merchant">{settings?.merchantName ?? ''}</div>
        <div>{settings?.merchantAddress ?? ''}</div>
        <div>{settings?.stationName ?? ''}</div>
      </header>
      <div className="receipt-kind">{op ? kind(op.type) : t('printing:receipt.title')}</div>
      <dl>
        <div><dt>{t('printing:receipt.date')}</dt><dd>{fmtDateTime(op?.createdAt ?? p.createdAt)}</dd></div>
        <div><dt>{t('printing:receipt.order')}</dt><dd><bdi>{order.reference}</bdi></dd></div>
        <div><dt>{t('printing:receipt.reference')}</dt><dd><bdi>{op?.reference ?? p.reference}</bdi></dd></div>
        {p.method === 'card' ? <div><dt>{t('printing:receipt.card')}</dt><dd><bdi>{maskedCard(p.brand, p.last4)}</bdi></dd></div> : <div><dt>{t('printing:receipt.paid')}</dt><dd>{t('printing:receipt.cash')}</dd></div>}
        {p.authorizationCode ? <div><dt>{t('printing:receipt.authCode')}</dt><dd><bdi>{p.authorizationCode}</bdi></dd></div> : null}
        {order.customerName ? <div><dt>{t('printing:receipt.customer')}</dt><dd><bdi>{order.customerName}</bdi></dd></div> : null}
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('printing:receipt.item')}</th>
            <th scope="col" className="num">{lineAmountHeading(lng)}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {l.quantity} &times; <bdi>{l.description}</bdi>
                <div className="receipt-small">{t('printing:receipt.unitLine', { price: fmtMoney(l.unitPrice, c), rate: formatTaxRate(l.taxRateBp) })}</div>
              </td>
              <td className="num">{fmtMoney(nets[i] ?? 0, c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <div><dt>{t('printing:receipt.net')}</dt><dd>{fmtMoney(order.net, c)}</dd></div>
        <div><dt>{t('printing:receipt.tax')}</dt><dd>{fmtMoney(order.tax, c)}</dd></div>
        <div className="receipt-grand"><dt>{t('printing:receipt.total')}</dt><dd>{fmtMoney(order.total, c)}</dd></div>
        {op && op.amount !== null && op.amount !== order.total ? (
          <div className="receipt-grand"><dt>{kind(op.type)}</dt><dd>{fmtMoney(op.amount, c)}</dd></div>
        ) : null}
        {cash ? (
          <>
            <div><dt>{t('printing:receipt.tendered')}</dt><dd>{fmtMoney(cash.tendered, c)}</dd></div>
            <div><dt>{t('printing:receipt.change')}</dt><dd>{fmtMoney(cash.change, c)}</dd></div>
          </>
        ) : null}
      </dl>
      <footer>{t('printing:receipt.thanks')}</footer>
    </article>
  ));
}
