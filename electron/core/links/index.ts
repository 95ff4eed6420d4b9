import { ContractError } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { PaymentLinkService, type LinkServiceOptions } from './service';

export { PaymentLinkService } from './service';

export interface LinksFeature {
  handlers: PartialHandlers;
  service: PaymentLinkService;
  recover(): Promise<number>;
}

function caller(ctx: CallContext): { id: string; name: string } {
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return { id: ctx.user.id, name: ctx.user.name };
}

/** Pay by link (issue #19, docs/payment-links.md). */
export function createLinksFeature(deps: CoreDeps, opts: LinkServiceOptions = {}): LinksFeature {
  const service = new PaymentLinkService(deps, opts);
  return {
    handlers: {
      'links.send': (input, ctx) => service.send(input, caller(ctx)),
      'links.get': (input, ctx) => {
        caller(ctx);
        return service.get(input.id);
      },
      'links.forOrder': (input, ctx) => {
        caller(ctx);
        return service.forOrder(input.orderId);
      },
      'links.resend': (input, ctx) => service.resend(input.id, caller(ctx)),
      'links.cancel': (input, ctx) => service.cancel(input.id, caller(ctx)),
      'links.extend': (input, ctx) => service.extend(input.id, input.expiresInMinutes, caller(ctx)),
    },
    service,
    recover: () => service.recover(),
  };
}
