import { useOrder } from './order-store';
import { parseLines } from './draft';
import { fmtMoney } from '../../lib/format';
import { Button } from '../../ui/Button';
import { Kbd } from '../../ui/Kbd';
import { LINE_AMOUNT_HEADING } from '../../lib/line-amounts';
import { useHotkeys } from '../../lib/keys';

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
  const parsed = parseLines(lines, currency);
  const liveErrors = { ...errors };
  // Live feedback for prices as they are typed, without nagging about empty fields.
  for (const [k, v] of Object.entries(parsed.errors)) if (/unitPrice|taxRate|quantity/.test(k) && !/Enter a price/.test(v)) liveErrors[k] ??= v;

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
        <h2 id="lines-h">Items</h2>
        <span className="muted small">
          <Kbd keys="Enter" /> on the last field adds a line &middot; <Kbd keys="Alt+Backspace" /> removes one
        </span>
      </div>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col" className="col-desc">Description</th>
            <th scope="col" className="col-qty">Qty</th>
            <th scope="col" className="col-price">Unit price ({currency})</th>
            <th scope="col" className="col-tax">Tax %</th>
            <th scope="col" className="col-total num">{LINE_AMOUNT_HEADING}</th>
            <th scope="col" className="col-x"><span className="sr-only">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const e = (f: string) => liveErrors[`lines.${i}.${f}`];
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
                  <input id={`line-${i}-description`} className="input" aria-label={`Line ${i + 1} description`} value={l.description} maxLength={150} onChange={(ev) => updateLine(l.key, { description: ev.target.value })} aria-invalid={e('description') ? true : undefined} autoComplete="off" />
                  {e('description') ? <div className="field-error">{e('description')}</div> : null}
                </td>
                <td>
                  <input id={`line-${i}-quantity`} className="input num" aria-label={`Line ${i + 1} quantity`} inputMode="numeric" value={l.quantity} onChange={(ev) => updateLine(l.key, { quantity: ev.target.value })} aria-invalid={e('quantity') ? true : undefined} autoComplete="off" />
                  {e('quantity') ? <div className="field-error">{e('quantity')}</div> : null}
                </td>
                <td>
                  <input id={`line-${i}-unitPrice`} className="input num" aria-label={`Line ${i + 1} unit price in ${currency}`} inputMode="decimal" value={l.unitPrice} placeholder="0.00" onChange={(ev) => updateLine(l.key, { unitPrice: ev.target.value })} aria-invalid={e('unitPrice') ? true : undefined} autoComplete="off" />
                  {e('unitPrice') ? <div className="field-error">{e('unitPrice')}</div> : null}
                </td>
                <td>
                  <input id={`line-${i}-taxRate`} className="input num" aria-label={`Line ${i + 1} tax rate in percent`} inputMode="decimal" value={l.taxRate} onChange={(ev) => updateLine(l.key, { taxRate: ev.target.value })} onKeyDown={onEnter} aria-invalid={e('taxRate') ? true : undefined} autoComplete="off" />
                  {e('taxRate') ? <div className="field-error">{e('taxRate')}</div> : null}
                </td>
                <td className="num line-total" aria-label={`Line ${i + 1} net`}>{lineTotal ? fmtMoney(lineTotal.amount, currency) : '—'}</td>
                <td>
                  <button type="button" className="icon-btn" aria-label={`Remove line ${i + 1}`} title="Remove line (Alt+Backspace)" onClick={() => removeAt(i)} tabIndex={-1}>
                    {'✕'}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Button size="sm" onClick={add} shortcut="Alt+A">
        Add line
      </Button>
    </section>
  );
}
