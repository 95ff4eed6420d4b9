import { useTranslation } from 'react-i18next';
import type { EndOfDayReport, ReportScope } from '../../../shared/contract/reports';
import { Button } from '../../ui/Button';
import { csvFileName, downloadText, reportCsv, shiftDate } from './report-data';

/** Arrows between days (not words: not translated), pointing back and on in the reading direction. */
const ARROWS = { ltr: { previous: '\u2039', next: '\u203a' }, rtl: { previous: '\u203a', next: '\u2039' } } as const;

interface Props {
  date: string;
  today: string;
  onDate: (date: string) => void;
  report: EndOfDayReport | null;
  /** Null when the user may not close a day (a clerk). */
  onClose: (() => void) | null;
  closeDisabled: boolean;
  /** Offered in a shop only: this station's operations or every station's. */
  scope: ReportScope;
  onScope: ((scope: ReportScope) => void) | null;
}

const SCOPES: readonly ReportScope[] = ['station', 'shop'];

/** Which day, and what to do with its report: print, export CSV, close the day. */
export function DayToolbar({ date, today, onDate, report, onClose, closeDisabled, scope, onScope }: Props) {
  const { t, i18n } = useTranslation('reports');
  const arrow = ARROWS[i18n.dir()];
  return (
    <div className="panel eod-toolbar" role="group" aria-label={t('toolbar.label')}>
      <div className="eod-day">
        <label className="field-label" htmlFor="eod-date">
          {t('toolbar.day')}
        </label>
        <div className="eod-day-row">
          <Button size="sm" variant="ghost" aria-label={t('toolbar.previous')} onClick={() => onDate(shiftDate(date, -1))}>
            {arrow.previous}
          </Button>
          <input id="eod-date" className="input eod-date" type="date" value={date} max={today} required onChange={(e) => onDate(e.target.value)} />
          <Button size="sm" variant="ghost" aria-label={t('toolbar.next')} disabled={date >= today} onClick={() => onDate(shiftDate(date, 1))}>
            {arrow.next}
          </Button>
          {date !== today ? (
            <Button size="sm" variant="ghost" onClick={() => onDate(today)}>
              {t('toolbar.today')}
            </Button>
          ) : null}
        </div>
      </div>
      {onScope ? (
        <div className="eod-day">
          <span className="field-label" id="eod-scope-label">
            {t('toolbar.scope')}
          </span>
          <div className="chips" role="radiogroup" aria-labelledby="eod-scope-label">
            {SCOPES.map((v) => (
              <label key={v} className={`chip ${scope === v ? 'checked' : ''}`}>
                <input type="radio" name="eod-scope" value={v} checked={scope === v} onChange={() => onScope(v)} />
                {t(v === 'shop' ? 'toolbar.scopeShop' : 'toolbar.scopeStation')}
              </label>
            ))}
          </div>
        </div>
      ) : null}
      <div className="eod-actions">
        <Button onClick={() => window.print()} disabled={!report} shortcut="Ctrl+P">
          {t('toolbar.print')}
        </Button>
        <Button onClick={() => report && downloadText(reportCsv(report), csvFileName(report))} disabled={!report}>
          {t('toolbar.exportCsv')}
        </Button>
        {onClose ? (
          <Button variant="primary" onClick={onClose} disabled={closeDisabled || scope === 'shop'} title={scope === 'shop' ? t('toolbar.closePerStation') : undefined}>
            {t('toolbar.closeDay')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
