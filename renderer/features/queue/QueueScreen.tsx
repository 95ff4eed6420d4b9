import { useCallback, useEffect, useState } from 'react';
import { operationType } from '../../lib/operation-labels';
import type { OutputOf } from '../../../shared/contract';
import { roleAtLeast } from '../../../shared/domain/roles';
import { useNav } from '../../app/nav-store';
import { call, subscribe } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtAge, fmtMoney } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useSession } from '../session/session-store';
import { useSync } from './sync-store';

type QueuedOp = OutputOf<'sync.queue'>[number];

export function QueueScreen() {
  const [ops, setOps] = useState<QueuedOp[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dismiss, setDismiss] = useState<QueuedOp | null>(null);
  const status = useSync((s) => s.status);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const canResolve = roleAtLeast(role, 'supervisor');
  const openPayment = useNav((s) => s.openPayment);

  const load = useCallback(() => {
    call('sync.queue', {}).then(
      (r) => {
        setOps(r);
        setError(null);
      },
      (e) => setError(describeError(e)),
    );
  }, []);
  useEffect(() => {
    load();
    return subscribe('sync.changed', load);
  }, [load]);

  const resolve = useAction(async (op: QueuedOp, action: 'retry' | 'dismiss') => {
    await call('sync.resolve', { operationId: op.id, action });
    setDismiss(null);
    load();
  });

  const attention = ops?.filter((o) => o.state === 'needs_attention') ?? [];
  const waiting = ops?.filter((o) => o.state !== 'needs_attention') ?? [];

  const attentionPanel = (
    <section className="panel" aria-labelledby="attention-h">
      <h2 id="attention-h">Needs attention ({attention.length})</h2>
      {attention.length === 0 ? (
        <EmptyState title="Nothing needs attention." />
      ) : (
        <OpsTable ops={attention} onOpen={openPayment} actions={(op) =>
          canResolve ? (
            <>
              <Button size="sm" onClick={() => void resolve.run(op, 'retry')} busy={resolve.busy}>
                Retry
              </Button>
              <Button size="sm" variant="danger" onClick={() => setDismiss(op)}>
                Dismiss
              </Button>
            </>
          ) : (
            <span className="muted small">A supervisor can retry or dismiss</span>
          )
        } />
      )}
    </section>
  );
  const waitingPanel = (
    <section className="panel" aria-labelledby="waiting-h">
      <h2 id="waiting-h">Waiting to be sent ({waiting.length})</h2>
      {waiting.length === 0 ? (
        <EmptyState title="Nothing is queued.">Operations made while offline wait here and are sent, once, when the gateway is back.</EmptyState>
      ) : (
        <OpsTable ops={waiting} onOpen={openPayment} />
      )}
    </section>
  );

  return (
    <div className="queue-screen">
      <header className="screen-head">
        <h1 id="queue-title" tabIndex={-1}>
          Queue
        </h1>
        {status ? (
          <span className={`badge ${status.online ? 'badge-success' : 'badge-queued'}`}>
            <span aria-hidden="true" className="badge-glyph">{status.online ? '●' : '○'}</span>
            {status.online ? 'Online' : 'Offline'}
          </span>
        ) : null}
      </header>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {resolve.error ? <Alert tone="danger">{describeError(resolve.error)}</Alert> : null}
      {!ops && !error ? <Spinner label="Loading the queue…" /> : null}
      {ops ? (
        <>
          {/* What needs a person comes first; with nothing to resolve, what waits is the news. */}
          {attention.length > 0 ? (
            <>
              {attentionPanel}
              {waitingPanel}
            </>
          ) : (
            <>
              {waitingPanel}
              {attentionPanel}
            </>
          )}
        </>
      ) : null}
      {dismiss ? (
        <ConfirmDialog title={`Dismiss this ${operationType(dismiss.type).toLowerCase()}?`} confirmLabel="Dismiss" tone="danger" busy={resolve.busy} onCancel={() => setDismiss(null)} onConfirm={() => void resolve.run(dismiss, 'dismiss')}>
          It will not be sent to the gateway. The payment keeps its current totals.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function OpsTable({ ops, onOpen, actions }: { ops: QueuedOp[]; onOpen: (paymentId: string) => void; actions?: (op: QueuedOp) => React.ReactNode }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Operation</th>
          <th scope="col">Order</th>
          <th scope="col" className="num">Amount</th>
          <th scope="col">Waiting</th>
          <th scope="col">Requested by</th>
          <th scope="col">Reason</th>
          {actions ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
        </tr>
      </thead>
      <tbody>
        {ops.map((o) => (
          <tr key={o.id}>
            <td>{operationType(o.type)}</td>
            <td>
              <button type="button" className="link mono" onClick={() => onOpen(o.paymentId)}>
                {o.orderReference}
              </button>
            </td>
            <td className="num">{o.amount !== null ? fmtMoney(o.amount, o.currency) : o.type === 'void' ? <span className="muted">whole authorization</span> : '—'}</td>
            <td>{fmtAge(o.createdAt)}</td>
            <td>
              {o.userName ?? '—'}
              {o.approvedBy ? <div className="muted small">approved by {o.approvedBy}</div> : null}
            </td>
            <td>{[o.reason, o.message].filter(Boolean).join(' — ') || '—'}</td>
            {actions ? <td className="row-actions">{actions(o)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
