import { useEffect, useRef } from 'react';
import { EXPIRY_WARNING_MS } from '../../../shared/domain/payment-state';
import { useNav } from '../../app/nav-store';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtMoney, fmtUntil, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { StatusBadge } from '../../ui/StatusBadge';
import { CaptureForm, RefundForm, VoidForm } from './ActionForms';
import { doneTitle, remainingRows, restNote } from './balance-text';
import { LINE_AMOUNT_HEADING, lineNets } from '../../lib/line-amounts';
import { useDetail, type ActionKind, type Detail, type LastOutcome } from './detail-store';
import { printReceipt } from './Receipt';
import { Timeline } from './Timeline';

const ACTION_LABEL: Record<ActionKind | 'checkStatus', string> = { capture: 'Capture', void: 'Void', refund: 'Refund', checkStatus: 'Check status' };
const KEYS: Record<ActionKind | 'checkStatus', string> = { capture: 'C', void: 'V', refund: 'R', checkStatus: 'S' };

export function TxDetail({ paymentId }: { paymentId: string }) {
  const detail = useDetail((s) => (s.paymentId === paymentId ? s.detail : null));
  const error = useDetail((s) => s.error);
  const load = useDetail((s) => s.load);
  const openPayment = useNav((s) => s.openPayment);
  useEffect(() => {
    void load(paymentId);
  }, [paymentId, load]);
  const back = () => {
    openPayment(null);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#tx-list')?.focus());
  };

  return (
    <div className="detail-screen">
      <header className="screen-head">
        <Button size="sm" variant="ghost" onClick={back} shortcut="Esc">
          <span className="dir-glyph" aria-hidden="true">{'←'}</span> Transactions
        </Button>
        <h1>{detail ? `Order ${detail.order.reference}` : 'Payment'}</h1>
        {detail ? <StatusBadge status={detail.payment.status} queued={detail.payment.queued} /> : null}
      </header>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!detail && !error ? <Spinner label="Loading payment…" /> : null}
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
  const firstAction = useRef<HTMLButtonElement>(null);
  const check = useAction(async () => {
    const r = await call('payments.checkStatus', { paymentId: p.id });
    applied(r, 'checkStatus', null);
  });

  const start = (a: ActionKind | 'checkStatus') => {
    if (!actions[a].allowed) return;
    if (a === 'checkStatus') void check.run();
    else openForm(a);
  };
  useHotkeys(
    {
      C: () => start('capture'),
      V: () => start('void'),
      R: () => start('refund'),
      S: () => start('checkStatus'),
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
          <dl className={rows.length > 1 ? 'amounts amounts-split' : 'amounts'} aria-label="Amounts">
            <div><dt>Order total</dt><dd>{fmtMoney(order.total, c)}</dd></div>
            <div><dt>Authorized</dt><dd data-testid="amt-authorized">{fmtMoney(p.authorized, c)}</dd></div>
            <div><dt>Captured</dt><dd data-testid="amt-captured">{fmtMoney(p.captured, c)}</dd></div>
            <div><dt>Refunded</dt><dd data-testid="amt-refunded">{fmtMoney(p.refunded, c)}</dd></div>
            {rows.map((r) => (
              <div key={r.testId} className={r.strong ? 'amounts-strong' : undefined}>
                <dt>{r.label}</dt>
                <dd data-testid={r.testId}>{fmtMoney(r.amount, c)}</dd>
                {r.note ? <dd className="amounts-note">{r.note}</dd> : null}
              </div>
            ))}
          </dl>
          {p.status === 'expired' && p.expiresAt ? (
            <Alert tone="danger" title="Authorization expired">
              <span data-testid="expired-note">
                It lapsed on {fmtDateTime(p.expiresAt)}, 7 days after it was made: the bank has released the funds and {fmtMoney(b.uncaptured, c)} can no longer be captured. Take a new payment if the goods still ship.
              </span>
            </Alert>
          ) : note ? (
            <Alert tone={expiresSoon ? 'warning' : note.tone} title={expiresSoon && b.until ? `Authorization expires ${fmtUntil(b.until)}` : undefined}>
              <span data-testid="rest-note">{note.text}</span>
            </Alert>
          ) : null}
        </section>

        {last ? <OutcomeAlert last={last} detail={detail} /> : null}
        {check.error ? <Alert tone="danger">{describeError(check.error)}</Alert> : null}
        {p.status === 'unknown' ? (
          <Alert tone="unknown" title="Outcome unknown — checking with the bank…">
            Nothing more can be done with this payment until the bank confirms what happened.
          </Alert>
        ) : null}

        <section className="panel" aria-labelledby="actions-h">
          <h2 id="actions-h">Actions</h2>
          <div className="actions">
            {offered.map((a, i) => (
              <Button
                key={a}
                ref={i === 0 ? firstAction : undefined}
                variant={a === 'void' ? 'danger' : i === 0 ? 'primary' : 'secondary'}
                onClick={() => start(a)}
                shortcut={KEYS[a]}
                busy={a === 'checkStatus' && check.busy}
                busyText="Checking…"
                aria-pressed={form === a ? true : undefined}
              >
                {ACTION_LABEL[a]}
              </Button>
            ))}
            <Button variant="ghost" onClick={() => void printReceipt(p.id)} shortcut="P">
              Print receipt
            </Button>
          </div>
          {refused.length ? (
            <ul className="refusals">
              {refused.map((a) => {
                const v = actions[a];
                return v.allowed ? null : (
                  <li key={a}>
                    <strong>{ACTION_LABEL[a]}</strong> not available: {v.reason}
                  </li>
                );
              })}
            </ul>
          ) : null}
          {form === 'capture' && actions.capture.allowed ? <CaptureForm key={`c${p.captured}`} detail={detail} /> : null}
          {form === 'void' && actions.void.allowed ? <VoidForm detail={detail} /> : null}
          {form === 'refund' && actions.refund.allowed ? <RefundForm key={`r${p.refunded}`} detail={detail} /> : null}
        </section>
        <Timeline detail={detail} />
      </div>
      <aside className="detail-side">
        <section className="panel">
          <h2>Payment</h2>
          <dl className="facts facts-stack">
            <div><dt>Customer</dt><dd>{order.customerName ?? 'Walk-in'}</dd></div>
            <div><dt>Paid with</dt><dd>{p.method === 'cash' ? 'Cash' : maskedCard(p.brand, p.last4)}</dd></div>
            <div><dt>Kind</dt><dd>{p.kind === 'authorization' ? 'Authorize, capture later' : p.kind === 'cash' ? 'Cash sale' : 'Sale'}</dd></div>
            {p.authorizationCode ? <div><dt>Authorization code</dt><dd className="mono">{p.authorizationCode}</dd></div> : null}
            <div><dt>Our reference</dt><dd className="mono">{p.reference}</dd></div>
            {p.fortId ? <div><dt>Gateway id</dt><dd className="mono">{p.fortId}</dd></div> : null}
            <div><dt>Taken</dt><dd>{fmtDateTime(p.createdAt)}</dd></div>
            <div><dt>Channel</dt><dd className="cap">{order.channel}</dd></div>
            {detail.cash ? <div><dt>Tendered / change</dt><dd>{fmtMoney(detail.cash.tendered, c)} / {fmtMoney(detail.cash.change, c)}</dd></div> : null}
          </dl>
        </section>
        <section className="panel">
          <h2>Items</h2>
          <p className="muted small items-rule">{LINE_AMOUNT_HEADING}; tax {fmtMoney(order.tax, c)} is in the order total</p>
          <ul className="items">
            {order.lines.map((l, i) => (
              <li key={i}>
                <span className="ellipsis">{l.quantity} &times; {l.description}</span>
                <span className="num">{fmtMoney(nets[i] ?? 0, c)}</span>
              </li>
            ))}
          </ul>
          {order.note ? <p className="muted small">Note: {order.note}</p> : null}
        </section>
      </aside>
    </div>
  );
}

function OutcomeAlert({ last, detail }: { last: LastOutcome; detail: Detail }) {
  const currency = detail.payment.currency;
  const amount = last.amount;
  const what = `${ACTION_LABEL[last.action]}${amount !== null && amount > 0 ? ` of ${fmtMoney(amount, currency)}` : ''}`;
  switch (last.outcome) {
    case 'approved':
      return last.action === 'checkStatus' ? (
        <Alert tone="success" title="Status confirmed with the bank">
          {last.message}
        </Alert>
      ) : (
        <Alert tone="success" title={doneTitle(last.action, last.amount, detail)} />
      );
    case 'declined':
      return (
        <Alert tone="danger" title={`${what} refused`}>
          {last.message}
        </Alert>
      );
    case 'unknown':
      return (
        <Alert tone="unknown" title={`${what}: outcome unknown — checking with the bank…`}>
          {last.message}
        </Alert>
      );
    case 'queued':
      return (
        <Alert tone="queued" title={`${what} queued`}>
          The gateway cannot be reached; it will be sent once, when the station is back online.
        </Alert>
      );
  }
}
