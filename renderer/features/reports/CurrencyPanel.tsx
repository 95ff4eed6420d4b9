import { useTranslation } from 'react-i18next';
import type { CurrencyTotals, EndOfDayReport, Tally } from '../../../shared/contract/reports';
import { fmtMoney, fmtNumber } from '../../lib/format';
import { useIds } from './print-copy';
import { OP_ROWS } from './report-labels';

type Drawer = EndOfDayReport['drawer'][number];

const money = (t: Tally, currency: string) => fmtMoney(t.amount, currency);
/** Money out reads with a minus sign; nothing out reads as zero. */
const out = (t: Tally, currency: string) => fmtMoney(-t.amount, currency);

/** One currency's day: its operations, the net taken, and the cash drawer. */
export function CurrencyPanel({ totals, drawer }: { totals: CurrencyTotals; drawer: Drawer | null }) {
  const { id, tid } = useIds();
  const { t } = useTranslation('reports');
  const c = totals.currency;
  const h = `eod-cur-${c}`;
  return (
    <section className="panel eod-currency" aria-labelledby={id(h)} data-testid={tid(`eod-currency-${c}`)}>
      <h2 id={id(h)}>{c}</h2>
      <div className="eod-currency-grid">
        <table className="table eod-table">
          <caption className="sr-only">{t('currency.caption', { currency: c })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col.operation')}</th>
              <th scope="col" className="num">
                {t('col.count')}
              </th>
              <th scope="col" className="num">
                {t('col.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {OP_ROWS.map(([field, key]) => {
              const v = totals[field] as Tally;
              return (
                <tr key={field} className={v.count === 0 ? 'eod-zero' : undefined} data-testid={tid(`eod-${c}-${field}`)}>
                  <th scope="row">{t(`figure.${key}`)}</th>
                  <td className="num">{fmtNumber(v.count)}</td>
                  <td className="num">{money(v, c)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="eod-keyfigs">
          <dl className="eod-figure eod-figure-main">
            <dt>{t('currency.netTaken')}</dt>
            <dd data-testid={tid(`eod-net-${c}`)}>{fmtMoney(totals.net, c)}</dd>
          </dl>
          <dl className="eod-lines">
            <div>
              <dt>{t('currency.taken', { n: fmtNumber(totals.taken.count) })}</dt>
              <dd data-testid={tid(`eod-${c}-taken`)}>{money(totals.taken, c)}</dd>
            </div>
            <div>
              <dt>{t('currency.refunded', { n: fmtNumber(totals.refunded.count) })}</dt>
              <dd data-testid={tid(`eod-${c}-refunded`)}>{out(totals.refunded, c)}</dd>
            </div>
          </dl>
          {drawer ? <DrawerCount drawer={drawer} /> : <div className="eod-drawer muted small">{t('drawer.none', { currency: c })}</div>}
        </div>
      </div>
    </section>
  );
}

/** What the cash drawer should hold for a currency: cash in, cash paid back, on top of the float. */
function DrawerCount({ drawer }: { drawer: Drawer }) {
  const { tid } = useIds();
  const { t } = useTranslation('reports');
  const c = drawer.currency;
  return (
    <div className="eod-drawer" role="group" aria-label={t('drawer.label', { currency: c })}>
      <dl className="eod-figure">
        <dt>{t('figure.expected')}</dt>
        <dd data-testid={tid(`eod-drawer-${c}`)}>{fmtMoney(drawer.expected, c)}</dd>
      </dl>
      <dl className="eod-lines">
        <div>
          <dt>{t('drawer.cashIn', { n: fmtNumber(drawer.cashIn.count) })}</dt>
          <dd>{money(drawer.cashIn, c)}</dd>
        </div>
        <div>
          <dt>{t('drawer.cashOut', { n: fmtNumber(drawer.cashOut.count) })}</dt>
          <dd>{out(drawer.cashOut, c)}</dd>
        </div>
      </dl>
      <div className="muted small">{t('drawer.float')}</div>
    </div>
  );
}
