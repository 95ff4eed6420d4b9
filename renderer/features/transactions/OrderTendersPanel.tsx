import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { useTranslation } from 'react-i18next';
import { parseAmount, toInputString, money } from '../../../shared/money';
import { amountErrorText } from '../../lib/amount-error';
import { call } from '../../lib/api';
import { describeError, errorText } from '../../lib/error-text';
import { fmtMoney, maskedCard } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { useSettings } from '../settings/settings-store';
import { TenderList, type OrderTenders } from '../tenders/TenderList';
import { ApprovalFields, type Approval } from './ApprovalFields';
import { useDetail } from './detail-store';
import { useFocusFirst } from '../../lib/use-focus-first';

type RefundResult = OutputOf<'orders.refund'>;

/**
 * Split tender on the transaction screen: every tender of the payment's order (method, amount,
 * cash tendered and change), what remains, and a refund of the order that goes back to the tenders
 * last first, or to the tender the supervisor chooses. Shown when the order has more than one tender.
 */
export function OrderTendersPanel({ orderId, paymentId }: { orderId: string; paymentId: string }) {
  const [tenders, setTenders] = useState<OrderTenders | null>(null);
  const [open, setOpen] = useState(false);
  const [last, setLast] = useState<RefundResult | null>(null);
  const reloadDetail = useDetail((s) => s.load);
  const { t } = useTranslation('transactions');
  const load = useCallback(() => call('orders.tenders', { orderId }).then(setTenders, () => setTenders(null)), [orderId]);
  useEffect(() => {
    void load();
  }, [load, paymentId]);
  if (!tenders || tenders.tenders.length < 2) return null;
  const done = (r: RefundResult) => {
    setLast(r);
    setTenders(r.tenders);
    setOpen(false);
    void reloadDetail(paymentId);
  };
  return (
    <section className="panel" aria-labelledby="order-tenders-h">
      <h2 id="order-tenders-h">{t('tenders.title')}</h2>
      <TenderList tenders={tenders} title={t('tenders.listTitle')} />
      {last ? <RefundOutcome result={last} currency={tenders.currency} /> : null}
      <div className="actions">
        {tenders.refundable > 0 && !open ? (
          <Button onClick={() => setOpen(true)}>{t('tenders.refundOrder')}</Button>
        ) : null}
      </div>
      {open ? <OrderRefundForm tenders={tenders} onDone={done} onClose={() => setOpen(false)} /> : null}
    </section>
  );
}

function RefundOutcome({ result, currency }: { result: RefundResult; currency: string }) {
  const { t } = useTranslation('transactions');
  const name = (id: string) => {
    const x = result.tenders.tenders.find((y) => y.paymentId === id);
    return !x ? id : x.method === 'cash' ? t('cash') : maskedCard(x.brand, x.last4);
  };
  const allApproved = result.parts.every((p) => p.outcome === 'approved');
  return (
    <Alert tone={allApproved ? 'success' : 'warning'} title={allApproved ? t('tenders.refundDone') : t('tenders.refundStopped')}>
      <ul className="tenders-parts" data-testid="order-refund-parts">
        {result.parts.map((p) => (
          <li key={p.paymentId}>
            {t(`tenders.part.${p.outcome}`, { tender: name(p.paymentId), amount: fmtMoney(p.amount, currency) })}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

function OrderRefundForm({ tenders, onDone, onClose }: { tenders: OrderTenders; onDone: (r: RefundResult) => void; onClose: () => void }) {
  const c = tenders.currency;
  const refundable = tenders.tenders.filter((x) => x.refundable > 0);
  const [choice, setChoice] = useState('');
  const max = choice ? (refundable.find((x) => x.paymentId === choice)?.refundable ?? 0) : tenders.refundable;
  const [text, setText] = useState(toInputString(money(tenders.refundable, c)));
  const amountRef = useFocusFirst();
  // A tender chosen: the amount is at most what that tender can take back.
  const choose = (id: string) => {
    setChoice(id);
    const cap = refundable.find((x) => x.paymentId === id)?.refundable;
    let now = 0;
    try {
      now = parseAmount(text, c).amount;
    } catch {
      /* the text is not an amount yet: the tender's whole part */
    }
    if (cap !== undefined && (now <= 0 || now > cap)) setText(toInputString(money(cap, c)));
  };
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<Approval>({ supervisorId: '', pin: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const limit = useSettings((s) => s.settings?.refundApprovalLimit ?? 0);
  const { t } = useTranslation('transactions');
  let typed: number;
  try {
    typed = parseAmount(text, c).amount;
  } catch {
    typed = 0;
  }
  const needsApproval = limit === 0 || typed >= limit;
  const action = useAction(async (amount: number) => {
    const r = await call('orders.refund', {
      orderId: tenders.orderId,
      amount,
      reason: reason.trim(),
      ...(choice ? { paymentId: choice } : {}),
      ...(needsApproval && approval.supervisorId && approval.pin ? { approval } : {}),
    });
    onDone(r);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    let amount = 0;
    try {
      amount = parseAmount(text, c).amount;
      if (amount <= 0) problems.amount = t('amount.notPositive');
      else if (amount > max) problems.amount = t('amount.overRefund', { max: fmtMoney(max, c) });
    } catch (err) {
      problems.amount = amountErrorText(err, text, c);
    }
    if (!reason.trim()) problems.reason = t('refund.reasonMissing');
    if (needsApproval && (!approval.supervisorId || !approval.pin)) problems.pin = t('refund.pinMissing');
    setLocal(problems);
    if (Object.keys(problems).length) return;
    void action.run(amount);
  };
  const code = action.error?.code;
  return (
    <form className="action-form" onSubmit={submit} aria-labelledby="order-refund-h" onKeyDown={(e) => (e.key === 'Escape' ? (e.stopPropagation(), onClose()) : undefined)}>
      <h3 id="order-refund-h">{t('tenders.refundTitle')}</h3>
      <div className="grid-2">
        <Field label={t('tenders.backTo')} hint={choice ? undefined : t('tenders.backToHint')}>
          <select className="input" value={choice} onChange={(e) => choose(e.target.value)}>
            <option value="">{t('tenders.lastFirst')}</option>
            {refundable.map((x) => (
              <option key={x.paymentId} value={x.paymentId}>
                {t('tenders.option', { tender: x.method === 'cash' ? t('cash') : maskedCard(x.brand, x.last4), amount: fmtMoney(x.refundable, c) })}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('amount.label', { currency: c })} hint={t('refund.hint', { max: fmtMoney(max, c) })} error={local.amount}>
          <input ref={amountRef} className="input num input-lg" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </Field>
        <Field label={t('refund.reason')} error={local.reason}>
          <input className="input input-lg" dir="auto" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoComplete="off" placeholder={t('refund.reasonPlaceholder')} />
        </Field>
      </div>
      {needsApproval ? <ApprovalFields value={approval} onChange={setApproval} error={local.pin ?? (code === 'APPROVAL_INVALID' ? errorText('APPROVAL_INVALID') : undefined)} /> : null}
      {action.error && code !== 'APPROVAL_INVALID' ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy} busyText={t('refund.busy')} shortcut="Enter">
          {t('tenders.refundSubmit')}
        </Button>
        <Button onClick={onClose} shortcut="Esc">
          {t('cancel')}
        </Button>
      </div>
    </form>
  );
}
