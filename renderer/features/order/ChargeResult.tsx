import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTHORIZATION_DAYS } from '../../../shared/contract/limits';
import { call } from '../../lib/api';
import { counted, fmtMoney, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useNav } from '../../app/nav-store';
import { printReceipt } from '../transactions/Receipt';
import { SaleReceipt } from '../printing/ReceiptPrinting';
import { useOrder, type OrderResult } from './order-store';
import { declineReason } from './decline-reason';
import { TenderList } from '../tenders/TenderList';

const SEP = ' · ';
const DELAYS = [1500, 2500, 4000, 6000, 10000];

/** Asks the bank until an unknown outcome is known; the panel updates by itself. */
function useResolveUnknown(result: OrderResult) {
  const setResult = useOrder((s) => s.setResult);
  useEffect(() => {
    if (!result.resolving) return;
    const delay = DELAYS[Math.min(result.checks, DELAYS.length - 1)] ?? 10000;
    const t = setTimeout(async () => {
      const current = useOrder.getState().result;
      if (!current || current.payment.id !== result.payment.id) return;
      try {
        const r = await call('payments.checkStatus', { paymentId: result.payment.id });
        const status = r.detail.payment.status;
        if (status === 'unknown' || status === 'pending') {
          setResult({ ...current, payment: r.detail.payment, checks: current.checks + 1 });
        } else {
          const charge = r.detail.operations.find((o) => o.type === 'authorize' || o.type === 'purchase');
          setResult({
            ...current,
            outcome: status === 'declined' ? 'declined' : 'approved',
            message: r.message,
            text: status === 'declined' && charge ? { key: 'outcome.chargeDeclined', params: { bank: { responseCode: charge.responseCode, message: charge.message ?? '' } } } : r.text,
            payment: r.detail.payment,
            resolving: false,
          });
        }
      } catch {
        setResult({ ...current, checks: current.checks + 1 });
      }
    }, delay);
    return () => clearTimeout(t);
  }, [result, setResult]);
}

export function ChargeResultPanel({ result, onNewOrder }: { result: OrderResult; onNewOrder: () => void }) {
  useResolveUnknown(result);
  const primary = useRef<HTMLButtonElement>(null);
  const openPayment = useNav((s) => s.openPayment);
  const tenders = useOrder((s) => s.tenders);
  const tryAgain = () => {
    // With other tenders standing (split tender) the same order goes on; otherwise a fresh one as before.
    const keep = useOrder.getState().tenders !== null;
    useOrder.setState({ result: null, hostedCard: null, ...(keep ? {} : { createdOrder: null }) });
    if (keep) void useOrder.getState().refreshTenders();
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#charge-button')?.focus());
  };
  const p = result.payment;
  const amount = fmtMoney(p.amount, p.currency);
  const isAuth = p.kind === 'authorization';
  const { t } = useTranslation('order');
  const unknownText = result.checks > 0 ? counted('order:result.checked', result.checks) : t('result.unknownText');

  useEffect(() => {
    primary.current?.focus();
  }, [result.outcome]);

  useHotkeys({
    'Ctrl+P': () => void printReceipt(p.id),
    'Alt+O': () => openPayment(p.id),
  });

  return (
    <section className={`result result-${result.outcome}`} aria-live="polite" aria-labelledby="result-title" data-testid="charge-result" data-outcome={result.outcome}>
      {result.outcome === 'approved' ? (
        <Alert
          tone="success"
          title={
            <span id="result-title">
              {t(p.method === 'cash' ? 'result.paidCash' : isAuth ? 'result.authorized' : 'result.approved')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          {isAuth ? t('result.reserved', { days: AUTHORIZATION_DAYS }) : t('result.wentThrough')}
        </Alert>
      ) : null}
      {result.outcome === 'declined' ? (
        <Alert
          tone="danger"
          title={
            <span id="result-title">
              {t('result.declined')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          <span data-testid="decline-reason">{declineReason(result) || t('result.bankDeclined')}</span> {t('result.nothingCharged')}
        </Alert>
      ) : null}
      {result.outcome === 'unknown' ? (
        <Alert tone="unknown" title={<span id="result-title">{t('result.unknownTitle')}</span>}>
          <span className="spinner" aria-hidden="true" /> {unknownText}
        </Alert>
      ) : null}
      {result.outcome === 'queued' ? (
        <Alert
          tone="queued"
          title={
            <span id="result-title">
              {t('result.queuedTitle')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          {t('result.queuedText')}
        </Alert>
      ) : null}

      {tenders ? <TenderList tenders={tenders} title={t('tenders.ofOrder', { total: fmtMoney(tenders.total, tenders.currency) })} showRemaining={tenders.remaining > 0} /> : null}
      <dl className="facts">
        <div>
          <dt>{t('result.amount')}</dt>
          <dd data-testid="result-amount">{amount}</dd>
        </div>
        {p.method === 'card' ? (
          <div>
            <dt>{t('result.card')}</dt>
            <dd>
              <bdi>{maskedCard(p.brand, p.last4)}</bdi>
            </dd>
          </div>
        ) : null}
        {p.authorizationCode ? (
          <div>
            <dt>{t('result.authCode')}</dt>
            <dd data-testid="auth-code">{p.authorizationCode}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('result.reference')}</dt>
          <dd data-testid="result-reference">
            <bdi>{p.orderReference}</bdi>
          </dd>
        </div>
        {result.confirmedBy ? (
          <div>
            <dt>{t('result.confirmedBy')}</dt>
            <dd data-testid="confirmed-by">
              <bdi>{result.confirmedBy}</bdi>
            </dd>
          </div>
        ) : null}
        {p.method === 'cash' && result.change !== null ? (
          <div>
            <dt>{t('result.changeDue')}</dt>
            <dd className="big" data-testid="result-change">{fmtMoney(result.change, p.currency)}</dd>
          </div>
        ) : null}
        {result.cardSaved ? (
          <div>
            <dt>{t('result.savedOnFile')}</dt>
            <dd>
              <bdi>{maskedCard(result.cardSaved.brand, result.cardSaved.last4)}</bdi>
            </dd>
          </div>
        ) : null}
      </dl>
      {result.outcome === 'approved' ? <SaleReceipt paymentId={p.id} /> : null}

      <div className="actions">
        {result.outcome === 'declined' ? (
          <>
            <Button ref={primary} variant="primary" onClick={tryAgain}>
              {t('result.tryAnother')}
            </Button>
            <Button onClick={onNewOrder} shortcut="F2">
              {t('result.newOrder')}
            </Button>
          </>
        ) : (
          <>
            <Button ref={primary} variant="primary" onClick={onNewOrder} shortcut="F2">
              {t('result.newOrder')}
            </Button>
            {result.outcome === 'approved' ? (
              <Button onClick={() => void printReceipt(p.id)} shortcut="Ctrl+P">
                {t('result.print')}
              </Button>
            ) : null}
          </>
        )}
        <Button variant="ghost" onClick={() => openPayment(p.id)} shortcut="Alt+O">
          {t('result.open')}
        </Button>
      </div>
    </section>
  );
}
