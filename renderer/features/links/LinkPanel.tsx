import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkViewShape } from '../../../shared/contract';
import { useNav } from '../../app/nav-store';
import { call } from '../../lib/api';
import { coreSentence } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, type Tone } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { useLinks } from './link-store';
import { isExpiring, isLive, minutesLeft } from './link-status';

const POLL_MS = 1500;

const TONE: Record<LinkViewShape['state'], Tone> = {
  sending: 'info', unknown: 'unknown', sent: 'info', opened: 'info', paid: 'success', expired: 'warning', cancelled: 'queued', failed: 'danger',
};

/**
 * Follows a payment link live on the order screen: asks links.get while it can still change (the
 * core asks the gateway), so "opened" and "paid" appear without a reload. Resend, extend and cancel
 * are explicit; a paid link is an ordinary payment, opened in Transactions like any other.
 */
export function LinkPanel({ link: l, onNewOrder }: { link: LinkViewShape; onNewOrder: () => void }) {
  const { t } = useTranslation('links');
  const setLink = useLinks((s) => s.setLink);
  const openPayment = useNav((s) => s.openPayment);
  const [pollError, setPollError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const primary = useRef<HTMLButtonElement>(null);
  const live = isLive(l);

  useEffect(() => {
    if (!live) return;
    const timer = setTimeout(async () => {
      try {
        const next = await call('links.get', { id: l.id });
        setPollError(null);
        if (useLinks.getState().link?.id === l.id) setLink(next);
      } catch (e) {
        setPollError(describeError(e));
        setLink({ ...l });
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [l, live, setLink]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!live) primary.current?.focus();
  }, [live]);

  const act = useAction(async (what: 'resend' | 'cancel' | 'extend') => {
    const next =
      what === 'extend'
        ? await call('links.extend', { id: l.id, expiresInMinutes: l.expiry.defaultMinutes })
        : await call(what === 'resend' ? 'links.resend' : 'links.cancel', { id: l.id });
    setLink(next);
  });

  const amount = fmtMoney(l.amount, l.currency);
  const to = l.notify === 'EMAIL' ? l.email : l.notify === 'SMS' ? (l.phone ?? '') : `${l.email} · ${l.phone ?? ''}`;
  const expiring = isExpiring(l, now);
  const open = l.state === 'sent' || l.state === 'opened';

  return (
    <section className={`result link-panel link-${l.state}`} aria-live="polite" aria-labelledby="link-title" data-testid="link-panel" data-state={l.state}>
      <Alert tone={expiring ? 'warning' : TONE[l.state]} title={<span id="link-title">{t(`state.${l.state}.title`, { amount })}</span>}>
        {live && l.state !== 'paid' ? <span className="spinner" aria-hidden="true" /> : null} {t(`state.${l.state}.body`)}
      </Alert>
      <dl className="link-facts">
        <dt>{t('panel.to')}</dt>
        <dd>
          <bdi>{to}</bdi>
        </dd>
        <dt>{t('panel.amount')}</dt>
        <dd data-testid="link-amount">{amount}</dd>
        <dt>{t('panel.reference')}</dt>
        <dd>
          <bdi>{l.reference}</bdi>
        </dd>
        <dt>{t('panel.expires')}</dt>
        <dd data-testid="link-expires">
          {fmtDateTime(l.expiresAt)}
          {open ? <> · {t('panel.minutesLeft', { count: minutesLeft(l.expiresAt, now) })}</> : null}
        </dd>
        <dt>{t('panel.opened')}</dt>
        <dd data-testid="link-opened">{t('panel.openedCount', { count: l.openedCount })}</dd>
      </dl>
      {expiring ? (
        <p className="link-expiring" role="status" data-testid="link-expiring">
          {t('panel.expiringSoon', { count: minutesLeft(l.expiresAt, now) })}
        </p>
      ) : null}
      {l.message && (l.state === 'failed' || l.state === 'unknown') ? <p className="muted small" dir="auto">{coreSentence(l.text, l.message) ?? l.message}</p> : null}
      {pollError ? (
        <Alert tone="warning" title={t('panel.pollFailed')}>
          {pollError}
        </Alert>
      ) : null}
      {act.error ? (
        <Alert tone="danger" title={t('panel.actionFailed')}>
          {describeError(act.error)}
        </Alert>
      ) : null}
      <div className="result-actions">
        {l.state === 'paid' && l.paymentId ? (
          <Button ref={primary} variant="primary" onClick={() => openPayment(l.paymentId)}>
            {t('actions.openPayment')}
          </Button>
        ) : null}
        {open ? (
          <>
            <Button onClick={() => void act.run('resend')} busy={act.busy}>
              {t('actions.resend')}
            </Button>
            <Button onClick={() => void act.run('extend')} busy={act.busy}>
              {t('actions.extend', { hours: Math.round(l.expiry.defaultMinutes / 60) })}
            </Button>
            <Button variant="danger" onClick={() => void act.run('cancel')} busy={act.busy}>
              {t('actions.cancel')}
            </Button>
          </>
        ) : null}
        {l.state === 'expired' ? (
          <Button variant="primary" onClick={() => void act.run('extend')} busy={act.busy}>
            {t('actions.extend', { hours: Math.round(l.expiry.defaultMinutes / 60) })}
          </Button>
        ) : null}
        <Button ref={l.state === 'paid' ? undefined : primary} variant={l.state === 'paid' ? 'secondary' : 'ghost'} onClick={onNewOrder} shortcut="F2">
          {t('actions.newOrder')}
        </Button>
      </div>
    </section>
  );
}
