import { fmtMoney } from '../../lib/format';
import { useTranslation } from 'react-i18next';
import { parseLines } from './draft';
import { useOrder } from './order-store';

/** Live totals from the one shared rule (orderTotals). */
export function useLiveTotals() {
  const lines = useOrder((s) => s.lines);
  const currency = useOrder((s) => s.currency);
  return parseLines(lines, currency).totals;
}

export function TotalsBox() {
  const totals = useLiveTotals();
  const c = totals.total.currency;
  const { t } = useTranslation('order');
  return (
    <dl className="totals" aria-label={t('totals.label')}>
      <div>
        <dt>{t('totals.net')}</dt>
        <dd data-testid="total-net">{fmtMoney(totals.net.amount, c)}</dd>
      </div>
      <div>
        <dt>{t('totals.tax')}</dt>
        <dd data-testid="total-tax">{fmtMoney(totals.tax.amount, c)}</dd>
      </div>
      <div className="totals-grand">
        <dt>{t('totals.total')}</dt>
        <dd data-testid="total">{fmtMoney(totals.total.amount, c)}</dd>
      </div>
    </dl>
  );
}
