import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../ui/Alert';
import { Field } from '../../ui/Field';
import { useOrder } from '../order/order-store';
import { useSync } from '../queue/sync-store';
import { useSettings } from '../settings/settings-store';
import { useLinks, type LinkNotify } from './link-store';

const NOTIFY: LinkNotify[] = ['EMAIL', 'SMS', 'EMAIL_SMS'];

/** "Send a payment link": where to send it and how long it stays open (order screen, payment column). */
export function LinkSendFields() {
  const { t } = useTranslation('links');
  const customer = useOrder((s) => s.customer);
  const errors = useOrder((s) => s.errors);
  const online = useSync((s) => s.status?.online ?? true);
  const expiry = useSettings((s) => s.settings?.paymentLinks);
  const { email, phone, notify, expiryMinutes, set } = useLinks();

  // Prefilled from the customer on the line; the clerk may change it for this link only.
  const known = customer.kind === 'existing' ? customer.customer : customer.kind === 'new' ? { email: customer.email, phone: customer.phone } : null;
  useEffect(() => {
    if (!known) return;
    useLinks.setState((s) => ({ email: s.email || known.email || '', phone: s.phone || (known.phone ?? '').replace(/[^\d+]/g, '') }));
  }, [known?.email, known?.phone]);

  const needsPhone = notify !== 'EMAIL';
  const hours = expiry ? Math.round(expiry.defaultMinutes / 60) : 24;
  return (
    <div className="link-send" data-testid="link-send">
      {!online ? (
        <Alert tone="warning" title={t('offline.title')}>
          {t('offline.body')}
        </Alert>
      ) : null}
      <p className="muted small">{t('send.explain')}</p>
      <Field label={t('send.email')} error={errors['link.email']}>
        <input className="input" type="email" dir="ltr" value={email} onChange={(e) => set({ email: e.target.value })} autoComplete="off" spellCheck={false} />
      </Field>
      <div className="segmented segmented-sm" role="radiogroup" aria-label={t('send.notifyLabel')}>
        {NOTIFY.map((n) => (
          <label key={n} className={`segment ${notify === n ? 'checked' : ''}`}>
            <input type="radio" name="link-notify" value={n} checked={notify === n} onChange={() => set({ notify: n })} />
            {t(`notify.${n}`)}
          </label>
        ))}
      </div>
      {needsPhone ? (
        <Field label={t('send.phone')} error={errors['link.phone']}>
          <input className="input" type="tel" dir="ltr" inputMode="tel" value={phone} onChange={(e) => set({ phone: e.target.value })} autoComplete="off" />
        </Field>
      ) : null}
      <Field
        label={t('send.expiry')}
        hint={expiry ? t('send.expiryHint', { hours, min: expiry.minMinutes, maxHours: Math.round(expiry.maxMinutes / 60) }) : undefined}
        error={errors['link.expiry']}
      >
        <input className="input num" inputMode="numeric" value={expiryMinutes} placeholder={String(expiry?.defaultMinutes ?? 1440)} onChange={(e) => set({ expiryMinutes: e.target.value.replace(/[^\d]/g, '') })} autoComplete="off" />
      </Field>
    </div>
  );
}
