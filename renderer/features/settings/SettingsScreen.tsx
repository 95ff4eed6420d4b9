import { useEffect, useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/contract';
import { formatTaxRate, money, parseAmount, parseTaxRate, toInputString } from '../../../shared/money';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { useSettings } from './settings-store';
import { UsersPanel } from './UsersPanel';

interface FormState {
  stationName: string;
  merchantName: string;
  merchantAddress: string;
  currency: string;
  defaultTax: string;
  idleLockMinutes: string;
  refundApprovalLimit: string;
}

function toForm(s: Settings): FormState {
  return {
    stationName: s.stationName,
    merchantName: s.merchantName,
    merchantAddress: s.merchantAddress,
    currency: s.currency,
    defaultTax: formatTaxRate(s.defaultTaxRateBp).replace(' %', ''),
    idleLockMinutes: String(s.idleLockMinutes),
    refundApprovalLimit: toInputString(money(s.refundApprovalLimit, s.currency)),
  };
}

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const load = useSettings((s) => s.load);
  useEffect(() => {
    load().catch(() => undefined);
  }, [load]);
  return (
    <div className="settings-screen">
      <header className="screen-head">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
      </header>
      <div className="settings-grid">
        {settings ? <SettingsForm settings={settings} /> : <Spinner label="Loading settings…" />}
        <UsersPanel />
      </div>
    </div>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useSettings((s) => s.update);
  const [form, setForm] = useState(() => toForm(settings));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useAction(async (patch: Partial<Settings>) => {
    await update(patch);
    setSaved(true);
  });
  const set = (k: keyof FormState) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setSaved(false);
    setForm((f) => ({ ...f, [k]: e.target.value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    const patch: Partial<Settings> = {
      stationName: form.stationName.trim(),
      merchantName: form.merchantName.trim(),
      merchantAddress: form.merchantAddress.trim(),
      currency: form.currency.trim().toUpperCase(),
    };
    try {
      patch.defaultTaxRateBp = parseTaxRate(form.defaultTax || '0');
    } catch {
      problems.defaultTaxRateBp = 'A percentage like 5 or 7.75';
    }
    const minutes = Number(form.idleLockMinutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 15) problems.idleLockMinutes = 'Between 1 and 15 minutes';
    else patch.idleLockMinutes = minutes;
    try {
      patch.refundApprovalLimit = parseAmount(form.refundApprovalLimit || '0', patch.currency ?? settings.currency).amount;
    } catch (err) {
      problems.refundApprovalLimit = err instanceof Error ? err.message : 'Not an amount';
    }
    setLocal(problems);
    if (Object.keys(problems).length === 0) void save.run(patch);
  };
  const server = fieldErrors(save.error);
  const err = (k: string) => local[k] ?? server[k];
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="station-h">
      <h2 id="station-h">Station and merchant</h2>
      <div className="grid-2">
        <Field label="Station name" error={err('stationName')}>
          <input className="input" value={form.stationName} onChange={set('stationName')} maxLength={60} />
        </Field>
        <Field label="Currency (ISO code)" error={err('currency')}>
          <input className="input" value={form.currency} onChange={set('currency')} maxLength={3} />
        </Field>
      </div>
      <Field label="Merchant name (on receipts)" error={err('merchantName')}>
        <input className="input" value={form.merchantName} onChange={set('merchantName')} maxLength={80} />
      </Field>
      <Field label="Merchant address (on receipts)" error={err('merchantAddress')}>
        <textarea className="input" rows={2} value={form.merchantAddress} onChange={set('merchantAddress')} maxLength={200} />
      </Field>
      <div className="grid-3">
        <Field label="Default tax %" error={err('defaultTaxRateBp')}>
          <input className="input num" inputMode="decimal" value={form.defaultTax} onChange={set('defaultTax')} />
        </Field>
        <Field label="Idle lock (minutes)" error={err('idleLockMinutes')}>
          <input className="input num" inputMode="numeric" value={form.idleLockMinutes} onChange={set('idleLockMinutes')} />
        </Field>
        <Field label="Refund approval from" hint={`${form.currency || settings.currency}; 0 = every refund needs a supervisor`} error={err('refundApprovalLimit')}>
          <input className="input num" inputMode="decimal" value={form.refundApprovalLimit} onChange={set('refundApprovalLimit')} />
        </Field>
      </div>
      {save.error && Object.keys(server).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
      {saved ? <Alert tone="success">Settings saved.</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={save.busy} busyText="Saving…">
          Save settings
        </Button>
      </div>
    </form>
  );
}
