import { useEffect, useRef, useState } from 'react';
import { whenIdle } from '../../app/lazy-screen';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call, subscribe } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import type { HostedCard } from './order-store';

type FormSpec = OutputOf<'payments.hostedForm'>;

interface Props {
  customerId: string | null;
  /** The clerk's save-card answer, sent to the gateway's page (remember_me): it does not ask again. */
  save: boolean;
  onReady: (card: HostedCard) => void;
}

/**
 * The gateway's hosted card page in a frame inside the screen. We post the signed form (no card
 * data) into the frame; the card number and CVV are typed on the gateway's page and never reach
 * our code. We learn the outcome from 'hosted.returned' or by polling payments.hostedResult.
 */
export function HostedCardForm({ customerId, save, onReady }: Props) {
  const [spec, setSpec] = useState<FormSpec | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { t } = useTranslation(['order', 'common']);
  const formRef = useRef<HTMLFormElement>(null);
  const onReadyRef = useRef(onReady);
  onReadyRef.current = onReady;

  useEffect(() => {
    let alive = true;
    setSpec(null);
    setError(null);
    // Asked when the page is next idle: the frame's page and document cost the desk ~40-60 ms, and
    // a desk just opened has F4's list to draw ahead first (docs/performance.md).
    const cancel = whenIdle(() => {
      call('payments.hostedForm', customerId ? { customerId, save } : { save }).then(
        (s) => alive && setSpec(s),
        (e) => alive && setError(describeError(e)),
      );
    }, 500);
    return () => {
      alive = false;
      cancel();
    };
  }, [customerId, save, attempt]);

  useEffect(() => {
    if (spec) formRef.current?.submit();
  }, [spec]);

  useEffect(() => {
    if (!spec) return;
    let done = false;
    let inFlight = false;
    const check = async () => {
      if (done || inFlight) return;
      inFlight = true;
      try {
        const r = await call('payments.hostedResult', { sessionId: spec.sessionId });
        if (done) return;
        if (r.state === 'ready' && r.card) {
          done = true;
          onReadyRef.current(r.card);
        } else if (r.state === 'failed') {
          done = true;
          setError(r.message || i18next.t('order:hosted.notAccepted'));
        }
      } catch {
        /* keep polling: a transient failure is not the card's fault */
      } finally {
        inFlight = false;
      }
    };
    const off = subscribe('hosted.returned', (p) => {
      if (p.sessionId === spec.sessionId) void check();
    });
    const timer = setInterval(() => void check(), 1500);
    return () => {
      done = true;
      off();
      clearInterval(timer);
    };
  }, [spec]);

  const frameName = spec ? `hosted-${spec.sessionId}` : 'hosted-pending';
  return (
    <div className="hosted">
      {error ? (
        <Alert tone="danger" title={t('hosted.failedTitle')}>
          {error}{' '}
          <Button size="sm" onClick={() => setAttempt((a) => a + 1)}>
            {t('common:actions.retry')}
          </Button>
        </Alert>
      ) : null}
      {!spec && !error ? <Spinner label={t('hosted.opening')} /> : null}
      {spec ? (
        <>
          <iframe name={frameName} title={t('hosted.frameTitle')} className="hosted-frame" data-testid="hosted-frame" />
          <form ref={formRef} method="POST" action={spec.action} target={frameName} hidden aria-hidden="true">
            {Object.entries(spec.fields).map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
          </form>
          <p className="muted small hosted-note">{t('hosted.note')}</p>
        </>
      ) : null}
    </div>
  );
}
