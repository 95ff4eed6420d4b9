import { randomInt } from 'node:crypto';
import { ContractError, coreText, type ParsedInputOf } from '../../../shared/contract';
import { said } from './periods';
import { periodsDueBy, periodsFrom } from '../../../shared/domain/recurrence';
import { MAX_MINOR_UNITS } from '../../../shared/money';
import { usableCard } from '../cards';
import { getCardRow } from '../cards';
import { getCustomer } from '../customers';
import type { CoreDeps } from '../deps';
import { newId, tx } from '../ledger/sql';
import { fmtMinor } from '../sync';
import { recurringAudit, type Actor } from './audit';
import { chosenChargeDate, utcMinute, type ShopCalendar } from './calendar';
import type { Periods } from './periods';
import { getSchedule, insertSchedule, lastPeriodOf, movePeriod, periodsOf, setPeriodOrder, shortIdExists, unpricedPeriodsOf, updateSchedule, type ScheduleRow } from './repo';
import type { RecurringRunner } from './runner';
import type { RecurringDetail, RecurringViews } from './views';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Most periods a change writes as history first (a daily schedule paused for years is cancelled, not changed). */
const MAX_PERIODS_BEFORE_CHANGE = 5_000;

function randomShortId(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CROCKFORD[randomInt(CROCKFORD.length)];
  return s;
}

