import { useTranslation } from 'react-i18next';
import { fmtMoney, fmtNumber } from '../../lib/format';

/**
 * "21.363 KWD (1)": an amount and how many payments make it. The amount is isolated, so right to
 * left the count follows it instead of landing between the number and its currency.
 */
export function AmountCount({ amount, currency, count }: { amount: number; currency: string; count: number }) {
  const { t } = useTranslation('reports');
  return (
    <>
      <bdi>{fmtMoney(amount, currency)}</bdi> <span className="muted small">{t('countInBrackets', { n: fmtNumber(count) })}</span>
    </>
  );
}
