import { useEffect, useState } from 'react';
import { call } from '../../lib/api';
import { fmtDateTime, fmtMoney } from '../../lib/format';
import { Alert } from '../../ui/Alert';
import { useTx, type Row } from './tx-store';

/**
 * Authorizations the bank releases within 48 hours (7 days after they were made): counted and
 * the first to lapse found by the core (its clock, not the browser's; the soonest of all of them).
 */
export function ExpiryBanner() {
  const filter = useTx((s) => s.filter);
  const setFilter = useTx((s) => s.setFilter);
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
  }, [filter]);

  if (!expiring || expiring.total === 0 || filter.view === 'expiring') return null;
  const s = expiring.soonest;
  return (
    <Alert tone="warning" className="expiry-banner" title={`${expiring.total} authorization${expiring.total === 1 ? '' : 's'} expire${expiring.total === 1 ? 's' : ''} within 48 hours`}>
      <span data-testid="expiring-banner">
        {s ? `The first, ${s.orderReference} (${fmtMoney(s.authorized - s.captured, s.currency)} left to capture), lapses on ${fmtDateTime(s.expiresAt)}. ` : ''}
        Capture them before then or the bank releases the funds.{' '}
        <button type="button" className="link" onClick={() => setFilter({ view: 'expiring', status: '' })}>
          Show the expiring authorizations
        </button>
      </span>
    </Alert>
  );
}
