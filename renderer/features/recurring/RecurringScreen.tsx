import { useCallback, useEffect, useState } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { roleAtLeast } from '../../../shared/domain/roles';
import { useNav } from '../../app/nav-store';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDateTime, fmtMoney, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Glyph } from '../../ui/Glyph';
import { useSession } from '../session/session-store';
import { RecurringEditForm } from './RecurringEditForm';
import { RecurringForm } from './RecurringForm';
import { cadence, PERIOD_BADGE, periodResult, SCHEDULE_BADGE, type Detail, type Period, type Schedule } from './recurring-text';
import './recurring.css';

type Customer = OutputOf<'customers.get'>['customer'];
type Card = OutputOf<'customers.get'>['cards'][number];

const REFRESH_MS = 15_000;
const fmtDate = (iso: string) => fmtDateTime(iso);

function Badge({ b }: { b: { label: string; cls: string; glyph: string } }) {
  return (
    <span className={`badge ${b.cls}`}>
      <span aria-hidden="true" className="badge-glyph">
        <Glyph char={b.glyph} />
      </span>
      {b.label}
    </span>
  );
}

/**
 * Recurring charges (seed 001; docs/recurring.md): every schedule, or one customer's when
 * `customer` is given (the panel on the customer's page). A row opens the schedule's periods.
 */
