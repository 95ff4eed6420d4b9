import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { AUTHORIZATION_DAYS } from '../../../shared/contract/limits';
import { EXPIRY_WARNING_MS } from '../../../shared/domain/payment-state';
import { useNav } from '../../app/nav-store';
import { call, subscribe } from '../../lib/api';
import { coreSentence } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { fmtCount, fmtDateTime, fmtMoney, fmtUntil, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { StatusBadge } from '../../ui/StatusBadge';
import { CaptureForm, RefundForm, VoidForm } from './ActionForms';
import { doneTitle, remainingRows, restNote } from './balance-text';
import { lineAmountHeading, lineNets } from '../../lib/line-amounts';
import { useDetail, type ActionKind, type Detail, type LastOutcome } from './detail-store';
import { printReceipt } from './Receipt';
import { PaperReceiptActions } from '../printing/ReceiptPrinting';
import { Timeline } from './Timeline';
import { OrderTendersPanel } from './OrderTendersPanel';

/** The action buttons' words (catalogue 'transactions', detail.action). */
const actionLabel = (t: TFunction, a: ActionKind | 'checkStatus'): string => t(`transactions:detail.action.${a}`);
/** The letter that starts each action on this screen. */
const KEYS: Record<ActionKind | 'checkStatus', string> = { capture: 'C', void: 'V', refund: 'R', checkStatus: 'S' };
/** How long the letter keys rest after a refused one (see DetailBody). */
const REFUSED_REST_MS = 1_500;

export function TxDetail({ paymentId }: { paymentId: string }) {
  const detail = useDetail((s) => (s.paymentId === paymentId ? s.detail : null));
  const error = useDetail((s) => s.error);
  const load = useDetail((s) => s.load);
  const openPayment = useNav((s) => s.openPayment);
  const { t } = useTranslation('transactions');
  useEffect(() => {
    void load(paymentId);
  }, [paymentId, load]);
  // In a shop, another desk's capture, void or refund of this payment shows without a reload.
  useEffect(() => subscribe('shop.changed', ({ tables }) => {
    if (tables.includes('payments') || tables.includes('operations')) void load(paymentId);
  }), [paymentId, load]);
  const back = () => {
    openPayment(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#tx-list')?.focus());
  };

  return (
    <div className="detail-screen">
      <header className="screen-head">
        <Button size="sm" variant="ghost" onClick={back} shortcut="Esc">
          <span className="dir-glyph" aria-hidden="true">{'\u2190'}</span> {t('detail.back')}
        </Button>
        <h1>{detail ? <Trans t={t} i18nKey="detail.orderTitle" values={{ reference: detail.order.reference }} components={{ ref: <bdi /> }} /> : t('detail.payment')}</h1>
        {detail ? <StatusBadge status={detail.payment.status} queued={detail.payment.queued} /> : null}
      </header>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!detail && !error ? <Spinner label={t('detail.loading')} /> : null}
      {detail ? <DetailBody detail={detail} onBack={back} /> : null}
    </div>
  );
}

function DetailBody({ detail, onBack }: { detail: Detail; onBack: () => void }) {
  const form = useDetail((s) => s.form);
  const openForm = useDetail((s) => s.openForm);
  const last = useDetail((s) => s.last);
  const applied = useDetail((s) => s.applied);
  const { payment: p, order, actions } = detail;
  const { t } = useTranslation('transactions');
  const firstAction = useRef<HTMLButtonElement>(null);
  const check = useAction(async () => {
    const r = await call('payments.checkStatus', { paymentId: p.id });
    applied(r, 'checkStatus', null);
  });

  // A refused shortcut says why (its line below is announced), and the letter keys rest a moment:
  // what the clerk types next, thinking a form opened, must not open another one.
  const [refusedKey, setRefusedKey] = useState<ActionKind | null>(null);
  const restUntil = useRef(0);
  const start = (a: ActionKind | 'checkStatus') => {
    if (!actions[a].allowed) {
      if (a !== 'checkStatus') setRefusedKey(a);
      return;
    }
    setRefusedKey(null);
    if (a === 'checkStatus') void check.run();
    else openForm(a);
  };
  const byKey = (a: ActionKind | 'checkStatus') => () => {
    if (performance.now() < restUntil.current) return;
    if (a !== 'checkStatus' && !actions[a].allowed) restUntil.current = performance.now() + REFUSED_REST_MS;
    start(a);
  };
  useHotkeys(
    {
      C: byKey('capture'),
      V: byKey('void'),
      R: byKey('refund'),
      S: byKey('checkStatus'),
      P: () => void printReceipt(p.id),
      'Ctrl+P': () => void printReceipt(p.id),
      Escape: () => (form ? openForm(null) : onBack()),
    },
  );

  // After an action, focus returns to the action bar.
  useEffect(() => {
    if (!form && last) firstAction.current?.focus();
  }, [form, last]);

  // An unknown outcome resolves by itself: ask again every few seconds.
  const unresolved = p.status === 'unknown' || detail.operations.some((o) => o.state === 'unknown');
  const runCheck = check.run;
  useEffect(() => {
    if (!unresolved) return;
    const t = setTimeout(() => void runCheck(), 3000);
    return () => clearTimeout(t);
  }, [unresolved, detail, runCheck]);

  const c = p.currency;
  const nets = lineNets(c, order.lines);
  // What is left comes from the core (detail.balance): the same figure the forms and the queue use.
  const b = detail.balance;
  const rows = remainingRows(detail);
  const note = p.status === 'expired' ? null : restNote(b, c);
  const expiresSoon = b.fate === 'capturable' && b.until !== null && Date.parse(b.until) - Date.now() < EXPIRY_WARNING_MS;
  const offered = (['capture', 'void', 'refund', 'checkStatus'] as const).filter((a) => actions[a].allowed);
  const refused = (['capture', 'void', 'refund'] as const).filter((a) => !actions[a].allowed);

  return (
    <div className="detail-grid">
      <div className="detail-main">
        <section className="panel">
          <dl className={rows.length > 1 ? 'amounts amounts-split' : 'amounts'} aria-label={t('detail.amounts')}>
            <div><dt>{t('detail.orderTotal')}</dt><dd>{fmtMoney(order.total, c)}</dd></div>
            <div><dt>{t('detail.authorized')}</dt><dd data-testid="amt-authorized">{fmtMoney(p.authorized, c)}</dd></div>
            <div><dt>{t('detail.captured')}</dt><dd data-testid="amt-captured">{fmtMoney(p.captured, c)}</dd></div>
            <div><dt>{t('detail.refunded')}</dt><dd data-testid="amt-refunded">{fmtMoney(p.refunded, c)}</dd></div>
            {rows.map((r) => (
              <div key={r.testId} className={r.strong ? 'amounts-strong' : undefined}>
                <dt>{r.label}</dt>
                <dd data-testid={r.testId}>{fmtMoney(r.amount, c)}</dd>
                {r.note ? <dd className="amounts-note">{r.note}</dd> : null}
              </div>
            ))}
          </dl>
          {p.status === 'expired' && p.expiresAt ? (
            <Alert tone="danger" title={t('detail.expiredTitle')}>
              <span data-testid="expired-note">
                <Trans t={t} i18nKey="detail.expiredNote" values={{ when: fmtDateTime(p.expiresAt), amount: fmtMoney(b.uncaptured, c), days: AUTHORIZATION_DAYS }} components={{ amount: <bdi /> }} />
              </span>
            </Alert>
          ) : note ? (
            <Alert tone={expiresSoon ? 'warning' : note.tone} title={expiresSoon && b.until ? t('detail.expiresSoon', { until: fmtUntil(b.until) }) : undefined}>
              <span data-testid="rest-note">{note.text}</span>
            </Alert>
          ) : null}
        </section>

        {last ? <OutcomeAlert last={last} detail={detail} /> : null}
        {check.error ? <Alert tone="danger">{describeError(check.error)}</Alert> : null}
        {p.status === 'unknown' ? (
          <Alert tone="unknown" title={t('detail.unknownTitle')}>
            {t('detail.unknownBody')}
          </Alert>
        ) : null}

        <section className="panel" aria-labelledby="actions-h">
          <h2 id="actions-h">{t('detail.actions')}</h2>
          <div className="actions">
            {offered.map((a, i) => (
              <Button
                key={a}
                ref={i === 0 ? firstAction : undefined}
                variant={a === 'void' ? 'danger' : i === 0 ? 'primary' : 'secondary'}
                onClick={() => start(a)}
                shortcut={KEYS[a]}
                busy={a === 'checkStatus' && check.busy}
                busyText={t('detail.checking')}
                aria-pressed={form === a ? true : undefined}
              >
                {actionLabel(t, a)}
              </Button>
            ))}
            <Button variant="ghost" onClick={() => void printReceipt(p.id)} shortcut="P">
              {t('detail.printReceipt')}
            </Button>
          </div>
          <PaperReceiptActions paymentId={p.id} />
          {refused.length ? (
            <ul className="refusals">
              {refused.map((a) => {
                const v = actions[a];
                return v.allowed ? null : (
                  <li key={a} className={refusedKey === a ? 'refusal-asked' : undefined} role={refusedKey === a ? 'alert' : undefined}>
                    <Trans t={t} i18nKey="detail.refused" values={{ action: actionLabel(t, a), reason: coreSentence(v.text, v.reason) ?? '' }} components={{ strong: <strong />, reason: <bdi /> }} />
                  </li>
                );
              })}
            </ul>
          ) : null}
          {form === 'capture' && actions.capture.allowed ? <CaptureForm key={`c${p.captured}`} detail={detail} /> : null}
          {form === 'void' && actions.void.allowed ? <VoidForm detail={detail} /> : null}
          {form === 'refund' && actions.refund.allowed ? <RefundForm key={`r${p.refunded}`} detail={detail} /> : null}
        </section>
        <OrderTendersPanel orderId={order.id} paymentId={p.id} />
        <Timeline detail={detail} />
      </div>
      <aside className="detail-side">
        <section className="panel">
          <h2>{t('detail.payment')}</h2>
          <dl className="facts facts-stack">
            <div><dt>{t('detail.customer')}</dt><dd>{order.customerName ? <bdi>{order.customerName}</bdi> : t('walkIn')}</dd></div>
            <div><dt>{t('detail.paidWith')}</dt><dd>{p.method === 'cash' ? t('cash') : <bdi>{maskedCard(p.brand, p.last4)}</bdi>}</dd></div>
            <div><dt>{t('detail.kind')}</dt><dd>{p.kind === 'authorization' ? t('detail.kindAuthorization') : p.kind === 'cash' ? t('detail.kindCash') : t('detail.kindSale')}</dd></div>
            {p.authorizationCode ? <div><dt>{t('detail.authCode')}</dt><dd className="mono"><bdi>{p.authorizationCode}</bdi></dd></div> : null}
            <div><dt>{t('detail.ourReference')}</dt><dd className="mono"><bdi>{p.reference}</bdi></dd></div>
            {p.fortId ? <div><dt>{t('detail.gatewayId')}</dt><dd className="mono"><bdi>{p.fortId}</bdi></dd></div> : null}
            <div><dt>{t('detail.taken')}</dt><dd>{fmtDateTime(p.createdAt)}</dd></div>
            <div><dt>{t('detail.channel')}</dt><dd className="cap">{t(`detail.channelName.${order.channel}`, { defaultValue: order.channel })}</dd></div>
            {detail.cash ? <div><dt>{t('detail.tenderedChange')}</dt><dd>{fmtMoney(detail.cash.tendered, c)} / {fmtMoney(detail.cash.change, c)}</dd></div> : null}
          </dl>
        </section>
        <section className="panel">
          <h2>{t('detail.items')}</h2>
          <p className="muted small items-rule">{t('detail.itemsRule', { heading: lineAmountHeading(), tax: fmtMoney(order.tax, c) })}</p>
          <ul className="items">
            {order.lines.map((l, i) => (
              <li key={i}>
                <span className="ellipsis">{fmtCount(l.quantity)} &times; <bdi>{l.description}</bdi></span>
                <span className="num">{fmtMoney(nets[i] ?? 0, c)}</span>
              </li>
            ))}
          </ul>
          {order.note ? <p className="muted small">{t('detail.note')} <bdi>{order.note}</bdi></p> : null}
        </section>
      </aside>
    </div>
  );
}

function OutcomeAlert({ last, detail }: { last: LastOutcome; detail: Detail }) {
  const currency = detail.payment.currency;
  const amount = last.amount;
  const { t } = useTranslation('transactions');
  const action = actionLabel(t, last.action);
  const what = amount !== null && amount > 0 ? t('outcome.whatOf', { action, amount: fmtMoney(amount, currency) }) : action;
  switch (last.outcome) {
    case 'approved':
      return last.action === 'checkStatus' ? (
        <Alert tone="success" title={t('outcome.confirmed')}>
          {coreSentence(last.text, last.message)}
        </Alert>
      ) : (
        <Alert tone="success" title={doneTitle(last.action, last.amount, detail)} />
      );
    case 'declined':
      return (
        <Alert tone="danger" title={t('outcome.refused', { what })}>
          {coreSentence(last.text, last.message)}
        </Alert>
      );
    case 'unknown':
      return (
        <Alert tone="unknown" title={t('outcome.unknown', { what })}>
          {coreSentence(last.text, last.message)}
        </Alert>
      );
    case 'queued':
      return (
        <Alert tone="queued" title={t('outcome.queued', { what })}>
          {t('outcome.queuedBody')}
        </Alert>
      );
  }
}
