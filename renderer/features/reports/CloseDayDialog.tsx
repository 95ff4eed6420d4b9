import { useTranslation } from 'react-i18next';
import type { EndOfDayReport } from '../../../shared/contract/reports';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtNumber } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { dayInput } from './report-data';

interface Props {
  date: string;
  today: string;
  report: EndOfDayReport | null;
  onCancel: () => void;
  /** The day is closed: the first characters of the snapshot's seal. */
  onClosed: (hash: string) => void | Promise<void>;
}

/** "Close the day": what it means, then the sealed snapshot, once. */
export function CloseDayDialog({ date, today, report, onCancel, onClosed }: Props) {
  const { t } = useTranslation('reports');
  const close = useAction(async () => {
    const snap = await call('reports.closeDay', dayInput(date));
    await onClosed(snap.hash);
  });
  const open = report?.open.length ?? 0;
  return (
    <ConfirmDialog
      title={t('close.title', { date })}
      confirmLabel={t('toolbar.closeDay')}
      // For good: focus starts on Cancel, so a stray Enter does not close the day.
      tone="danger"
      busy={close.busy}
      onCancel={() => {
        close.clearError();
        onCancel();
      }}
      onConfirm={() => void close.run()}
    >
      <p>{t('close.permanent')}</p>
      {date === today ? <p>{t('close.notOver')}</p> : null}
      {open > 0 ? <p>{t('close.stillOpen', { count: open, n: fmtNumber(open) })}</p> : null}
      {close.error ? <p className="field-error">{describeError(close.error)}</p> : null}
    </ConfirmDialog>
  );
}
