import type { PrintOutcome } from '../../../shared/contract';
import { i18next } from '../../i18n';

/** The plain sentence for what went wrong at the printer (catalogue 'printing', problem.*). */
export function problemText(o: Pick<PrintOutcome, 'problem'>): string {
  return o.problem ? i18next.t(`printing:problem.${o.problem}`) : '';
}

/** What a finished job did, in one short sentence. */
export function outcomeText(o: PrintOutcome): string {
  if (o.status === 'printed') return o.drawerOpened ? i18next.t('printing:status.printedDrawer') : i18next.t('printing:status.printed');
  if (o.status === 'skipped' && o.drawerOpened) return i18next.t('printing:status.drawerOnly');
  return problemText(o);
}
