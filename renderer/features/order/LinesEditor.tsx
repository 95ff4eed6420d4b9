import { memo, useMemo, useRef } from 'react';
import { useOrder } from './order-store';
import { useTranslation } from 'react-i18next';
import { parseLines, type DraftLine } from './draft';
import { fmtMoney } from '../../lib/format';
import { Button } from '../../ui/Button';
import { Kbd } from '../../ui/Kbd';
import { useHotkeys } from '../../lib/keys';
import { LineDescription } from './LineDescription';

const SEP = ' · ';
const DASH = '—';
const CROSS = '✕';

function focusLine(index: number, field = 'description') {
  requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`#line-${index}-${field}`)?.focus());
}

/** Order lines: Enter on the last field adds a line, Alt+A adds one, Alt+Backspace removes the current one. */
export function LinesEditor() {
  const lines = useOrder((s) => s.lines);
  const currency = useOrder((s) => s.currency);
  const errors = useOrder((s) => s.errors);
  const updateLine = useOrder((s) => s.updateLine);
  const addLine = useOrder((s) => s.addLine);
  const removeLine = useOrder((s) => s.removeLine);
  const { t } = useTranslation('order');
  const parsed = parseLines(lines, currency);
  const liveErrors = { ...errors };
  // Live feedback for prices as they are typed, without nagging about empty fields.
  for (const [k, v] of Object.entries(parsed.errors)) if (/unitPrice|taxRate|quantity/.test(k) && v !== t('lines.enterPrice')) liveErrors[k] ??= v;

  const add = () => {
    addLine();
    focusLine(lines.length);
  };
  const removeAt = (i: number) => {
    const line = lines[i];
    if (!line) return;
    removeLine(line.key);
    focusLine(Math.max(0, Math.min(i, lines.length - 2)));
  };
  const currentIndex = () => {
    const id = (document.activeElement as HTMLElement | null)?.id ?? '';
    const m = /^line-(\d+)-/.exec(id);
    return m ? Number(m[1]) : -1;
  };

  // Stable for the rows (each row re-renders only when its own props change), calling the latest closures.
  const latest = useRef({ add, removeAt });
  latest.current = { add, removeAt };
  const actions = useMemo<RowActions>(() => ({ add: () => latest.current.add(), removeAt: (i) => latest.current.removeAt(i), updateLine }), [updateLine]);

  useHotkeys({
    'Alt+A': add,
    'Alt+Backspace': () => {
      const i = currentIndex();
      if (i >= 0) removeAt(i);
    },
  });

  return (
    <section className="panel" aria-labelledby="lines-h">
      <div className="panel-head">
        <h2 id="lines-h">{t('lines.title')}</h2>
        <span className="muted small">
          <Kbd keys="Enter" /> {t('lines.helpAdd')}
          {SEP}
          <Kbd keys="Alt+Backspace" /> {t('lines.helpRemove')}
        </span>
      </div>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col" className="col-desc">
              {t('lines.description')}
            </th>
            <th scope="col" className="col-qty">
              {t('lines.qty')}
            </th>
            <th scope="col" className="col-price">
              {t('lines.unitPrice', { currency })}
            </th>
            <th scope="col" className="col-tax">
              {t('lines.tax')}
            </th>
            <th scope="col" className="col-total num">
              {t('lines.net')}
            </th>
            <th scope="col" className="col-x">
              <span className="sr-only">{t('lines.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const blank = !l.description.trim() && !l.unitPrice.trim();
            return (
              <LineRow
                key={l.key}
                index={i}
                line={l}
                currency={currency}
                errDescription={liveErrors[`lines.${i}.description`]}
                errQuantity={liveErrors[`lines.${i}.quantity`]}
                errPrice={liveErrors[`lines.${i}.unitPrice`]}
                errTax={liveErrors[`lines.${i}.taxRate`]}
                net={parsed.rowTotals[i]?.net.amount ?? null}
                addsOnEnter={i === lines.length - 1 && !blank}
                actions={actions}
              />
            );
          })}
        </tbody>
      </table>
      <Button size="sm" onClick={add} shortcut="Alt+A">
        {t('lines.add')}
      </Button>
    </section>
  );
}

interface RowActions {
  add: () => void;
  removeAt: (i: number) => void;
  updateLine: (key: string, patch: Partial<DraftLine>) => void;
}

interface RowProps {
  index: number;
  line: DraftLine;
  currency: string;
  errDescription: string | undefined;
  errQuantity: string | undefined;
  errPrice: string | undefined;
  errTax: string | undefined;
  /** The line's net in minor units (issue #13: one rule for lines, net, here, on the receipt and the detail). */
  net: number | null;
  addsOnEnter: boolean;
  actions: RowActions;
}

/**
 * One order line. Memoised: a scan or a keystroke changes one line (or adds one), and only that row
 * renders again, not all of them (docs/performance.md, scan to line).
 */
const LineRow = memo(function LineRow({ index: i, line: l, currency, errDescription, errQuantity, errPrice, errTax, net, addsOnEnter, actions }: RowProps) {
  const { t } = useTranslation('order');
  const { updateLine } = actions;
  const onEnter = (ev: React.KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey && addsOnEnter) {
      ev.preventDefault();
      actions.add();
    }
  };
  return (
    <tr>
      <td>
        <LineDescription index={i} line={l} currency={currency} error={errDescription} />
      </td>
      <td>
        <input id={`line-${i}-quantity`} className="input num" aria-label={t('lines.lineQuantity', { n: i + 1 })} inputMode="numeric" value={l.quantity} onChange={(ev) => updateLine(l.key, { quantity: ev.target.value })} aria-invalid={errQuantity ? true : undefined} autoComplete="off" />
        {errQuantity ? <div className="field-error">{errQuantity}</div> : null}
      </td>
      <td>
        <input id={`line-${i}-unitPrice`} className="input num" aria-label={t('lines.linePrice', { n: i + 1, currency })} inputMode="decimal" value={l.unitPrice} placeholder="0.00" onChange={(ev) => updateLine(l.key, { unitPrice: ev.target.value })} aria-invalid={errPrice ? true : undefined} autoComplete="off" />
        {errPrice ? <div className="field-error">{errPrice}</div> : null}
      </td>
      <td>
        <input id={`line-${i}-taxRate`} className="input num" aria-label={t('lines.lineTax', { n: i + 1 })} inputMode="decimal" value={l.taxRate} onChange={(ev) => updateLine(l.key, { taxRate: ev.target.value })} onKeyDown={onEnter} aria-invalid={errTax ? true : undefined} autoComplete="off" />
        {errTax ? <div className="field-error">{errTax}</div> : null}
      </td>
      <td className="num line-total" aria-label={t('lines.lineNet', { n: i + 1 })}>
        {net !== null ? fmtMoney(net, currency) : DASH}
      </td>
      <td>
        <button type="button" className="icon-btn" aria-label={t('lines.removeLine', { n: i + 1 })} title={t('lines.removeTitle')} onClick={() => actions.removeAt(i)} tabIndex={-1}>
          {CROSS}
        </button>
      </td>
    </tr>
  );
});
