import { useEffect, useRef } from 'react';
import { call } from '../../lib/api';
import { fmtMoney, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useNav } from '../../app/nav-store';
import { printReceipt } from '../transactions/Receipt';
import { useOrder, type OrderResult } from './order-store';

/** "Transaction declined" → "Transaction declined." */
function sentence(text: string): string {
  const t = text.trim();
  return t && !/[.!?]$/.test(t) ? `${t}.` : t;
}

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
          setResult({
            ...current,
            outcome: status === 'declined' ? 'declined' : 'approved',
            message: r.message,
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
  const tryAgain = () => {
    useOrder.setState({ result: null, hostedCard: null, createdOrder: null });
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#charge-button')?.focus());
  };
  const p = result.payment;
  const amount = fmtMoney(p.amount, p.currency);
  const isAuth = p.kind === 'authorization';

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
        <Alert tone="success" title={<span id="result-title">{p.method === 'cash' ? 'Paid in cash' : isAuth ? 'Authorized' : 'Approved'} &middot; {amount}</span>}>
          {isAuth ? 'The money is reserved. Capture it when the goods ship (within 7 days).' : 'The payment went through.'}
        </Alert>
      ) : null}
      {result.outcome === 'declined' ? (
        <Alert tone="danger" title={<span id="result-title">Declined &middot; {amount}</span>}>
          {sentence(result.message.replace(/^declined:\s*/i, '')) || 'The bank declined the card.'} Nothing was charged.
        </Alert>
      ) : null}
      {result.outcome === 'unknown' ? (
        <Alert tone="unknown" title={<span id="result-title">Outcome unknown &mdash; checking with the bank&hellip;</span>}>
          <span className="spinner" aria-hidden="true" /> The bank did not answer in time. Do not charge again: this resolves by itself
          {result.checks > 0 ? ` (checked ${result.checks} time${result.checks > 1 ? 's' : ''})` : ''}.
        </Alert>
      ) : null}
      {result.outcome === 'queued' ? (
        <Alert tone="queued" title={<span id="result-title">Queued, not yet approved by the bank &middot; {amount}</span>}>
          The gateway cannot be reached. The charge is stored and will be sent, once, when the station is back online; until the bank approves it, nothing is charged.
        </Alert>
      ) : null}

      <dl className="facts">
        <div>
          <dt>Amount</dt>
          <dd data-testid="result-amount">{amount}</dd>
        </div>
        {p.method === 'card' ? (
          <div>
            <dt>Card</dt>
            <dd>{maskedCard(p.brand, p.last4)}</dd>
          </div>
        ) : null}
        {p.authorizationCode ? (
          <div>
            <dt>Authorization code</dt>
            <dd data-testid="auth-code">{p.authorizationCode}</dd>
          </div>
        ) : null}
        <div>
          <dt>Reference</dt>
          <dd data-testid="result-reference">{p.orderReference}</dd>
        </div>
        {result.confirmedBy ? (
          <div>
            <dt>Confirmed by email</dt>
            <dd data-testid="confirmed-by">{result.confirmedBy}</dd>
          </div>
        ) : null}
        {p.method === 'cash' && result.change !== null ? (
          <div>
            <dt>Change due</dt>
            <dd className="big" data-testid="result-change">{fmtMoney(result.change, p.currency)}</dd>
          </div>
        ) : null}
        {result.cardSaved ? (
          <div>
            <dt>Saved on file</dt>
            <dd>{maskedCard(result.cardSaved.brand, result.cardSaved.last4)}</dd>
          </div>
        ) : null}
      </dl>

      <div className="actions">
        {result.outcome === 'declined' ? (
          <>
            <Button ref={primary} variant="primary" onClick={tryAgain}>
              Try another card
            </Button>
            <Button onClick={onNewOrder} shortcut="F2">
              New order
            </Button>
          </>
        ) : (
          <>
            <Button ref={primary} variant="primary" onClick={onNewOrder} shortcut="F2">
              New order
            </Button>
            {result.outcome === 'approved' ? (
              <Button onClick={() => void printReceipt(p.id)} shortcut="Ctrl+P">
                Print receipt
              </Button>
            ) : null}
          </>
        )}
        <Button variant="ghost" onClick={() => openPayment(p.id)} shortcut="Alt+O">
          Open transaction
        </Button>
      </div>
    </section>
  );
}
