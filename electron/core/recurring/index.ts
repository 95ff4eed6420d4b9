import { ContractError } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import type { PaymentsFeature } from '../payments';
import { RecurringService, type RecurringOptions } from './service';

export { RecurringService, RUNNER, stationTimeZone, type RecurringDetail, type RecurringOptions } from './service';

export interface RecurringFeature {
  handlers: PartialHandlers;
  service: RecurringService;
  /** After payments recovered: finish periods left running, list what fell due while closed, then tick every minute. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function caller(ctx: CallContext): { id: string; name: string } {
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return { id: ctx.user.id, name: ctx.user.name };
}

/**
 * Recurring charges on a card on file (seed 001; docs/recurring.md). Roles (shared/contract):
 * clerk sets up, changes, lists, pauses and resumes; a supervisor runs or skips a missed period (or one that
 * needs attention) and cancels a schedule.
 */
export function createRecurringFeature(deps: CoreDeps, payments: PaymentsFeature, opts: RecurringOptions = {}): RecurringFeature {
  const service = new RecurringService(deps, payments, opts);
  return {
    handlers: {
      'recurring.create': (input, ctx) => service.create(input, caller(ctx)),
      'recurring.list': (input) => service.list(input),
      'recurring.get': (input) => service.detail(input.id),
      'recurring.update': (input, ctx) => service.update(input, caller(ctx)),
      'recurring.pause': (input, ctx) => service.pause(input.id, caller(ctx)),
      'recurring.resume': (input, ctx) => service.resume(input.id, caller(ctx)),
      'recurring.cancel': (input, ctx) => service.cancel(input.id, caller(ctx)),
      'recurring.runPeriod': (input, ctx) => service.runPeriod(input.periodId, caller(ctx)),
      'recurring.skipPeriod': (input, ctx) => service.skipPeriod(input.periodId, input.reason, caller(ctx)),
      'recurring.runDue': (_input, ctx) => {
        caller(ctx);
        return service.pass();
      },
    },
    service,
    start: () => service.start(),
    close: () => service.close(),
  };
}
