import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf, PrintOutcome } from '../../../shared/contract';
import { call } from '../../lib/api';
import { technicalDetail } from '../../lib/core-text';
import { describeError } from '../../lib/error-text';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { printReceipt } from '../transactions/Receipt';
import { outcomeText, problemText } from './print-text';

type Job = { state: 'idle' } | { state: 'printing' } | { state: 'done'; outcome: PrintOutcome } | { state: 'error'; message: string };

/** Jobs already started per payment: a re-render or a remount never prints a sale twice. */
const started = new Set<string>();

/**
 * The receipt printer's part of a finished sale (issue #20): prints by itself after the sale
 * (`sale`), in its own call after the sale was recorded, and says plainly when the paper did not
 * come out, with Reprint and the system print dialog as the fallback. The sale is never waiting on it.
 */
export function SaleReceipt({ paymentId }: { paymentId: string }) {
  const [job, setJob] = useState<Job>({ state: 'idle' });
  const print = useRef<(sale: boolean) => Promise<void>>(async () => {});
  print.current = async (sale: boolean) => {
    setJob({ state: 'printing' });
    try {
      setJob({ state: 'done', outcome: await call('printing.receipt', { paymentId, sale }) });
    } catch (e) {
      setJob({ state: 'error', message: describeError(e) });
    }
  };
  useEffect(() => {
    if (started.has(paymentId)) return;
    started.add(paymentId);
    void print.current(true);
  }, [paymentId]);
  return <PrintStatus job={job} paymentId={paymentId} onReprint={() => void print.current(false)} />;
}

function PrintStatus({ job, paymentId, onReprint }: { job: Job; paymentId: string; onReprint: () => void }) {
  const { t } = useTranslation('printing');
  if (job.state === 'idle') return null;
  if (job.state === 'printing') {
    return (
      <p className="print-status" role="status" data-testid="print-status" data-state="printing">
        <span className="spinner" aria-hidden="true" /> {t('status.printing')}
      </p>
    );
  }
  const o = job.state === 'done' ? job.outcome : null;
  // No printer at this desk and nothing asked for: the system dialog is the receipt, say nothing.
  if (o && o.status === 'skipped' && !o.drawerOpened) return null;
  if (o && o.status !== 'failed') {
    return (
      <p className="print-status" role="status" data-testid="print-status" data-state={o.status}>
        {outcomeText(o)}
      </p>
    );
  }
  return (
    <div className="print-problem" role="region" aria-label={t('status.region')} data-testid="print-status" data-state="failed" data-problem={o?.problem ?? 'error'}>
      <Alert tone="warning" title={t('status.failedTitle')}>
        <p>{o ? problemText(o) : job.state === 'error' ? job.message : ''}</p>
        {o?.detail ? <p className="field-hint" data-testid="print-detail">{technicalDetail(o.detail)}</p> : null}
        {o?.drawerOpened ? <p>{t('status.drawerOpenedAnyway')}</p> : null}
        <p>{t('status.saleSafe')}</p>
        <div className="actions">
          <Button variant="primary" onClick={onReprint} data-testid="reprint">
            {t('status.reprint')}
          </Button>
          <Button variant="ghost" onClick={() => void printReceipt(paymentId)}>
            {t('status.systemPrint')}
          </Button>
        </div>
      </Alert>
    </div>
  );
}

type Preview = OutputOf<'printing.preview'>;

/**
 * On a transaction: reprint on this desk's receipt printer, and the paper receipt as the printer
 * prints it (line by line). Shown only where a printer is set up.
 */
export function PaperReceiptActions({ paymentId }: { paymentId: string }) {
  const { t } = useTranslation('printing');
  const [enabled, setEnabled] = useState(false);
  const [job, setJob] = useState<Job>({ state: 'idle' });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    call('printing.state', {}).then((s) => setEnabled(s.config.enabled), () => setEnabled(false));
  }, []);
  useEffect(() => {
    if (!open) return;
    call('printing.preview', { paymentId }).then(setPreview, (e: unknown) => setJob({ state: 'error', message: describeError(e) }));
  }, [open, paymentId]);
  const reprint = async () => {
    setJob({ state: 'printing' });
    try {
      setJob({ state: 'done', outcome: await call('printing.receipt', { paymentId, sale: false }) });
    } catch (e) {
      setJob({ state: 'error', message: describeError(e) });
    }
  };
  if (!enabled) return null;
  return (
    <div className="paper-receipt">
      <div className="actions">
        <Button onClick={() => void reprint()} busy={job.state === 'printing'} busyText={t('status.reprinting')} data-testid="paper-reprint">
          {t('preview.print')}
        </Button>
        <Button variant="ghost" onClick={() => setOpen((v) => !v)} aria-expanded={open} aria-controls="paper-receipt-preview">
          {open ? t('preview.close') : t('preview.open')}
        </Button>
      </div>
      {job.state !== 'printing' ? <PrintStatus job={job} paymentId={paymentId} onReprint={() => void reprint()} /> : null}
      {open ? (
        <section id="paper-receipt-preview" className="paper-preview" aria-labelledby="paper-preview-h">
          <h3 id="paper-preview-h">{t('preview.title')}</h3>
          {preview ? (
            <>
              {preview.fellBack ? <p className="field-hint">{t('preview.english')}</p> : null}
              {preview.image ? (
                // An image receipt (Arabic, or a name the code page cannot print): the dots the printer gets.
                <img className="paper paper-image" src={preview.image.png} width={preview.image.width} height={preview.image.height} alt={t('preview.imageAlt')} data-testid="paper-preview-image" />
              ) : (
                <pre className="paper" lang="en" dir="ltr" data-testid="paper-preview" style={{ inlineSize: `${preview.columns + 2}ch` }}>
                  {preview.lines.join('\n')}
                </pre>
              )}
            </>
          ) : (
            <p role="status">{t('preview.loading')}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
