import { useTranslation } from 'react-i18next';
import { useNav } from '../../app/nav-store';
import { fmtNumber } from '../../lib/format';
import { Button } from '../../ui/Button';
import { useBulkPrefill, type PrefillKind } from '../bulk/bulk-prefill';
import { useTxSelection } from './tx-selection';

const ACTIONS: PrefillKind[] = ['capture', 'void', 'refund'];

/**
 * What a supervisor picked on the list, and the one bulk action to take on it: the picked payments
 * go to the bulk screen as its file (reason, then the same preview as a CSV gets), nothing is sent
 * from here.
 */
export function SelectionBar({ shown }: { shown: number }) {
  const { t } = useTranslation('transactions');
  const picked = useTxSelection((s) => s.picked);
  const go = useNav((s) => s.go);
  const act = (kind: PrefillKind) => {
    useBulkPrefill.getState().offer(kind, [...picked.values()]);
    useTxSelection.getState().clear();
    go('bulk');
  };
  if (picked.size === 0) {
    return (
      <p className="muted small tx-select-hint" id="tx-select-hint">
        {t('select.hint')}
      </p>
    );
  }
  return (
    <div className="tx-selection-bar" role="region" aria-label={t('select.region')} data-testid="tx-selection-bar">
      <strong aria-live="polite">{t('select.count', { count: picked.size, n: fmtNumber(picked.size), shown: fmtNumber(shown) })}</strong>
      {ACTIONS.map((k) => (
        <Button key={k} variant={k === 'capture' ? 'primary' : 'secondary'} onClick={() => act(k)}>
          {t(`select.${k}`, { count: picked.size, n: fmtNumber(picked.size) })}
        </Button>
      ))}
      <Button variant="ghost" onClick={() => useTxSelection.getState().clear()}>
        {t('select.clear')}
      </Button>
    </div>
  );
}
