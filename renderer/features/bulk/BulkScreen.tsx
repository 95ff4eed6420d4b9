import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { coreSentence } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { csvOfReferences, useBulkPrefill } from './bulk-prefill';
import { bulkRowsOf } from './csv-rows';

type Run = OutputOf<'bulk.get'>;
type Row = OutputOf<'bulk.rows'>[number];
type Kind = Run['kind'];

const KINDS: Kind[] = ['capture', 'void', 'refund', 'charge'];
const POLL_MS = 700;

/**
 * Bulk capture / void / refund for supervisors, and bill runs on cards on file: a CSV (or the
 * payments selected on Transactions), a preview of every row before anything is sent, then
 * progress, cancel, per-row results and a result file.
 */
export function BulkScreen() {
  const { t } = useTranslation('bulk');
  // Payments selected on Transactions arrive as the same file a person would write.
  // Read here, cleared once mounted (an initializer may run twice in development).
  const [offered] = useState(() => useBulkPrefill.getState().pending);
  useEffect(() => void useBulkPrefill.getState().take(), []);
  const [kind, setKind] = useState<Kind>(offered?.kind ?? 'capture');
  const [text, setText] = useState(offered ? csvOfReferences(offered.references) : '');
  const [reason, setReason] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [rows, setRows] = useState<Row[]>([]);

  const preview = useAction(async () => {
    const parsed = bulkRowsOf(text, kind);
    if (!parsed.ok) {
      setFileError(t(`file.${parsed.error}`));
      return;
    }
    setFileError(null);
    const r = await call('bulk.preview', { kind, rows: parsed.rows, reason });
    setRun(r);
    setRows(await call('bulk.rows', { id: r.id, offset: 0, limit: 200 }));
  });
  const start = useAction(async () => {
    if (run) setRun(await call('bulk.start', { id: run.id }));
  });
  const cancel = useAction(async () => {
    if (run) setRun(await call('bulk.cancel', { id: run.id }));
  });
  const download = useAction(async () => {
    if (!run) return;
    const { csv } = await call('bulk.resultCsv', { id: run.id });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `bulk-${run.kind}-${run.id}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  });

  // Progress while running: counts, and the first rows' results.
  useEffect(() => {
    if (!run || run.state !== 'running') return;
    const timer = setTimeout(async () => {
      setRun(await call('bulk.get', { id: run.id }));
      setRows(await call('bulk.rows', { id: run.id, offset: 0, limit: 200 }));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [run]);

  const accepted = run ? run.total - run.counts.refused : 0;
  const finished = run ? run.counts.approved + run.counts.declined + run.counts.unknown + run.counts.queued + run.counts.cancelled : 0;
  const error = preview.error ?? start.error ?? cancel.error ?? download.error;

  return (
    <div className="bulk-screen">
      <header className="screen-head">
        <h1 id="bulk-title">{t('title')}</h1>
      </header>
      {!run ? (
        <section className="panel" aria-labelledby="bulk-file-h">
          <h2 id="bulk-file-h">{t('file.title')}</h2>
          <div className="segmented segmented-sm" role="radiogroup" aria-label={t('kindLabel')}>
            {KINDS.map((k) => (
              <label key={k} className={`segment ${kind === k ? 'checked' : ''}`}>
                <input type="radio" name="bulk-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t(`kind.${k}`)}
              </label>
            ))}
          </div>
          {offered ? (
            <p className="muted" data-testid="bulk-from-selection">
              {t('file.fromSelection', { count: offered.references.length })}
            </p>
          ) : null}
          <Field label={t(kind === 'charge' ? 'file.labelCharge' : 'file.label')} hint={kind === 'charge' ? t('file.hintCharge', { four: 4 }) : t('file.hint')} error={fileError ?? undefined}>
            <textarea className="input bulk-text" dir="ltr" rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          </Field>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label={t('file.choose')}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then(setText);
            }}
          />
          <Field label={t('reason')}>
            <input className="input" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
          </Field>
          <Button variant="primary" onClick={() => void preview.run()} busy={preview.busy}>
            {t('preview')}
          </Button>
        </section>
      ) : (
        <section className="panel" aria-labelledby="bulk-run-h" data-testid="bulk-run" data-state={run.state}>
          <h2 id="bulk-run-h">{t('run.title', { kind: t(`kind.${run.kind}`), count: run.total })}</h2>
          <p data-testid="bulk-summary">{t('run.summary', { ok: accepted, refused: run.counts.refused })}</p>
          {run.state !== 'ready' ? (
            <div className="bulk-progress">
              <progress max={Math.max(accepted, 1)} value={finished} aria-label={t('run.progress')} />
              <span data-testid="bulk-counts">
                {t('run.counts', { done: finished, total: accepted, approved: run.counts.approved, declined: run.counts.declined + run.counts.unknown })}
              </span>
            </div>
          ) : null}
          <div className="result-actions">
            {run.state === 'ready' ? (
              <Button variant="primary" onClick={() => void start.run()} busy={start.busy} disabled={accepted === 0}>
                {t('run.start', { count: accepted })}
              </Button>
            ) : null}
            {run.state === 'running' ? (
              <Button variant="danger" onClick={() => void cancel.run()} busy={cancel.busy}>
                {t('run.cancel')}
              </Button>
            ) : null}
            {run.state === 'done' || run.state === 'cancelled' ? (
              <Button variant="primary" onClick={() => void download.run()}>
                {t('run.download')}
              </Button>
            ) : null}
            <Button variant="ghost" onClick={() => { setRun(null); setRows([]); }}>
              {t('run.new')}
            </Button>
          </div>
          <table className="table bulk-rows">
            <thead>
              <tr>
                <th scope="col">{t('col.row')}</th>
                <th scope="col">{t(run.kind === 'charge' ? 'col.customer' : 'col.reference')}</th>
                <th scope="col" className="num">{t('col.amount')}</th>
                <th scope="col">{t('col.state')}</th>
                <th scope="col">{t(run.kind === 'charge' ? 'col.messageCharge' : 'col.message')}</th>
              </tr>
            </thead>
            <tbody>
              {/* Refused rows first: they are what the supervisor must read before sending. */}
              {[...rows].sort((a, b) => (a.verdict === b.verdict ? a.seq - b.seq : a.verdict === 'refused' ? -1 : 1)).map((r) => (
                <tr key={r.seq} data-verdict={r.verdict}>
                  <td className="num">{r.seq}</td>
                  <td><bdi>{r.reference}</bdi></td>
                  <td className="num">{r.amount !== null && r.currency ? fmtMoney(r.amount, r.currency) : ''}</td>
                  <td>{t(`state.${r.state}`)}</td>
                  <td dir="auto">{coreSentence(r.text) ?? r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {error ? (
        <Alert tone="danger" title={t('failed')}>
          {describeError(error)}
        </Alert>
      ) : null}
    </div>
  );
}