/** Setting up and changing schedules: create, change, pause, resume, cancel (each audited; a refusal changes nothing). */
export class Schedules {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendar: ShopCalendar,
    private readonly periods: Periods,
    private readonly runner: RecurringRunner,
    private readonly views: RecurringViews,
  ) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  private audit(actor: Actor, action: string, target: string, outcome: 'success' | 'failure', detail: string): void {
    recurringAudit(this.deps, actor, action, target, outcome, detail);
  }

  async create(input: ParsedInputOf<'recurring.create'>, actor: Actor): Promise<RecurringDetail> {
    const { db } = this.deps;
    const now = this.now();
    const customer = getCustomer(db, input.customerId);
    if (!customer) throw new ContractError('NOT_FOUND', 'No such customer.');
    const card = usableCard(db, input.cardId, now);
    if (card.customer_id !== customer.id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
    if (input.amount > MAX_MINOR_UNITS) throw new ContractError('VALIDATION', coreText('refuse.recurringAmountTooLarge'), { amount: 'Too large' });
    if (input.endAt !== null && input.count !== null) throw new ContractError('VALIDATION', coreText('refuse.recurringBothEnds'), { count: 'End date or count, not both' });

    // Today (a moment already passed): period 1 is due now.
    const startAt = input.startAt === null ? now.toISOString() : chosenChargeDate(input.startAt, now, 'startAt', { notADate: 'The start date is not a date.', past: 'refuse.recurringStartPast', far: 'refuse.recurringStartFar' });
    if (input.endAt !== null) {
      const t = Date.parse(input.endAt);
      if (Number.isNaN(t)) throw new ContractError('VALIDATION', 'The end date is not a date.', { endAt: 'Not a date' });
      if (t < Date.parse(startAt)) throw new ContractError('VALIDATION', coreText('refuse.recurringEndBeforeStart'), { endAt: 'Before the start' });
    }

    const at = now.toISOString();
    const row = tx(db, () => {
      let shortId = randomShortId();
      while (shortIdExists(db, shortId)) shortId = randomShortId();
      const r: ScheduleRow = {
        id: newId('rcs'),
        short_id: shortId,
        customer_id: customer.id,
        customer_name: customer.name,
        card_id: card.id,
        amount: input.amount,
        currency: input.currency,
        frequency: input.frequency,
        start_at: startAt,
        end_at: input.endAt,
        count: input.count,
        description: input.description,
        state: 'active',
        active_since: at,
        last_period: 0,
        created_by: actor.id,
        created_by_name: actor.name,
        created_at: at,
        updated_at: at,
        time_zone: this.calendar.timeZone,
      };
      insertSchedule(db, r);
      const end = r.count !== null ? `${r.count} charges` : r.end_at ? `until ${r.end_at.slice(0, 10)}` : 'until cancelled';
      this.audit(actor, 'recurring.create', `RC-${shortId}`, 'success', `${r.frequency} ${r.amount} ${r.currency} from ${startAt.slice(0, 16)} ${end}; card …${card.last4}; customer ${customer.name}`);
      return r;
    });
    // Period 1 may be due now: the same pass as the runner's (charged once, whoever gets there first).
    await this.runner.pass();
    return this.views.detail(row.id);
  }

  pause(id: string, actor: Actor): RecurringDetail {
    return this.changeState(id, actor, 'recurring.pause', (s) => {
      if (s.state === 'paused') return null;
      if (s.state !== 'active') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotActive'));
      return { state: 'paused' };
    });
  }

  async resume(id: string, actor: Actor): Promise<RecurringDetail> {
    this.changeState(id, actor, 'recurring.resume', (s) => {
      if (s.state === 'active') return null;
      if (s.state !== 'paused') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotPaused'));
      // Periods that fell due while paused are listed as missed (a supervisor runs or skips them).
      return { state: 'active', active_since: this.now().toISOString() };
    });
    await this.runner.pass();
    return this.views.detail(id);
  }

  cancel(id: string, actor: Actor): RecurringDetail {
    const { db } = this.deps;
    return this.changeState(id, actor, 'recurring.cancel', (s) => {
      if (s.state === 'cancelled') return null;
      const at = this.now().toISOString();
      let skipped = 0;
      for (const p of periodsOf(db, s.id)) {
        if (movePeriod(db, p.id, ['missed', 'due', 'needs_attention'], { state: 'skipped', ...said(coreText('refuse.scheduleCancelled')), acted_by: actor.id, acted_by_name: actor.name, finished_at: at }, at)) skipped++;
      }
      return { state: 'cancelled', note: skipped ? `${skipped} period(s) not charged were skipped` : '' };
    });
  }

  /**
   * Changes an active or paused schedule from its next charge on (docs/recurring.md "Changing a
   * schedule"). History is never rewritten: the periods that already fell due are written first,
   * under the old rule, and keep the amount and description they fell due with (their orders are
   * made now if they were not yet); period numbers, and so the derived references, go on from the
   * last one written, so no period can be charged twice whatever the new dates. A new rhythm or
   * next date anchors the rule at the next period (shared/domain/recurrence "anchor").
   */
  async update(input: ParsedInputOf<'recurring.update'>, actor: Actor): Promise<RecurringDetail> {
    const { db } = this.deps;
    const changed = tx(db, () => {
      const now = this.now();
      const at = now.toISOString();
      const s = getSchedule(db, input.id);
      if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
      if (s.state !== 'active' && s.state !== 'paused') throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleNotChangeable'));

      // Validate everything before writing anything (a refusal changes nothing: the transaction rolls back anyway).
      if (input.amount !== undefined && input.amount > MAX_MINOR_UNITS) throw new ContractError('VALIDATION', coreText('refuse.recurringAmountTooLarge'), { amount: 'Too large' });
      const card = input.cardId !== undefined && input.cardId !== s.card_id ? usableCard(db, input.cardId, now) : null;
      if (card && card.customer_id !== s.customer_id) throw new ContractError('NOT_ALLOWED', coreText('refuse.cardOtherCustomer'));
      // Today (a moment already passed): the next period is due now.
      const nextAt = input.nextAt === undefined ? null : chosenChargeDate(input.nextAt, now, 'nextAt', { notADate: 'The next charge date is not a date.', past: 'refuse.recurringNextPast', far: 'refuse.recurringNextFar' });

      // Every period that fell due under the current rule is history (written below, before the change).
      const old = this.calendar.recurrence(db, s);
      const fallen = periodsDueBy(old, s.last_period + 1, at, MAX_PERIODS_BEFORE_CHANGE);
      if (fallen.length === MAX_PERIODS_BEFORE_CHANGE) throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleTooManyFallen', { n: MAX_PERIODS_BEFORE_CHANGE }));
      const lastPeriod = s.last_period + fallen.length;
      const planned = periodsFrom(old, lastPeriod + 1, 1)[0];
      if (!planned) throw new ContractError('NOT_ALLOWED', coreText('refuse.scheduleAllFallen'));

      const patch: Partial<ScheduleRow> = {};
      const notes: string[] = [];
      if (input.amount !== undefined && input.amount !== s.amount) {
        patch.amount = input.amount;
        notes.push(`amount ${fmtMinor(s.amount, s.currency)} → ${fmtMinor(input.amount, s.currency)}`);
      }
      if (input.description !== undefined && input.description !== s.description) {
        patch.description = input.description;
        notes.push(`description "${s.description}" → "${input.description}"`);
      }
      if (card) {
        patch.card_id = card.id;
        notes.push(`card …${getCardRow(db, s.card_id)?.last4 ?? '????'} → …${card.last4}`);
      }

      // 2. A new rhythm or next date: the rule restarts at the next period, after everything written.
      const frequency = input.frequency ?? s.frequency;
      const startAt = nextAt ?? planned.dueAt;
      if (frequency !== s.frequency || startAt !== planned.dueAt) {
        if (Date.parse(startAt) < now.getTime()) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAt', { at: startAt }), { nextAt: 'In the past' });
        }
        const written = lastPeriodOf(db, s.id);
        const last = fallen.length ? fallen[fallen.length - 1]! : written ? { period: written.period, dueAt: written.due_at } : null;
        if (last && Date.parse(startAt) <= Date.parse(last.dueAt)) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAfterPeriod', { period: last.period, at: last.dueAt }), { nextAt: 'Not after the last period' });
        }
        if (s.end_at !== null && Date.parse(startAt) > Date.parse(s.end_at)) {
          throw new ContractError('VALIDATION', coreText('refuse.recurringNextAfterEnd', { at: s.end_at }), { nextAt: 'After the end date' });
        }
        patch.frequency = frequency;
        patch.start_at = startAt;
        if (frequency !== s.frequency) notes.push(`${s.frequency} → ${frequency}`);
        notes.push(`next charge (period ${planned.period}) ${utcMinute(planned.dueAt)} → ${utcMinute(startAt)}`);
      }
      if (notes.length === 0) return false; // nothing different: nothing written, nothing audited

      // 1. History first: the periods that fell due under the old rule get their rows, as the runner writes them.
      if (fallen.length) {
        this.periods.writeFallenDue(s, fallen, at);
        updateSchedule(db, s.id, { last_period: lastPeriod }, at);
      }
      // 3. Periods that fell due and have no order yet keep the amount and description they fell due with.
      if (patch.amount !== undefined || patch.description !== undefined) {
        for (const p of unpricedPeriodsOf(db, s.id)) setPeriodOrder(db, p.id, this.periods.periodOrder(s, p, actor), at);
      }
      updateSchedule(db, s.id, patch, at);
      this.audit(actor, 'recurring.update', `RC-${s.short_id}`, 'success', `${notes.join('; ')}${fallen.length ? `; ${fallen.length} period(s) that fell due before the change keep the old terms` : ''}`.slice(0, 500));
      return true;
    });
    if (changed) {
      this.runner.noteAttention();
      // A next charge "today" is due now: the same pass as the runner's.
      if (getSchedule(db, input.id)?.state === 'active') await this.runner.pass();
    }
    return this.views.detail(input.id);
  }

  private changeState(id: string, actor: Actor, action: string, decide: (s: ScheduleRow) => (Partial<ScheduleRow> & { note?: string }) | null): RecurringDetail {
    const { db } = this.deps;
    tx(db, () => {
      const s = getSchedule(db, id);
      if (!s) throw new ContractError('NOT_FOUND', 'No such recurring schedule.');
      const patch = decide(s);
      if (!patch) return;
      const { note, ...rest } = patch;
      updateSchedule(db, id, rest, this.now().toISOString());
      this.audit(actor, action, `RC-${s.short_id}`, 'success', `${s.state} → ${rest.state ?? s.state}${note ? `; ${note}` : ''}`);
    });
    this.runner.noteAttention();
    return this.views.detail(id);
  }
}
