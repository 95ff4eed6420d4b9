import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { call, subscribe } from '../../lib/api';
import { useTranslation } from 'react-i18next';
import { TAX_EXAMPLES } from '../../lib/format';
import type { Settings } from '../../../shared/contract';
import { formatTaxRate, money, parseAmount, parseTaxRate, toInputString } from '../../../shared/money';
import { describeError, fieldErrors } from '../../lib/error-text';
import { fmtNumber } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { amountProblem, translateFields } from './field-messages';
import { useSettings } from './settings-store';
import { ShopServerPanel } from './ShopServerPanel';
import { UsersPanel } from './UsersPanel';
import { GatewayPanel } from './GatewayPanel';
import { PrinterPanel } from '../printing/PrinterPanel';
import { ScannerSettingsPanel } from '../catalog/ScannerSettingsPanel';

/** The contract's bounds of a link expiry (shared/contract/links.ts). */
const LINK_MINUTES = { min: 15, max: 43_200 } as const;

interface FormState {
  stationName: string;
  merchantName: string;
  merchantAddress: string;
  currency: string;
  defaultTax: string;
  idleLockMinutes: string;
  refundApprovalLimit: string;
  allowSelfApproval: boolean;
  confirmationTimeoutSeconds: string;
  offlineEnabled: boolean;
  offlinePerCharge: string;
  offlineTotal: string;
  offlineMaxCount: string;
  offlineMaxAgeHours: string;
  linkDefault: string;
  linkMin: string;
  linkMax: string;
  linkWarn: string;
  /** '' = the station's own zone (settings.timeZone null). */
  timeZone: string;
}

/** The IANA zones this runtime knows (what the core accepts), for the shop's time zone. */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');
const STATION_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function toForm(s: Settings): FormState {
  return {
    stationName: s.stationName,
    merchantName: s.merchantName,
    merchantAddress: s.merchantAddress,
    currency: s.currency,
    defaultTax: formatTaxRate(s.defaultTaxRateBp).replace(' %', ''),
    idleLockMinutes: String(s.idleLockMinutes),
    refundApprovalLimit: toInputString(money(s.refundApprovalLimit, s.currency)),
    allowSelfApproval: s.allowSelfApproval,
    confirmationTimeoutSeconds: String(s.confirmationTimeoutSeconds),
    offlineEnabled: s.offlineCharges.enabled,
    offlinePerCharge: toInputString(money(s.offlineCharges.perCharge, s.currency)),
    offlineTotal: toInputString(money(s.offlineCharges.totalOutstanding, s.currency)),
    offlineMaxCount: String(s.offlineCharges.maxCount),
    offlineMaxAgeHours: String(s.offlineCharges.maxAgeHours),
    linkDefault: String(s.paymentLinks.defaultMinutes),
    linkMin: String(s.paymentLinks.minMinutes),
    linkMax: String(s.paymentLinks.maxMinutes),
    linkWarn: String(s.paymentLinks.warnMinutes),
    timeZone: s.timeZone ?? '',
  };
}

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const load = useSettings((s) => s.load);
  const { t } = useTranslation('settings');
  /** Bumped when another desk changed the shop's settings: the form starts again from them. */
  const [shopVersion, setShopVersion] = useState(0);
  const [inShop, setInShop] = useState(false);
  const askShop = useCallback(() => {
    call('shop.status', {}).then(
      (s) => setInShop(s.state !== 'not_configured'),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    load().catch(() => undefined);
    askShop();
  }, [load, askShop]);
  useEffect(
    () =>
      // Records from other desks: this desk is in a shop (it may have joined on this screen).
      subscribe('shop.changed', ({ tables }) => {
        askShop();
        if (!tables.includes('shop_settings')) return;
        load().then(
          () => setShopVersion((v) => v + 1),
          () => undefined,
        );
      }),
    [load, askShop],
  );
  return (
    <div className="settings-screen">
      <header className="screen-head">
        <h1 id="settings-title" tabIndex={-1}>
          {t('title')}
        </h1>
      </header>
      <div className="settings-grid">
        {settings ? <SettingsForm key={shopVersion} settings={settings} inShop={inShop} changedElsewhere={shopVersion > 0} /> : <Spinner label={t('loading')} />}
        <UsersPanel />
        <GatewayPanel />
        <ShopServerPanel />
        <PrinterPanel />
        <ScannerSettingsPanel />
      </div>
    </div>
  );
}

