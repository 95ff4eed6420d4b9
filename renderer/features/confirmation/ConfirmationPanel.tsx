import './confirmation.css';
import { useEffect, useRef, useState } from 'react';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useOrder, type ConfirmationView } from '../order/order-store';
import { confirmationStep, countdown, isFinal, STEPS, timeToAnswer } from './steps';

const POLL_MS = 1000;

/**
 * Follows an email confirmation live (seed 003): polls confirmations.get every second; the core
 * itself charges once the customer agrees, and the normal charge result then replaces this panel.
 */
export function ConfirmationPanel({ confirmation: c, onNewOrder }: { confirmation: ConfirmationView; onNewOrder: () => void }) {
  const setConfirmation = useOrder((s) => s.setConfirmation);
  const setResult = useOrder((s) => s.setResult);
  const [pollError, setPollError] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const primary = useRef<HTMLButtonElement>(null);
  const final = isFinal(c);

  // Poll until the confirmation is final and its charge (if any) recorded.
  useEffect(() => {
    if (final) return;
    const t = setTimeout(async () => {
      try {
        const next = await call('confirmations.get', { id: c.id });
        setPollError(null);
        if (useOrder.getState().confirmation?.id !== c.id) return;
        if (next.charge && next.chargeState === 'done') {
          setResult({ ...next.charge, resolving: next.charge.outcome === 'unknown', checks: 0, confirmedBy: next.emailAddress });
          setConfirmation(null);
        } else setConfirmation(next);
      } catch (e) {
        setPollError(describeError(e));
        setConfirmation({ ...c });
      }
    }, POLL_MS);
    return () => clearTimeout(t);
  }, [c, final, setConfirmation, setResult]);

  // A countdown from the screen's own clock (the station and the browser may disagree on "now").
  useEffect(() => {
    if (final) return;
    const started = Date.now() - elapsed * 1000;
    const t = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(t);
  }, [final]);

  useEffect(() => {
    if (final) primary.current?.focus();
  }, [final]);

  const sendAgain = useAction(async () => {
    const next = await call('confirmations.start', { orderId: c.orderId, cardId: useOrder.getState().cardId ?? '', mode: c.mode });
    setElapsed(0);
    setConfirmation(next);
  });
  const otherWay = () => {
    // The order stays recorded (awaiting payment) and is reused by the next attempt.
    setConfirmation(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#charge-button')?.focus());
  };

  const amount = fmtMoney(c.amount, c.currency);
  const step = confirmationStep(c);
  const left = Math.max(0, c.timeoutSeconds - elapsed);
  const verb = c.mode === 'authorize' ? 'authorize' : 'charge';

  return (
    <section className={`result confirmation confirmation-${c.state}`} aria-live="polite" aria-labelledby="confirmation-title" data-testid="confirmation" data-state={c.state} data-process-state={c.processState}>
      {!final ? (
        <Alert tone="info" title={<span id="confirmation-title">Waiting for the customer &middot; {amount}</span>}>
          <span className="spinner" aria-hidden="true" /> {c.message}
          <div data-testid="confirmation-time-to-answer">
            The customer has <strong>{timeToAnswer(c.timeoutSeconds)}</strong> to answer.
          </div>
        </Alert>
      ) : null}
      {c.state === 'confirmed' && final ? (
        <Alert tone={c.charge ? 'success' : 'danger'} title={<span id="confirmation-title">Confirmed by the customer &middot; {amount}</span>}>
          {c.message}
        </Alert>
      ) : null}
      {c.state === 'refused' ? (
        <Alert tone="danger" title={<span id="confirmation-title">Refused by the customer &middot; {amount}</span>}>
          {c.message}
        </Alert>
      ) : null}
      {c.state === 'expired' ? (
        <Alert tone="warning" title={<span id="confirmation-title">No answer &mdash; the link expired &middot; {amount}</span>}>
          {c.message}
        </Alert>
      ) : null}
      {c.state === 'failed' ? (
        <Alert tone="danger" title={<span id="confirmation-title">Confirmation failed &middot; {amount}</span>}>
          <span data-testid="fail-reason">{c.message}</span>
        </Alert>
      ) : null}
      {pollError ? <Alert tone="warning">Could not check just now: {pollError} Still trying.</Alert> : null}

      <ol className="steps" aria-label="Progress">
        {STEPS.map((s, i) => {
          const state = i < step.index ? 'done' : i === step.index ? (step.failed ? 'failed' : final && i === STEPS.length - 1 ? 'done' : 'current') : 'todo';
          return (
            <li key={s.id} className={`step step-${state}`} data-testid={`step-${s.id}`} data-step-state={state} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="step-mark" aria-hidden="true">
                {state === 'done' ? '✓' : state === 'failed' ? '✕' : i + 1}
              </span>
              <span className="step-label">{s.label(c)}</span>
            </li>
          );
        })}
      </ol>

      <dl className="facts">
        <div>
          <dt>Amount</dt>
          <dd data-testid="confirmation-amount">{amount}</dd>
        </div>
        <div>
          <dt>Emailed to</dt>
          <dd data-testid="confirmation-email">{c.emailAddress}</dd>
        </div>
        <div>
          <dt>Then</dt>
          <dd>{c.mode === 'authorize' ? 'Authorize only' : 'Charge now'}</dd>
        </div>
        <div>
          <dt>Reference</dt>
          <dd data-testid="result-reference">{c.orderReference}</dd>
        </div>
        {!final ? (
          <div>
            <dt>Link expires in</dt>
            <dd data-testid="confirmation-countdown">{left > 0 ? countdown(left) : 'any moment'}</dd>
          </div>
        ) : null}
      </dl>

      {sendAgain.error ? <Alert tone="danger">{describeError(sendAgain.error)}</Alert> : null}
      <div className="actions">
        {final ? (
          <>
            <Button ref={primary} variant="primary" onClick={otherWay}>
              Choose another way to pay
            </Button>
            {c.state !== 'confirmed' ? (
              <Button onClick={() => void sendAgain.run()} busy={sendAgain.busy} busyText="Sending…">
                Email again to {verb}
              </Button>
            ) : null}
            <Button variant="ghost" onClick={onNewOrder} shortcut="F2">
              New order
            </Button>
          </>
        ) : (
          <p className="muted small">You can take another order meanwhile (F2): the station keeps following this confirmation and charges the card only once the customer agrees.</p>
        )}
      </div>
    </section>
  );
}
