import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { fmtDateTime, fmtMoney, fmtNumber } from '../../lib/format';
import { Alert } from '../../ui/Alert';

type Summary = OutputOf<'links.expiringSummary'>;
const REFRESH_MS = 60_000;

/**
 * Payment links the customer has not paid that lapse soon (within the station's warning window),
 * shown on Transactions like the expiring authorizations: counted by the core, the first named.
 */
/** `readWith`: read again whenever it changes (the list beside it was read again). */
export function LinkExpiryBanner({ readWith }: { readWith?: unknown }) {
  const { t } = useTranslation('links');
  const [summary, setSummary] = useState<Summary | null>(null);

  useEffect(() => {
    let live = true;
    const read = () =>
      call('links.expiringSummary', {})
        .then((r) => live && setSummary(r))
        .catch(() => live && setSummary(null));
    // After the list's own first request (the core answers one request at a time).
    const first = setTimeout(() => void read(), 0);
    const every = setInterval(() => void read(), REFRESH_MS);
    return () => {
      live = false;
      clearTimeout(first);
      clearInterval(every);
    };
  }, [readWith]);

  if (!summary || summary.total === 0) return null;
  const s = summary.soonest;
  return (
    <Alert tone="warning" className="expiry-banner" title={t('expiring.title', { count: summary.total, n: fmtNumber(summary.total) })}>
      <span data-testid="expiring-links-banner">
        {s ? (
          <>
            <Trans
              t={t}
              i18nKey="expiring.first"
              values={{ reference: s.orderReference, amount: fmtMoney(s.amount, s.currency), email: s.email, when: fmtDateTime(s.expiresAt) }}
              components={{ ref: <bdi />, amount: <bdi />, email: <bdi /> }}
            />{' '}
          </>
        ) : null}
        {t('expiring.advice')}
      </span>
    </Alert>
  );
}
