import { ContractError, readText, type OutputOf, type ParsedInputOf } from '../../../shared/contract';
import { periodsFrom, totalPeriods } from '../../../shared/domain/recurrence';
import { getCardRow, isCardExpired } from '../cards';
import type { CoreDeps } from '../deps';
import { getOrderRow } from '../orders';
import { getPaymentRow } from '../payments';
import type { ShopCalendar } from './calendar';
import { countAll, countsOf, getSchedule, listSchedules, periodsOf, type PeriodRow, type ScheduleRow } from './repo';

export type RecurringDetail = OutputOf<'recurring.get'>;
export type ScheduleView = RecurringDetail['schedule'];
export type PeriodView = RecurringDetail['periods'][number];

/** What the screen sees of schedules and their periods (read only). */
export class RecurringViews {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendar: ShopCalendar,
  ) {}

  list(filter: ParsedInputOf<'recurring.list'>): OutputOf<'recurring.list'> {
    const { db } = this.deps;
    return { schedules: listSchedules(db, filter).map((s) => this.scheduleView(s)), missed: countAll(db, 'missed'), attention: countAll(db, 'needs_attention') };
  }

  detail(id: string): RecurringDetail {
    const { db } = this.deps;
    const s = getSchedule(db, id);
    if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
    const upcoming = s.state === 'active' || s.state === 'paused' ? periodsFrom(this.calendar.recurrence(db, s), s.last_period + 1, 6) : [];
    return { schedule: this.scheduleView(s), periods: periodsOf(db, id).map((p) => this.periodView(p, s)), upcoming };
  }

  private scheduleView(s: ScheduleRow): ScheduleView {
    const { db } = this.deps;
    const now = this.deps.clock.now();
    const card = getCardRow(db, s.card_id);
    const counts = countsOf(db, s.id);
    const r = this.calendar.recurrence(db, s);
    const next = s.state === 'active' || s.state === 'paused' ? periodsFrom(r, s.last_period + 1, 1)[0] : undefined;
    const cardProblem = !card ? 'The card on file is gone.' : card.status !== 'active' ? 'The card on file was deactivated.' : isCardExpired(card.expiry, now) ? 'The card on file has expired.' : null;
    return {
      id: s.id,
      shortId: s.short_id,
      customerId: s.customer_id,
      customerName: s.customer_name,
      cardId: s.card_id,
      cardBrand: card?.brand ?? '',
      cardLast4: card?.last4 ?? '0000',
      cardProblem,
      amount: s.amount,
      currency: s.currency,
      frequency: s.frequency,
      startAt: s.start_at,
      endAt: s.end_at,
      count: s.count,
      description: s.description,
      state: s.state,
      nextDueAt: next?.dueAt ?? null,
      nextPeriod: next?.period ?? null,
      totalPeriods: totalPeriods(r),
      charged: counts.charged,
      missed: counts.missed,
      attention: counts.needs_attention,
      running: counts.running,
      createdAt: s.created_at,
      createdBy: s.created_by_name,
    };
  }

  private periodView(p: PeriodRow, s: ScheduleRow): PeriodView {
    const pay = p.payment_id ? getPaymentRow(this.deps.db, p.payment_id) : undefined;
    const order = p.order_id ? getOrderRow(this.deps.db, p.order_id) : undefined;
    return {
      id: p.id,
      scheduleId: p.schedule_id,
      period: p.period,
      dueAt: p.due_at,
      state: p.state,
      reference: p.reference,
      amount: order?.total ?? s.amount,
      orderId: p.order_id,
      paymentId: p.payment_id,
      paymentReference: pay?.reference ?? null,
      paymentStatus: pay?.status ?? null,
      attempts: p.attempts,
      reason: p.reason,
      reasonText: readText(p.reason_text),
      actedBy: p.acted_by_name,
      startedAt: p.started_at,
      finishedAt: p.finished_at,
    };
  }
}
