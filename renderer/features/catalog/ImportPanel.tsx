import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtNumber, TAX_EXAMPLES } from '../../lib/format';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';

type Preview = OutputOf<'catalog.importPreview'>;
type Result = OutputOf<'catalog.importApply'>;

/**
 * Import a CSV file: the core judges every row and the preview says what each would do and why a
 * row is refused (line and field); nothing is written until "Import" is pressed.
 */
export function ImportPanel({ onImported, onClose }: { onImported: () => void; onClose: () => void }) {
  const { t } = useTranslation('catalog');
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const judge = useAction(async (text: string) => {
    setResult(null);
    setPreview(await call('catalog.importPreview', { csv: text }));
  });
  const apply = useAction(async () => {
    if (!csv) return;
    setResult(await call('catalog.importApply', { csv }));
    setPreview(null);
    onImported();
  });

  const writes = preview ? preview.counts.add + preview.counts.update : 0;
  return (
    <section className="panel catalog-import" aria-labelledby="catalog-import-h">
      <div className="panel-head">
        <h2 id="catalog-import-h">{t('import.title')}</h2>
        <Button size="sm" variant="ghost" onClick={onClose}>
          {t('import.close')}
        </Button>
      </div>
      <p className="muted small">{t('import.help')}</p>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t('import.choose')}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          setFileName(f.name);
          void f.text().then((text) => {
            setCsv(text);
            void judge.run(text);
          });
        }}
      />
      {judge.error ? <Alert tone="danger" title={t('import.cannotRead')}>{describeError(judge.error)}</Alert> : null}
      {apply.error ? <Alert tone="danger" title={t('import.notImported')}>{describeError(apply.error)}</Alert> : null}
      {result ? (
        <Alert tone="success" title={t('import.done')}>
          {t('import.resultCounts', { added: result.added, updated: result.updated, unchanged: result.unchanged, refused: result.refused })}
        </Alert>
      ) : null}
      {preview ? (
        <div data-testid="import-preview">
          <p role="status">{t('import.summary', { file: fileName, add: preview.counts.add, update: preview.counts.update, same: preview.counts.same, refused: preview.counts.refused })}</p>
          <div className="catalog-preview-scroll">
            <table className="table">
              <caption className="sr-only">{t('import.previewCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">{t('import.line')}</th>
                  <th scope="col">{t('list.sku')}</th>
                  <th scope="col">{t('list.name')}</th>
                  <th scope="col">{t('import.action')}</th>
                  <th scope="col">{t('import.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r, i) => (
                  <tr key={`${r.line}-${i}`} className={r.action === 'refused' ? 'row-refused' : undefined}>
                    <td className="num">{r.line}</td>
                    <td><bdi>{r.sku}</bdi></td>
                    <td><bdi>{r.name}</bdi></td>
                    <td>{t(`import.actions.${r.action}`)}</td>
                    <td>
                      {r.problems.map((p, k) => (
                        <div key={k} className="field-error">
                          {t('import.problem', { line: r.line, field: t(`import.fields.${p.field}`, { defaultValue: p.field }), problem: t(`import.codes.${p.code}`, { detail: p.detail, ...TAX_EXAMPLES, min: 1, max: 64 }) })}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="result-actions">
            <Button variant="primary" onClick={() => void apply.run()} busy={apply.busy} disabled={writes === 0}>
              {t('import.confirm', { count: writes, n: fmtNumber(writes) })}
            </Button>
            <Button
              onClick={() => {
                setPreview(null);
                setCsv(null);
              }}
            >
              {t('import.discard')}
            </Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
