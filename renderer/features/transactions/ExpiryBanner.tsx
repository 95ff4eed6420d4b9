import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { call } from '../../lib/api';
import { fmtDateTime, fmtMoney, fmtNumber } from '../../lib/format';
import { Alert } from '../../ui/Alert';
import { useTx, type Row } from './tx-store';

/**
 * Authorizations the bank releases within 48 hours (7 days after they were made): counted and
 * the first to lapse found by the core (its clock, not the browser's; the soonest of all of them).
 */
export function ExpiryBanner() {
  const filter = useTx((s) => s.filter);
  const setFilter = useTx((s) => s.setFilter);
  // Read again whenever the list is (F4, a filter, another desk's payment): the list drawn ahead
  // stays mounted from the desk's start until F4 (Shell), and must not show a count from then.
  const generation = useTx((s) => s.generation);
  const { t } = useTranslation('transactions');
  const [expiring, setExpiring] = useState<{ total: number; soonest: Row | null } | null>(null);

  useEffect(() => {
    let live = true;
    // After the list's own request: this effect runs before its parent's (TxList's reload), and
    // the core answers one request at a time, so asking first would hold the first rows back.
    const t = setTimeout(() => {
      call('payments.expiringSummary', {})
        .then((r) => live && setExpiring(r))
        .catch(() => live && setExpiring(null));
    }, 0);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [filter, generation]);

  if (!expiring || expiring.total === 0 || filter.view === 'expiring') return null;
  const s = expiring.soonest;
  return (
    <Alert tone="warning" className="expiry-banner" title={t('expiry.title', { count: expiring.total, n: fmtNumber(expiring.total), hours: fmtNumber(48) })}>
      <span data-testid="expiring-banner">
        {s ? (
          <>
            <Trans
              t={t}
              i18nKey="expiry.first"
              values={{ reference: s.orderReference, amount: fmtMoney(s.authorized - s.captured, s.currency), when: fmtDateTime(s.expiresAt) }}
              components={{ ref: <bdi />, amount: <bdi /> }}
            />{' '}
          </>
        ) : null}
        {t('expiry.advice')}{' '}
        <button type="button" className="link" onClick={() => setFilter({ view: 'expiring', status: '' })}>
          {t('expiry.show')}
        </button>
      </span>
    </Alert>
  );
}