function SettingsForm({ settings, inShop, changedElsewhere }: { settings: Settings; inShop: boolean; changedElsewhere: boolean }) {
  const update = useSettings((s) => s.update);
  const { t } = useTranslation('settings');
  const [form, setForm] = useState(() => toForm(settings));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useAction(async (patch: Partial<Settings>) => {
    await update(patch);
    setSaved(true);
  });
  const set = (k: keyof FormState) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
    setSaved(false);
    const target = e.target;
    setForm((f) => ({ ...f, [k]: target instanceof HTMLInputElement && target.type === 'checkbox' ? target.checked : target.value }));
  };
  const whole = (text: string, min: number, max: number, key: string, problems: Record<string, string>): number | undefined => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems[key] = t('problem.wholeNumber', { min, max });
      return undefined;
    }
    return n;
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
      problems.defaultTaxRateBp = t('problem.taxRate', TAX_EXAMPLES);
    }
    const minutes = Number(form.idleLockMinutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 15) problems.idleLockMinutes = t('problem.idleLock', { min: 1, max: 15 });
    else patch.idleLockMinutes = minutes;
    try {
      patch.refundApprovalLimit = parseAmount(form.refundApprovalLimit || '0', patch.currency ?? settings.currency).amount;
    } catch (err) {
      problems.refundApprovalLimit = amountProblem(err, form.refundApprovalLimit, patch.currency ?? settings.currency, t);
    }
    patch.allowSelfApproval = form.allowSelfApproval;
    patch.timeZone = form.timeZone || null;
    const timeout = whole(form.confirmationTimeoutSeconds, 30, 3600, 'confirmationTimeoutSeconds', problems);
    if (timeout !== undefined) patch.confirmationTimeoutSeconds = timeout;
    const currency = patch.currency ?? settings.currency;
    const amountOf = (text: string, key: string): number => {
      try {
        return parseAmount(text || '0', currency).amount;
      } catch (err) {
        problems[key] = amountProblem(err, text, currency, t);
        return 0;
      }
    };
    patch.offlineCharges = {
      enabled: form.offlineEnabled,
      perCharge: amountOf(form.offlinePerCharge, 'offlineCharges.perCharge'),
      totalOutstanding: amountOf(form.offlineTotal, 'offlineCharges.totalOutstanding'),
      maxCount: whole(form.offlineMaxCount, 0, 10_000, 'offlineCharges.maxCount', problems) ?? 0,
      maxAgeHours: whole(form.offlineMaxAgeHours, 1, 168, 'offlineCharges.maxAgeHours', problems) ?? 1,
    };
    // Pay by link: every expiry in minutes (15 minutes to 30 days), the default within its limits.
    const links = {
      defaultMinutes: whole(form.linkDefault, LINK_MINUTES.min, LINK_MINUTES.max, 'paymentLinks.defaultMinutes', problems),
      minMinutes: whole(form.linkMin, LINK_MINUTES.min, LINK_MINUTES.max, 'paymentLinks.minMinutes', problems),
      maxMinutes: whole(form.linkMax, LINK_MINUTES.min, LINK_MINUTES.max, 'paymentLinks.maxMinutes', problems),
      warnMinutes: whole(form.linkWarn, 1, 1_440, 'paymentLinks.warnMinutes', problems),
    };
    if (links.defaultMinutes !== undefined && links.minMinutes !== undefined && links.maxMinutes !== undefined && links.warnMinutes !== undefined) {
      if (links.minMinutes > links.maxMinutes) problems['paymentLinks.maxMinutes'] = t('problem.linkMinMax');
      else if (links.defaultMinutes < links.minMinutes || links.defaultMinutes > links.maxMinutes) problems['paymentLinks.defaultMinutes'] = t('fieldError.linkExpiryOrder');
      else patch.paymentLinks = { defaultMinutes: links.defaultMinutes, minMinutes: links.minMinutes, maxMinutes: links.maxMinutes, warnMinutes: links.warnMinutes };
    }
    setLocal(problems);
    if (Object.keys(problems).length === 0) void save.run(patch);
  };
  const server = translateFields(fieldErrors(save.error), t);
  const hoursHint = (minutes: string): string | undefined => {
    const n = Number(minutes);
    return Number.isInteger(n) && n >= 60 ? t('links.inHours', { hours: fmtNumber(Math.round((n / 60) * 10) / 10) }) : undefined;
  };
  const err = (k: string) => local[k] ?? server[k];
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="station-h">
      <h2 id="station-h">{t('station.heading')}</h2>
      {changedElsewhere ? <Alert tone="info">{t('station.shopChanged')}</Alert> : null}
      <h3>{t('station.deskHeading')}</h3>
      <Field label={t('station.stationName')} error={err('stationName')}>
        <input className="input" dir="auto" value={form.stationName} onChange={set('stationName')} maxLength={60} />
      </Field>
      <h3 data-testid="settings-shop-wide">{t('station.shopHeading')}</h3>
      <p className="muted small">{inShop ? t('station.shopHint') : t('station.shopHintSingle')}</p>
      <div className="grid-2">
        <Field label={t('station.merchantName')} error={err('merchantName')}>
          <input className="input" dir="auto" value={form.merchantName} onChange={set('merchantName')} maxLength={80} />
        </Field>
        <Field label={t('station.currency')} error={err('currency')}>
          <input className="input" value={form.currency} onChange={set('currency')} maxLength={3} dir="ltr" />
        </Field>
      </div>
      <Field label={t('station.merchantAddress')} error={err('merchantAddress')}>
        <textarea className="input" dir="auto" rows={2} value={form.merchantAddress} onChange={set('merchantAddress')} maxLength={200} />
      </Field>
      <div className="grid-3">
        <Field label={t('station.defaultTax')} error={err('defaultTaxRateBp')}>
          <input className="input num" inputMode="decimal" value={form.defaultTax} onChange={set('defaultTax')} />
        </Field>
        <Field label={t('station.idleLock')} error={err('idleLockMinutes')}>
          <input className="input num" inputMode="numeric" value={form.idleLockMinutes} onChange={set('idleLockMinutes')} />
        </Field>
        <Field label={t('station.refundApproval')} hint={t('station.refundApprovalHint', { currency: form.currency || settings.currency, zero: 0 })} error={err('refundApprovalLimit')}>
          <input className="input num" inputMode="decimal" value={form.refundApprovalLimit} onChange={set('refundApprovalLimit')} />
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.allowSelfApproval} onChange={set('allowSelfApproval')} />
        {t('station.selfApproval')}
      </label>
      <Field label={t('station.timeZone')} hint={t('station.timeZoneHint')} error={err('timeZone')}>
        <select className="input" value={form.timeZone} onChange={set('timeZone')}>
          <option value="">{t('station.timeZoneStation', { zone: STATION_ZONE })}</option>
          {(form.timeZone && !TIME_ZONES.includes(form.timeZone) ? [form.timeZone, ...TIME_ZONES] : TIME_ZONES).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('station.confirmationTimeout')} error={err('confirmationTimeoutSeconds')}>
        <input className="input num" inputMode="numeric" value={form.confirmationTimeoutSeconds} onChange={set('confirmationTimeoutSeconds')} />
      </Field>

      <fieldset className="settings-offline">
        <legend>{t('offline.legend')}</legend>
        <label className="check">
          <input type="checkbox" checked={form.offlineEnabled} onChange={set('offlineEnabled')} />
          {t('offline.enabled')}
        </label>
        <div className="grid-2">
          <Field label={t('offline.perCharge', { currency: form.currency || settings.currency })} error={err('offlineCharges.perCharge')}>
            <input className="input num" inputMode="decimal" value={form.offlinePerCharge} onChange={set('offlinePerCharge')} disabled={!form.offlineEnabled} />
          </Field>
          <Field label={t('offline.total', { currency: form.currency || settings.currency })} error={err('offlineCharges.totalOutstanding')}>
            <input className="input num" inputMode="decimal" value={form.offlineTotal} onChange={set('offlineTotal')} disabled={!form.offlineEnabled} />
          </Field>
          <Field label={t('offline.maxCount')} error={err('offlineCharges.maxCount')}>
            <input className="input num" inputMode="numeric" value={form.offlineMaxCount} onChange={set('offlineMaxCount')} disabled={!form.offlineEnabled} />
          </Field>
          <Field label={t('offline.maxAge')} error={err('offlineCharges.maxAgeHours')}>
            <input className="input num" inputMode="numeric" value={form.offlineMaxAgeHours} onChange={set('offlineMaxAgeHours')} disabled={!form.offlineEnabled} />
          </Field>
        </div>
      </fieldset>
      <fieldset className="settings-offline" data-testid="settings-links">
        <legend>{t('links.legend')}</legend>
        <p className="muted small">{t('links.explain')}</p>
        <div className="grid-2">
          <Field label={t('links.default')} hint={hoursHint(form.linkDefault)} error={err('paymentLinks.defaultMinutes')}>
            <input className="input num" inputMode="numeric" value={form.linkDefault} onChange={set('linkDefault')} />
          </Field>
          <Field label={t('links.warn')} error={err('paymentLinks.warnMinutes')}>
            <input className="input num" inputMode="numeric" value={form.linkWarn} onChange={set('linkWarn')} />
          </Field>
          <Field label={t('links.min')} hint={hoursHint(form.linkMin)} error={err('paymentLinks.minMinutes')}>
            <input className="input num" inputMode="numeric" value={form.linkMin} onChange={set('linkMin')} />
          </Field>
          <Field label={t('links.max')} hint={hoursHint(form.linkMax)} error={err('paymentLinks.maxMinutes')}>
            <input className="input num" inputMode="numeric" value={form.linkMax} onChange={set('linkMax')} />
          </Field>
        </div>
      </fieldset>
      {save.error && Object.keys(server).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
      {saved ? <Alert tone="success">{t('saved')}</Alert> : null}
      <div className="actions">
        <Button type="submit" variant="primary" busy={save.busy} busyText={t('saving')}>
          {t('save')}
        </Button>
      </div>
    </form>
  );
}