export function RecurringScreen({ customer, cards, embedded = false }: { customer?: Customer; cards?: Card[]; embedded?: boolean }) {
  const [list, setList] = useState<OutputOf<'recurring.list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const customerId = customer?.id;
  // Another screen (the Queue) asked to open a schedule: take it once.
  const wanted = useNav((s) => (embedded ? null : s.recurringId));
  useEffect(() => {
    if (!wanted) return;
    setOpenId(wanted);
    useNav.getState().openRecurring(null);
  }, [wanted]);

  const load = useCallback(() => {
    call('recurring.list', customerId ? { customerId } : {}).then(
      (r) => {
        setList(r);
        setError(null);
      },
      (e) => setError(describeError(e)),
    );
  }, [customerId]);
  useEffect(() => {
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [load]);

  const runDue = useAction(async () => {
    await call('recurring.runDue', {});
    load();
  });

  useHotkeys(
    {
      'Alt+U': () => setCreating(true),
      ...(embedded ? {} : { 'Alt+D': () => void runDue.run() }),
    },
    !openId && !creating,
  );

  const form = creating ? (
    <RecurringForm
      {...(customer ? { customer, cards: cards ?? [] } : {})}
      onCancel={() => setCreating(false)}
      onDone={(d) => {
        setCreating(false);
        load();
        setOpenId(d.schedule.id);
      }}
    />
  ) : null;

  if (openId) {
    return (
      <>
        <ScheduleDetail id={openId} embedded={embedded} onBack={() => { setOpenId(null); load(); }} />
        {form}
      </>
    );
  }

  const schedules = list?.schedules ?? [];
  const table = (
    <table className="table recurring-table">
      <thead>
        <tr>
          {embedded ? null : <th scope="col">Customer</th>}
          <th scope="col">Description</th>
          <th scope="col">Card</th>
          <th scope="col" className="num">Amount</th>
          <th scope="col">How often</th>
          <th scope="col">Next due</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {schedules.map((s) => (
          <tr key={s.id} className="clickable" onClick={() => setOpenId(s.id)}>
            {embedded ? null : <td className="ellipsis">{s.customerName}</td>}
            <td>
              <button type="button" className="link" onClick={(e) => { e.stopPropagation(); setOpenId(s.id); }} aria-label={`Open ${s.description} for ${s.customerName}`}>
                {s.description}
              </button>
              <div className="muted small mono">RC-{s.shortId}</div>
            </td>
            <td>
              {maskedCard(s.cardBrand, s.cardLast4)}
              {s.cardProblem ? <div className="small recurring-warn">{s.cardProblem}</div> : null}
            </td>
            <td className="num">{fmtMoney(s.amount, s.currency)}</td>
            <td>{cadence(s, (iso) => fmtDateTime(iso).replace(/,? \d{1,2}:\d{2}.*$/, ''))}</td>
            <td>{s.nextDueAt ? fmtDate(s.nextDueAt) : '—'}</td>
            <td>
              <div className="badge-row">
                <Badge b={SCHEDULE_BADGE[s.state]} />
                {s.missed ? <Badge b={{ ...PERIOD_BADGE.missed, label: `${s.missed} missed` }} /> : null}
                {s.attention ? <Badge b={{ ...PERIOD_BADGE.needs_attention, label: `${s.attention} need${s.attention === 1 ? 's' : ''} attention` }} /> : null}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  const body = (
    <>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {runDue.error ? <Alert tone="danger">{describeError(runDue.error)}</Alert> : null}
      {!list && !error ? <Spinner label="Loading recurring charges…" /> : null}
      {list && !embedded && (list.missed > 0 || list.attention > 0) ? (
        <Alert tone="warning" title="Some charges need a supervisor">
          {list.missed > 0 ? `${list.missed} charge${list.missed === 1 ? '' : 's'} fell due while the station was closed or the schedule was paused. ` : ''}
          {list.attention > 0 ? `${list.attention} could not be charged. ` : ''}
          Open the schedule to run or skip each one.
        </Alert>
      ) : null}
      {list && schedules.length === 0 ? (
        <EmptyState title="No recurring charges yet.">{embedded ? 'Set one up on a card on file of this customer.' : 'Open a customer with a card on file, or set one up here.'}</EmptyState>
      ) : null}
      {list && schedules.length > 0 ? table : null}
    </>
  );

  if (embedded) {
    return (
      <section className="panel" aria-labelledby="recurring-h">
        <div className="panel-head">
          <h2 id="recurring-h">Recurring charges</h2>
          <Button size="sm" onClick={() => setCreating(true)} shortcut="Alt+U">
            Set up recurring charge
          </Button>
        </div>
        {body}
        {form}
      </section>
    );
  }
  return (
    <div className="recurring-screen">
      <header className="screen-head">
        <h1 id="recurring-title" tabIndex={-1}>
          Recurring charges
        </h1>
        <div className="screen-head-actions">
          <Button onClick={() => void runDue.run()} busy={runDue.busy} busyText="Checking…" shortcut="Alt+D">
            Charge what is due now
          </Button>
          <Button variant="primary" onClick={() => setCreating(true)} shortcut="Alt+U">
            New recurring charge
          </Button>
        </div>
      </header>
      <section className="panel recurring-list-panel">{body}</section>
      <p className="muted small">Charges that fall due while the station is running are made automatically, once, with the card on file (eci RECURRING). Those that fell due while it was closed wait here for a supervisor.</p>
      {form}
    </div>
  );
}

function ScheduleDetail({ id, embedded, onBack }: { id: string; embedded: boolean; onBack: () => void }) {
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ask, setAsk] = useState<{ kind: 'cancel' } | { kind: 'skip'; period: Period } | { kind: 'run'; period: Period } | null>(null);
  const [editing, setEditing] = useState(false);
  const role = useSession((s) => s.user?.role ?? 'clerk');
  const supervisor = roleAtLeast(role, 'supervisor');
  const openPayment = useNav((s) => s.openPayment);

  const load = useCallback(() => {
    call('recurring.get', { id }).then(
      (r) => {
        setD(r);
        setError(null);
      },
      (e) => setError(describeError(e)),
    );
  }, [id]);
  useEffect(() => {
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [load]);

  const act = useAction(async (fn: () => Promise<Detail>) => {
    setD(await fn());
    setAsk(null);
  });
  const s = d?.schedule;
  const editable = !!s && (s.state === 'active' || s.state === 'paused');
  const pauseOrResume = () => {
    if (!s || (s.state !== 'active' && s.state !== 'paused')) return;
    void act.run(() => call(s.state === 'active' ? 'recurring.pause' : 'recurring.resume', { id }));
  };

  useHotkeys(
    {
      ...(embedded ? {} : { Escape: onBack }),
      'Alt+P': pauseOrResume,
      'Alt+H': () => (editable ? setEditing(true) : undefined),
      'Alt+X': () => (supervisor && s && s.state !== 'cancelled' ? setAsk({ kind: 'cancel' }) : undefined),
    },
    !ask && !editing,
  );

  if (error) return <Alert tone="danger">{error}</Alert>;
  if (!d || !s) return <Spinner label="Loading the schedule…" />;
  const waiting = d.periods.filter((p) => p.state === 'missed' || p.state === 'needs_attention');
  const canAct = supervisor && s.state !== 'cancelled' && waiting.length > 0;

  const head = (
    <div className={embedded ? 'panel-head' : 'screen-head'}>
      <Button size="sm" variant="ghost" onClick={onBack} shortcut={embedded ? undefined : 'Esc'}>
        {'←'} {embedded ? 'Recurring charges' : 'All recurring charges'}
      </Button>
      {embedded ? <h2 className="ellipsis">{s.description}</h2> : <h1 className="ellipsis">{s.description}</h1>}
      <Badge b={SCHEDULE_BADGE[s.state]} />
    </div>
  );

  const content = (
    <>
      {head}
      {act.error ? <Alert tone="danger">{describeError(act.error)}</Alert> : null}
      {s.cardProblem && (s.state === 'active' || s.state === 'paused') ? <Alert tone="warning">{s.cardProblem} The next charge will need attention unless the card is changed (Change, Alt+H).</Alert> : null}
      {waiting.length > 0 && !supervisor ? <Alert tone="warning">{waiting.length} period{waiting.length === 1 ? '' : 's'} wait for a supervisor to run or skip.</Alert> : null}
      <div className={embedded ? '' : 'panel'}>
        <dl className="facts">
          <div><dt>Customer</dt><dd>{s.customerName}</dd></div>
          <div><dt>Card</dt><dd>{maskedCard(s.cardBrand, s.cardLast4)}</dd></div>
          <div><dt>Amount</dt><dd className="big">{fmtMoney(s.amount, s.currency)}</dd></div>
          <div><dt>How often</dt><dd>{cadence(s, (iso) => fmtDateTime(iso).replace(/,? \d{1,2}:\d{2}.*$/, ''))}</dd></div>
          <div><dt>Next due</dt><dd>{s.nextDueAt ? `${fmtDateTime(s.nextDueAt)} (period ${s.nextPeriod})` : '—'}</dd></div>
          <div><dt>Charged</dt><dd>{s.totalPeriods !== null ? `${s.charged} of ${s.totalPeriods}` : s.charged}</dd></div>
          <div><dt>Schedule</dt><dd className="mono">RC-{s.shortId}</dd></div>
          <div><dt>Set up by</dt><dd>{s.createdBy}, {fmtDateTime(s.createdAt)}</dd></div>
        </dl>
        <div className="actions">
          {editable ? (
            <Button onClick={() => setEditing(true)} shortcut="Alt+H">Change</Button>
          ) : null}
          {s.state === 'active' ? (
            <Button onClick={pauseOrResume} busy={act.busy} shortcut="Alt+P">Pause</Button>
          ) : null}
          {s.state === 'paused' ? (
            <Button variant="primary" onClick={pauseOrResume} busy={act.busy} shortcut="Alt+P">Resume</Button>
          ) : null}
          {supervisor && s.state !== 'cancelled' ? (
            <Button variant="danger" onClick={() => setAsk({ kind: 'cancel' })} shortcut="Alt+X">Cancel schedule</Button>
          ) : null}
        </div>
      </div>
      <section className={embedded ? 'recurring-periods' : 'panel recurring-periods'} aria-labelledby="periods-h">
        <h3 id="periods-h">Periods</h3>
        {d.periods.length === 0 ? <EmptyState title="Nothing has fallen due yet." /> : null}
        {d.periods.length > 0 || d.upcoming.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="num">#</th>
                <th scope="col">Due</th>
                <th scope="col">Reference</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col">State</th>
                <th scope="col">Result</th>
                {canAct ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {d.upcoming.slice(0, 2).reverse().map((u) => (
                <tr key={`u${u.period}`} className="recurring-upcoming">
                  <td className="num">{u.period}</td>
                  <td>{fmtDateTime(u.dueAt)}</td>
                  <td className="muted">—</td>
                  <td className="num muted">{fmtMoney(s.amount, s.currency)}</td>
                  <td><span className="muted small">{s.state === 'paused' ? 'Paused' : 'Upcoming'}</span></td>
                  <td />
                  {canAct ? <td /> : null}
                </tr>
              ))}
              {d.periods.map((p) => (
                <tr key={p.id}>
                  <td className="num">{p.period}</td>
                  <td>{fmtDateTime(p.dueAt)}</td>
                  <td>
                    {p.paymentId ? (
                      <button type="button" className="link mono" onClick={() => openPayment(p.paymentId)} title="Open the payment">
                        {p.paymentReference}
                      </button>
                    ) : (
                      <span className="mono">{p.reference}</span>
                    )}
                  </td>
                  <td className="num">{fmtMoney(p.amount, s.currency)}</td>
                  <td><Badge b={PERIOD_BADGE[p.state]} /></td>
                  <td className="recurring-result">
                    {periodResult(p)}
                    {p.actedBy ? <div className="muted small">by {p.actedBy}</div> : null}
                    {p.attempts > 1 ? <div className="muted small">{p.attempts} attempts</div> : null}
                  </td>
                  {canAct ? (
                  <td>
                    {p.state === 'missed' || p.state === 'needs_attention' ? (
                      <div className="row-actions">
                        <Button size="sm" variant="primary" onClick={() => setAsk({ kind: 'run', period: p })} aria-label={`${p.state === 'missed' ? 'Charge' : 'Retry'} period ${p.period} now`}>
                          {p.state === 'missed' ? 'Charge now' : 'Retry'}
                        </Button>
                        <Button size="sm" onClick={() => setAsk({ kind: 'skip', period: p })} aria-label={`Skip period ${p.period}`}>
                          Skip
                        </Button>
                      </div>
                    ) : null}
                  </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {/* Esc closes the dialog only: the page behind (the customer's page) must not take it as "back". */}
      <div onKeyDown={(e) => {
        if (e.key === 'Escape' && ask) {
          e.preventDefault();
          setAsk(null);
        }
      }}>
      {ask?.kind === 'cancel' ? (
        <ConfirmDialog title="Cancel this recurring charge?" confirmLabel="Cancel schedule" tone="danger" busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.cancel', { id }))}>
          Nothing more is charged. Periods not charged yet are skipped. Charges already made stay as they are (refund them from Transactions).
        </ConfirmDialog>
      ) : null}
      {ask?.kind === 'run' ? (
        <ConfirmDialog title={`Charge period ${ask.period.period} now?`} confirmLabel={`Charge ${fmtMoney(ask.period.amount, s.currency)}`} busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.runPeriod', { periodId: ask.period.id }))}>
          {maskedCard(s.cardBrand, s.cardLast4)} is charged {fmtMoney(ask.period.amount, s.currency)} for the period due {fmtDateTime(ask.period.dueAt)}, once, under reference {ask.period.reference}.
        </ConfirmDialog>
      ) : null}
      {ask?.kind === 'skip' ? (
        <ConfirmDialog title={`Skip period ${ask.period.period}?`} confirmLabel="Skip period" tone="danger" busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.skipPeriod', { periodId: ask.period.id, reason: '' }))}>
          This period is never charged. The schedule goes on with the next one.
        </ConfirmDialog>
      ) : null}
      {editing ? (
        <RecurringEditForm
          schedule={s}
          onCancel={() => setEditing(false)}
          onDone={(next) => {
            setD(next);
            setEditing(false);
          }}
        />
      ) : null}
      </div>
    </>
  );
  return embedded ? <section className="panel recurring-embedded-detail" aria-label={`Recurring charge: ${s.description}`}>{content}</section> : <div className="recurring-screen">{content}</div>;
}

export type { Schedule };
