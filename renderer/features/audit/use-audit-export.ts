import { call } from '../../lib/api';
import { fmtNumber } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { i18next } from '../../i18n';
import { downloadText } from '../reports/report-data';
import { auditCsv, csvFileName, isFiltered, listInput, type AuditEntry, type AuditFilter } from './audit-data';
import { EXPORT_MAX, EXPORT_PAGE } from './use-audit-log';

/** "Export CSV": every entry matching the filter (not only those on screen), then a sentence saying how many. */
export function useAuditExport(filter: AuditFilter, station: string, onDone: (notice: string) => void) {
  return useAction(async () => {
    const all: AuditEntry[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await call('audit.list', listInput(filter, EXPORT_PAGE, before));
      all.push(...page);
      if (page.length < EXPORT_PAGE || all.length >= EXPORT_MAX) break;
      before = page[page.length - 1]!.seq;
    }
    const filtered = isFiltered(filter);
    downloadText(auditCsv(all), csvFileName(station, new Date(), filtered));
    const values = { count: all.length, n: fmtNumber(all.length) };
    onDone(filtered ? i18next.t('audit:export.doneFiltered', values) : i18next.t('audit:export.done', values));
  });
}
