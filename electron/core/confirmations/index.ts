import { ContractError } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import type { PaymentsFeature } from '../payments';
import { ConfirmationService, type ConfirmationOptions } from './service';

export { ConfirmationService, describeOrder, splitName, type ConfirmationView } from './service';

export interface ConfirmationsFeature {
  handlers: PartialHandlers;
  service: ConfirmationService;
  /** Start-up: resume confirmations left waiting, and finish the charge of confirmed ones. */
  recover(): Promise<number>;
  close(): Promise<void>;
}

function caller(ctx: CallContext): { id: string; name: string } {
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return { id: ctx.user.id, name: ctx.user.name };
}

/** Email confirmation of a MOTO charge by the cardholder (seed 003); charges through the payments feature. */
export function createConfirmationsFeature(deps: CoreDeps, payments: PaymentsFeature, opts: ConfirmationOptions = {}): ConfirmationsFeature {
  const service = new ConfirmationService(deps, payments, opts);
  return {
    handlers: {
      'confirmations.start': (input, ctx) => service.start(input, caller(ctx), ctx),
      'confirmations.get': (input, ctx) => {
        caller(ctx);
        return service.get(input.id);
      },
    },
    service,
    recover: () => service.recover(),
    close: () => service.close(),
  };
}
