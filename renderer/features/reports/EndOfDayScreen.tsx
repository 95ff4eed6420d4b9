import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { ReportScope } from '../../../shared/contract/reports';
import { roleAtLeast } from '../../../shared/domain/roles';
import { Alert, Spinner } from '../../ui/Alert';
import { useSession } from '../session/session-store';
import { CloseDayDialog } from './CloseDayDialog';
import { ClosedDays } from './ClosedDays';
import { Comparison } from './Comparison';
import { DayToolbar } from './DayToolbar';
import { PrintCopy } from './print-copy';
import { localDate } from './report-data';
import { ReportView } from './ReportView';
import { useDayReport } from './use-day-report';
import './end-of-day.css';

/** Symbols beside the state word, so it never depends on colour alone. */
const CLOSED_GLYPH = '\u2713';
const OPEN_GLYPH = '\u25cb';

/**
 * End of day: the figures of one station-local day (docs/reports.md), print, CSV export, and for a
 * supervisor "Close the day"; once closed, the stored snapshot next to a fresh computation.
 */
export function EndOfDayScreen() {
  const { t } = useTranslation('reports');
  const today = localDate();
  const [date, setDate] = useState(today);
  const [scope, setScope] = useState<ReportScope>('station');
  const { data, closedDays, error, loading, reload } = useDayReport(date, scope);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const canClose = roleAtLeast(role, 'supervisor');

  useEffect(() => setNotice(null), [date]);

  // While this screen is open, printing (the button or Ctrl+P) prints the report and nothing else.
  useEffect(() => {
    document.body.classList.add('eod-active');
    return () => document.body.classList.remove('eod-active');
  }, []);

  const report = data?.report ?? null;
  const isClosed = Boolean(data?.closed);
  // The choice appears once the core says this station is in a shop.
  const inShop = Boolean(report?.inShop) || scope === 'shop';
  const printRoot = typeof document !== 'undefined' ? document.body : null;

  return (
    <div className="eod-screen">
      <header className="screen-head">
        <h1 id="eod-title" tabIndex={-1}>
          {t('title')}
        </h1>
        {data ? (
          isClosed ? (
            <span className="badge badge-success" data-testid="eod-closed">
              <span aria-hidden="true" className="badge-glyph">
                {CLOSED_GLYPH}
              </span>
              {t('state.closed')}
            </span>
          ) : (
            <span className="badge badge-neutral">
              <span aria-hidden="true" className="badge-glyph">
                {OPEN_GLYPH}
              </span>
              {t('state.open')}
            </span>
          )
        ) : null}
      </header>

      <DayToolbar
        date={date}
        today={today}
        onDate={setDate}
        report={report}
        onClose={canClose ? () => setConfirming(true) : null}
        closeDisabled={!report || isClosed || loading}
        scope={scope}
        onScope={inShop ? setScope : null}
      />
      {inShop && scope === 'shop' && canClose && !isClosed ? <p className="muted small">{t('toolbar.closePerStation')}</p> : null}

      {notice ? (
        <Alert tone="success" title={t('close.doneTitle')}>
          {notice}
        </Alert>
      ) : null}
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!report && loading ? <Spinner label={t('computing')} /> : null}

      {data?.compare ? <Comparison compare={data.compare} /> : null}
      {report ? (
        <div aria-busy={loading || undefined}>
          <ReportView report={report} />
        </div>
      ) : null}
      {closedDays && closedDays.length > 0 ? <ClosedDays days={closedDays} onOpen={setDate} current={date} /> : null}

      {confirming ? (
        <CloseDayDialog
          date={date}
          today={today}
          report={report}
          onCancel={() => setConfirming(false)}
          onClosed={async (hash) => {
            setConfirming(false);
            setNotice(t('close.done', { date, seal: `${hash.slice(0, 12)}\u2026` }));
            await reload();
          }}
        />
      ) : null}

      {report && printRoot
        ? createPortal(
            <div className="eod-print">
              <PrintCopy.Provider value={true}>
                {data?.compare ? <Comparison compare={data.compare} /> : null}
                <ReportView report={report} />
              </PrintCopy.Provider>
            </div>,
            printRoot,
          )
        : null}
    </div>
  );
}
