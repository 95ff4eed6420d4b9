import './confirmation.css';
import { Trans, useTranslation } from 'react-i18next';
import { useEffect, useRef, useState } from 'react';
import { call } from '../../lib/api';
import { coreSentence } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { fmtCount, fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useOrder, type ConfirmationView } from '../order/order-store';
import { confirmationStep, countdown, isFinal, STEPS, timeToAnswer } from './steps';

const POLL_MS = 1000;

/** Where step i stands: done, the current one, where it stopped (failed), or still to come. */
function stepState(i: number, step: { index: number; failed: boolean }, final: boolean): 'done' | 'failed' | 'current' | 'todo' {
  if (i < step.index) return 'done';
  if (i > step.index) return 'todo';
  if (step.failed) return 'failed';
  return final && i === STEPS.length - 1 ? 'done' : 'current';
}
const SEP = ' · ';
const MARK = { done: '✓', failed: '✕' };

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
  const { t } = useTranslation('confirmation');

  // Poll until the confirmation is final and its charge (if any) recorded.
  useEffect(() => {
    if (final) return;
    const timer = setTimeout(async () => {
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
    return () => clearTimeout(timer);
  }, [c, final, setConfirmation, setResult]);

  // A countdown from the screen's own clock (the station and the browser may disagree on "now").
  useEffect(() => {
    if (final) return;
    const started = Date.now() - elapsed * 1000;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
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
  const said = coreSentence(c.text) ?? c.message;
  const step = confirmationStep(c);
  const left = Math.max(0, c.timeoutSeconds - elapsed);

  return (
    <section className={`result confirmation confirmation-${c.state}`} aria-live="polite" aria-labelledby="confirmation-title" data-testid="confirmation" data-state={c.state} data-process-state={c.processState}>
      {!final ? (
        <Alert
          tone="info"
          title={
            <span id="confirmation-title">
              {t('waiting')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          <span className="spinner" aria-hidden="true" /> {said}
          <div data-testid="confirmation-time-to-answer">
            <Trans t={t} i18nKey="timeToAnswer" values={{ time: timeToAnswer(c.timeoutSeconds) }} components={{ time: <strong /> }} />
          </div>
        </Alert>
      ) : null}
      {c.state === 'confirmed' && final ? (
        <Alert
          tone={c.charge ? 'success' : 'danger'}
          title={
            <span id="confirmation-title">
              {t('confirmed')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          {said}
        </Alert>
      ) : null}
      {c.state === 'refused' ? (
        <Alert
          tone="danger"
          title={
            <span id="confirmation-title">
              {t('refused')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          {said}
        </Alert>
      ) : null}
      {c.state === 'expired' ? (
        <Alert
          tone="warning"
          title={
            <span id="confirmation-title">
              {t('expired')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          {said}
        </Alert>
      ) : null}
      {c.state === 'failed' ? (
        <Alert
          tone="danger"
          title={
            <span id="confirmation-title">
              {t('failed')}
              {SEP}
              <bdi>{amount}</bdi>
            </span>
          }
        >
          <span data-testid="fail-reason">{said}</span>
        </Alert>
      ) : null}
      {pollError ? <Alert tone="warning">{t('pollError', { error: pollError })}</Alert> : null}

      <ol className="steps" aria-label={t('progress')}>
        {STEPS.map((s, i) => {
          const state = stepState(i, step, final);
          return (
            <li key={s.id} className={`step step-${state}`} data-testid={`step-${s.id}`} data-step-state={state} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="step-mark" aria-hidden="true">
                {state === 'done' ? MARK.done : state === 'failed' ? MARK.failed : fmtCount(i + 1)}
              </span>
              <span className="step-label">{s.label(c)}</span>
            </li>
          );
        })}
      </ol>

      <dl className="facts">
        <div>
          <dt>{t('amount')}</dt>
          <dd data-testid="confirmation-amount">{amount}</dd>
        </div>
        <div>
          <dt>{t('emailedTo')}</dt>
          <dd data-testid="confirmation-email">
            <bdi>{c.emailAddress}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t('then')}</dt>
          <dd>{c.mode === 'authorize' ? t('authorizeOnly') : t('chargeNow')}</dd>
        </div>
        <div>
          <dt>{t('reference')}</dt>
          <dd data-testid="result-reference">
            <bdi>{c.orderReference}</bdi>
          </dd>
        </div>
        {!final ? (
          <div>
            <dt>{t('expiresIn')}</dt>
            <dd data-testid="confirmation-countdown">{left > 0 ? countdown(left) : t('anyMoment')}</dd>
          </div>
        ) : null}
      </dl>

      {sendAgain.error ? <Alert tone="danger">{describeError(sendAgain.error)}</Alert> : null}
      <div className="actions">
        {final ? (
          <>
            <Button ref={primary} variant="primary" onClick={otherWay}>
              {t('otherWay')}
            </Button>
            {c.state !== 'confirmed' ? (
              <Button onClick={() => void sendAgain.run()} busy={sendAgain.busy} busyText={t('sending')}>
                {c.mode === 'authorize' ? t('emailAgainAuthorize') : t('emailAgainCharge')}
              </Button>
            ) : null}
            <Button variant="ghost" onClick={onNewOrder} shortcut="F2">
              {t('newOrder')}
            </Button>
          </>
        ) : (
          <p className="muted small">{t('meanwhile')}</p>
        )}
      </div>
    </section>
  );
}
