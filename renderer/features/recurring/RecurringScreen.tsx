import { useCallback, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { roleAtLeast } from '../../../shared/domain/roles';
import { useNav } from '../../app/nav-store';
import { call } from '../../lib/api';
import { describeError } from '../../lib/error-text';
import { fmtDate as fmtDay, fmtDateTime, fmtMoney, fmtNumber, maskedCard } from '../../lib/format';
import { useHotkeys } from '../../lib/keys';
import { useAction } from '../../lib/use-action';
import { Alert, EmptyState, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Glyph } from '../../ui/Glyph';
import { useSession } from '../session/session-store';
import { RecurringEditForm } from './RecurringEditForm';
import { RecurringForm } from './RecurringForm';
import { cadence, periodBadge, periodResult, scheduleBadge, type BadgeLook, type Detail, type Period, type Schedule } from './recurring-text';
import './recurring.css';

type Customer = OutputOf<'customers.get'>['customer'];
type Card = OutputOf<'customers.get'>['cards'][number];

const REFRESH_MS = 15_000;
/** The back arrow points back in the reading direction. */
const fmtDate = (iso: string) => fmtDateTime(iso);
/** The date of an instant, without its time (the end of a schedule). */
const dateOnly = (iso: string) => fmtDay(new Date(iso));

function Badge({ b }: { b: BadgeLook }) {
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
  const { t } = useTranslation('recurring');
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
          {embedded ? null : <th scope="col">{t('col.customer')}</th>}
          <th scope="col">{t('col.description')}</th>
          <th scope="col">{t('col.card')}</th>
          <th scope="col" className="num">{t('col.amount')}</th>
          <th scope="col">{t('col.howOften')}</th>
          <th scope="col">{t('col.nextDue')}</th>
          <th scope="col">{t('col.state')}</th>
        </tr>
      </thead>
      <tbody>
        {schedules.map((s) => (
          <tr key={s.id} className="clickable" onClick={() => setOpenId(s.id)}>
            {embedded ? null : <td className="ellipsis"><bdi>{s.customerName}</bdi></td>}
            <td>
              <button type="button" className="link" onClick={(e) => { e.stopPropagation(); setOpenId(s.id); }} aria-label={t('list.openLabel', { description: s.description, customer: s.customerName })}>
                <bdi>{s.description}</bdi>
              </button>
              <div className="muted small mono">RC-{s.shortId}</div>
            </td>
            <td>
              <bdi>{maskedCard(s.cardBrand, s.cardLast4)}</bdi>
              {s.cardProblem ? <div className="small recurring-warn" dir="auto">{s.cardProblem}</div> : null}
            </td>
            <td className="num">{fmtMoney(s.amount, s.currency)}</td>
            <td>{cadence(s, dateOnly)}</td>
            <td>{s.nextDueAt ? fmtDate(s.nextDueAt) : '—'}</td>
            <td>
              <div className="badge-row">
                <Badge b={scheduleBadge(s.state)} />
                {s.missed ? <Badge b={periodBadge('missed', t('list.missed', { count: s.missed, n: fmtNumber(s.missed) }))} /> : null}
                {s.attention ? <Badge b={periodBadge('needs_attention', t('list.attention', { count: s.attention, n: fmtNumber(s.attention) }))} /> : null}
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
      {!list && !error ? <Spinner label={t('list.loading')} /> : null}
      {list && !embedded && (list.missed > 0 || list.attention > 0) ? (
        <Alert tone="warning" title={t('list.needSupervisorTitle')}>
          {list.missed > 0 ? `${t('list.missedBody', { count: list.missed, n: fmtNumber(list.missed) })} ` : ''}
          {list.attention > 0 ? `${t('list.attentionBody', { count: list.attention, n: fmtNumber(list.attention) })} ` : ''}
          {t('list.openToAct')}
        </Alert>
      ) : null}
      {list && schedules.length === 0 ? (
        <EmptyState title={t('list.emptyTitle')}>{embedded ? t('list.emptyEmbedded') : t('list.emptyBody')}</EmptyState>
      ) : null}
      {list && schedules.length > 0 ? table : null}
    </>
  );

  if (embedded) {
    return (
      <section className="panel" aria-labelledby="recurring-h">
        <div className="panel-head">
          <h2 id="recurring-h">{t('title')}</h2>
          <Button size="sm" onClick={() => setCreating(true)} shortcut="Alt+U">
            {t('setUp')}
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
          {t('title')}
        </h1>
        <div className="screen-head-actions">
          <Button onClick={() => void runDue.run()} busy={runDue.busy} busyText={t('checking')} shortcut="Alt+D">
            {t('runDue')}
          </Button>
          <Button variant="primary" onClick={() => setCreating(true)} shortcut="Alt+U">
            {t('new')}
          </Button>
        </div>
      </header>
      <section className="panel recurring-list-panel">{body}</section>
      <p className="muted small">{t('footnote')}</p>
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
  const { t } = useTranslation('recurring');

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
  if (!d || !s) return <Spinner label={t('detail.loading')} />;
  const waiting = d.periods.filter((p) => p.state === 'missed' || p.state === 'needs_attention');
  const canAct = supervisor && s.state !== 'cancelled' && waiting.length > 0;

  const head = (
    <div className={embedded ? 'panel-head' : 'screen-head'}>
      <Button size="sm" variant="ghost" onClick={onBack} shortcut={embedded ? undefined : 'Esc'}>
        <span className="dir-glyph" aria-hidden="true">{'\u2190'}</span> {embedded ? t('title') : t('detail.all')}
      </Button>
      {embedded ? <h2 className="ellipsis"><bdi>{s.description}</bdi></h2> : <h1 className="ellipsis"><bdi>{s.description}</bdi></h1>}
      <Badge b={scheduleBadge(s.state)} />
    </div>
  );

  const content = (
    <>
      {head}
      {act.error ? <Alert tone="danger">{describeError(act.error)}</Alert> : null}
      {s.cardProblem && (s.state === 'active' || s.state === 'paused') ? <Alert tone="warning"><span dir="auto">{s.cardProblem}</span> {t('detail.cardProblem')}</Alert> : null}
      {waiting.length > 0 && !supervisor ? <Alert tone="warning">{t('detail.waiting', { count: waiting.length, n: fmtNumber(waiting.length) })}</Alert> : null}
      <div className={embedded ? '' : 'panel'}>
        <dl className="facts">
          <div><dt>{t('col.customer')}</dt><dd><bdi>{s.customerName}</bdi></dd></div>
          <div><dt>{t('col.card')}</dt><dd><bdi>{maskedCard(s.cardBrand, s.cardLast4)}</bdi></dd></div>
          <div><dt>{t('col.amount')}</dt><dd className="big">{fmtMoney(s.amount, s.currency)}</dd></div>
          <div><dt>{t('col.howOften')}</dt><dd>{cadence(s, dateOnly)}</dd></div>
          <div><dt>{t('col.nextDue')}</dt><dd>{s.nextDueAt ? t('detail.nextDue', { when: fmtDateTime(s.nextDueAt), period: s.nextPeriod }) : '—'}</dd></div>
          <div><dt>{t('detail.charged')}</dt><dd>{s.totalPeriods !== null ? t('detail.chargedOf', { charged: fmtNumber(s.charged), total: fmtNumber(s.totalPeriods) }) : fmtNumber(s.charged)}</dd></div>
          <div><dt>{t('detail.schedule')}</dt><dd className="mono"><bdi>RC-{s.shortId}</bdi></dd></div>
          <div><dt>{t('detail.setUpBy')}</dt><dd><Trans t={t} i18nKey="detail.setUpByValue" values={{ name: s.createdBy, when: fmtDateTime(s.createdAt) }} components={{ name: <bdi /> }} /></dd></div>
        </dl>
        <div className="actions">
          {editable ? (
            <Button onClick={() => setEditing(true)} shortcut="Alt+H">{t('detail.change')}</Button>
          ) : null}
          {s.state === 'active' ? (
            <Button onClick={pauseOrResume} busy={act.busy} shortcut="Alt+P">{t('detail.pause')}</Button>
          ) : null}
          {s.state === 'paused' ? (
            <Button variant="primary" onClick={pauseOrResume} busy={act.busy} shortcut="Alt+P">{t('detail.resume')}</Button>
          ) : null}
          {supervisor && s.state !== 'cancelled' ? (
            <Button variant="danger" onClick={() => setAsk({ kind: 'cancel' })} shortcut="Alt+X">{t('detail.cancelSchedule')}</Button>
          ) : null}
        </div>
      </div>
      <section className={embedded ? 'recurring-periods' : 'panel recurring-periods'} aria-labelledby="periods-h">
        <h3 id="periods-h">{t('periods.title')}</h3>
        {d.periods.length === 0 ? <EmptyState title={t('periods.empty')} /> : null}
        {d.periods.length > 0 || d.upcoming.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="num">{t('periods.col.number')}</th>
                <th scope="col">{t('periods.col.due')}</th>
                <th scope="col">{t('periods.col.reference')}</th>
                <th scope="col" className="num">{t('col.amount')}</th>
                <th scope="col">{t('col.state')}</th>
                <th scope="col">{t('periods.col.result')}</th>
                {canAct ? <th scope="col"><span className="sr-only">{t('periods.col.actions')}</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {d.upcoming.slice(0, 2).reverse().map((u) => (
                <tr key={`u${u.period}`} className="recurring-upcoming">
                  <td className="num">{u.period}</td>
                  <td>{fmtDateTime(u.dueAt)}</td>
                  <td className="muted">—</td>
                  <td className="num muted">{fmtMoney(s.amount, s.currency)}</td>
                  <td><span className="muted small">{s.state === 'paused' ? t('scheduleState.paused') : t('periods.upcoming')}</span></td>
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
                      <button type="button" className="link mono" onClick={() => openPayment(p.paymentId)} title={t('periods.openPayment')}>
                        <bdi>{p.paymentReference}</bdi>
                      </button>
                    ) : (
                      <span className="mono"><bdi>{p.reference}</bdi></span>
                    )}
                  </td>
                  <td className="num">{fmtMoney(p.amount, s.currency)}</td>
                  <td><Badge b={periodBadge(p.state)} /></td>
                  <td className="recurring-result">
                    <span dir="auto">{periodResult(p)}</span>
                    {p.actedBy ? <div className="muted small"><Trans t={t} i18nKey="periods.by" values={{ name: p.actedBy }} components={{ name: <bdi /> }} /></div> : null}
                    {p.attempts > 1 ? <div className="muted small">{t('periods.attempts', { count: p.attempts, n: fmtNumber(p.attempts) })}</div> : null}
                  </td>
                  {canAct ? (
                  <td>
                    {p.state === 'missed' || p.state === 'needs_attention' ? (
                      <div className="row-actions">
                        <Button size="sm" variant="primary" onClick={() => setAsk({ kind: 'run', period: p })} aria-label={p.state === 'missed' ? t('periods.chargeLabel', { period: p.period }) : t('periods.retryLabel', { period: p.period })}>
                          {p.state === 'missed' ? t('periods.chargeNow') : t('periods.retry')}
                        </Button>
                        <Button size="sm" onClick={() => setAsk({ kind: 'skip', period: p })} aria-label={t('periods.skipLabel', { period: p.period })}>
                          {t('periods.skip')}
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
        <ConfirmDialog title={t('ask.cancelTitle')} confirmLabel={t('detail.cancelSchedule')} tone="danger" busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.cancel', { id }))}>
          {t('ask.cancelBody')}
        </ConfirmDialog>
      ) : null}
      {ask?.kind === 'run' ? (
        <ConfirmDialog title={t('ask.runTitle', { period: ask.period.period })} confirmLabel={t('ask.runConfirm', { amount: fmtMoney(ask.period.amount, s.currency) })} busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.runPeriod', { periodId: ask.period.id }))}>
          <Trans
            t={t}
            i18nKey="ask.runBody"
            values={{ card: maskedCard(s.cardBrand, s.cardLast4), amount: fmtMoney(ask.period.amount, s.currency), when: fmtDateTime(ask.period.dueAt), reference: ask.period.reference }}
            components={{ card: <bdi />, amount: <bdi />, ref: <bdi /> }}
          />
        </ConfirmDialog>
      ) : null}
      {ask?.kind === 'skip' ? (
        <ConfirmDialog title={t('ask.skipTitle', { period: ask.period.period })} confirmLabel={t('ask.skipConfirm')} tone="danger" busy={act.busy} onCancel={() => setAsk(null)} onConfirm={() => void act.run(() => call('recurring.skipPeriod', { periodId: ask.period.id, reason: '' }))}>
          {t('ask.skipBody')}
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
  return embedded ? <section className="panel recurring-embedded-detail" aria-label={t('detail.label', { description: s.description })}>{content}</section> : <div className="recurring-screen">{content}</div>;
}

export type { Schedule };
