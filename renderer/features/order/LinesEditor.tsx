import { useOrder } from './order-store';
import { useTranslation } from 'react-i18next';
import { parseLines } from './draft';
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
            const e = {
              description: liveErrors[`lines.${i}.description`],
              quantity: liveErrors[`lines.${i}.quantity`],
              unitPrice: liveErrors[`lines.${i}.unitPrice`],
              taxRate: liveErrors[`lines.${i}.taxRate`],
            };
            const blank = !l.description.trim() && !l.unitPrice.trim();
            // The line's net (issue #13: one rule for lines, net, here, on the receipt and the detail).
            const lineTotal = parsed.rowTotals[i]?.net;
            const onEnter = (ev: React.KeyboardEvent) => {
              if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey && i === lines.length - 1 && !blank) {
                ev.preventDefault();
                add();
              }
            };
            return (
              <tr key={l.key}>
                <td>
                  <LineDescription index={i} line={l} currency={currency} error={e.description} />
                </td>
                <td>
                  <input id={`line-${i}-quantity`} className="input num" aria-label={t('lines.lineQuantity', { n: i + 1 })} inputMode="numeric" value={l.quantity} onChange={(ev) => updateLine(l.key, { quantity: ev.target.value })} aria-invalid={e.quantity ? true : undefined} autoComplete="off" />
                  {e.quantity ? <div className="field-error">{e.quantity}</div> : null}
                </td>
                <td>
                  <input id={`line-${i}-unitPrice`} className="input num" aria-label={t('lines.linePrice', { n: i + 1, currency })} inputMode="decimal" value={l.unitPrice} placeholder="0.00" onChange={(ev) => updateLine(l.key, { unitPrice: ev.target.value })} aria-invalid={e.unitPrice ? true : undefined} autoComplete="off" />
                  {e.unitPrice ? <div className="field-error">{e.unitPrice}</div> : null}
                </td>
                <td>
                  <input id={`line-${i}-taxRate`} className="input num" aria-label={t('lines.lineTax', { n: i + 1 })} inputMode="decimal" value={l.taxRate} onChange={(ev) => updateLine(l.key, { taxRate: ev.target.value })} onKeyDown={onEnter} aria-invalid={e.taxRate ? true : undefined} autoComplete="off" />
                  {e.taxRate ? <div className="field-error">{e.taxRate}</div> : null}
                </td>
                <td className="num line-total" aria-label={t('lines.lineNet', { n: i + 1 })}>
                  {lineTotal ? fmtMoney(lineTotal.amount, currency) : DASH}
                </td>
                <td>
                  <button type="button" className="icon-btn" aria-label={t('lines.removeLine', { n: i + 1 })} title={t('lines.removeTitle')} onClick={() => removeAt(i)} tabIndex={-1}>
                    {CROSS}
                  </button>
                </td>
              </tr>
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
