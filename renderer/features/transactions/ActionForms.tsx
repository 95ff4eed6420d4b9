import { useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { i18next } from '../../i18n';
import { parseAmount, toInputString, money } from '../../../shared/money';
import { amountErrorText } from '../../lib/amount-error';
import { call } from '../../lib/api';
import { describeError, errorText, fieldErrors } from '../../lib/error-text';
import { fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useFocusFirst } from '../../lib/use-focus-first';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { useSettings } from '../settings/settings-store';
import { ApprovalFields, type Approval } from './ApprovalFields';
import { useDetail, type Detail } from './detail-store';

/** Esc closes the form and stops there (the screen's own Esc would go back to the list). */
function closeOnEscape(e: React.KeyboardEvent, close: () => void) {
  if (e.key !== 'Escape') return;
  e.preventDefault();
  e.stopPropagation();
  close();
}

function maxOf(v: Detail['actions']['capture']): number {
  return v.allowed ? (v.max ?? 0) : 0;
}

/** The typed amount, or why it cannot be taken; `over` is the sentence for more than `max`. */
function readAmount(text: string, currency: string, max: number, over: 'overCapture' | 'overRefund'): { amount: number } | { error: string } {
  const t = (key: string, v?: Record<string, unknown>): string => i18next.t(key, v);
  try {
    const amount = parseAmount(text, currency).amount;
    if (amount <= 0) return { error: t('transactions:amount.notPositive') };
    if (amount > max) return { error: t(`transactions:amount.${over}`, { max: fmtMoney(max, currency) }) };
    return { amount };
  } catch (e) {
    return { error: amountErrorText(e, text, currency) };
  }
}

export function CaptureForm({ detail }: { detail: Detail }) {
  const { payment: p } = detail;
  const max = maxOf(detail.actions.capture);
  const [text, setText] = useState(toInputString(money(max, p.currency)));
  const [local, setLocal] = useState<string | undefined>();
  const applied = useDetail((s) => s.applied);
  const openForm = useDetail((s) => s.openForm);
  const ref = useFocusFirst();
  const { t } = useTranslation('transactions');
  const action = useAction(async (amount: number) => {
    const r = await call('payments.capture', { paymentId: p.id, amount });
    applied(r, 'capture', amount);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = readAmount(text, p.currency, max, 'overCapture');
    if ('error' in a) return setLocal(a.error);
    setLocal(undefined);
    void action.run(a.amount);
  };
  return (
    <form className="action-form" onSubmit={submit} aria-labelledby="capture-h" onKeyDown={(e) => closeOnEscape(e, () => openForm(null))}>
      <h3 id="capture-h">{t('capture.title')}</h3>
      <Field className="field-amount" label={t('amount.label', { currency: p.currency })} hint={t('capture.hint', { max: fmtMoney(max, p.currency) })} error={local ?? fieldErrors(action.error).amount}>
        <input ref={ref} className="input num input-lg" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
      </Field>
      {action.error && !fieldErrors(action.error).amount ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy} busyText={t('capture.busy')} shortcut="Enter">
          {t('capture.submit')}
        </Button>
        <Button onClick={() => openForm(null)} shortcut="Esc">
          {t('cancel')}
        </Button>
      </div>
    </form>
  );
}

export function VoidForm({ detail }: { detail: Detail }) {
  const { payment: p } = detail;
  const releases = detail.balance.uncaptured;
  const [reason, setReason] = useState('');
  const applied = useDetail((s) => s.applied);
  const openForm = useDetail((s) => s.openForm);
  const ref = useFocusFirst();
  const { t } = useTranslation('transactions');
  const action = useAction(async () => {
    const r = await call('payments.void', { paymentId: p.id, reason: reason.trim() });
    applied(r, 'void', releases);
  });
  return (
    <form
      className="action-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run();
      }}
      aria-labelledby="void-h"
      onKeyDown={(e) => closeOnEscape(e, () => openForm(null))}
    >
      <h3 id="void-h">{t('void.title')}</h3>
      <p>
        <Trans t={t} i18nKey="void.body" values={{ amount: fmtMoney(releases, p.currency) }} components={{ amount: <bdi /> }} />
      </p>
      <Field label={t('void.reason')}>
        <input ref={ref} className="input" dir="auto" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
      </Field>
      {action.error ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="danger" busy={action.busy} busyText={t('void.busy')} shortcut="Enter">
          {t('void.submit', { amount: fmtMoney(releases, p.currency) })}
        </Button>
        <Button onClick={() => openForm(null)} shortcut="Esc">
          {t('void.keep')}
        </Button>
      </div>
    </form>
  );
}

export function RefundForm({ detail }: { detail: Detail }) {
  const { payment: p } = detail;
  const max = maxOf(detail.actions.refund);
  const limit = useSettings((s) => s.settings?.refundApprovalLimit ?? 0);
  const [text, setText] = useState(toInputString(money(max, p.currency)));
  const [reason, setReason] = useState('');
  const [approval, setApproval] = useState<Approval>({ supervisorId: '', pin: '' });
  const [askApproval, setAskApproval] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const applied = useDetail((s) => s.applied);
  const openForm = useDetail((s) => s.openForm);
  const ref = useFocusFirst();
  const { t } = useTranslation('transactions');

  let typed: number;
  try {
    typed = parseAmount(text, p.currency).amount;
  } catch {
    typed = 0;
  }
  const needsApproval = askApproval || limit === 0 || typed >= limit;

  const action = useAction(async (amount: number) => {
    try {
      const r = await call('payments.refund', {
        paymentId: p.id,
        amount,
        reason: reason.trim(),
        ...(needsApproval && approval.supervisorId && approval.pin ? { approval } : {}),
      });
      applied(r, 'refund', amount);
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'APPROVAL_REQUIRED') setAskApproval(true);
      throw e;
    }
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const a = readAmount(text, p.currency, max, 'overRefund');
    if ('error' in a) problems.amount = a.error;
    if (!reason.trim()) problems.reason = t('refund.reasonMissing');
    if (needsApproval && (!approval.supervisorId || !approval.pin)) problems.pin = t('refund.pinMissing');
    setLocal(problems);
    if (Object.keys(problems).length || 'error' in a) return;
    void action.run(a.amount);
  };
  const server = fieldErrors(action.error);
  const code = action.error?.code;
  return (
    <form className="action-form" onSubmit={submit} aria-labelledby="refund-h" onKeyDown={(e) => closeOnEscape(e, () => openForm(null))}>
      <h3 id="refund-h">{t('refund.title')}</h3>
      <div className="grid-2">
        <Field label={t('amount.label', { currency: p.currency })} hint={t('refund.hint', { max: fmtMoney(max, p.currency) })} error={local.amount ?? server.amount}>
          <input ref={ref} className="input num input-lg" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        </Field>
        <Field label={t('refund.reason')} error={local.reason ?? server.reason}>
          <input className="input input-lg" dir="auto" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoComplete="off" placeholder={t('refund.reasonPlaceholder')} />
        </Field>
      </div>
      {needsApproval ? <ApprovalFields value={approval} onChange={setApproval} error={local.pin ?? (code === 'APPROVAL_INVALID' ? errorText('APPROVAL_INVALID') : undefined)} /> : null}
      {action.error && code !== 'APPROVAL_INVALID' && !server.amount && !server.reason ? <Alert tone="danger">{describeError(action.error)}</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy} busyText={t('refund.busy')} shortcut="Enter">
          {t('refund.submit')}
        </Button>
        <Button onClick={() => openForm(null)} shortcut="Esc">
          {t('cancel')}
        </Button>
      </div>
    </form>
  );
}
