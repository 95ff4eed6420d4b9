import { ContractError } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { PaymentLinkService, type LinkServiceOptions } from './service';
import { LinkWatcher, type LinkWatcherOptions } from './watcher';

export { PaymentLinkService } from './service';
export { LinkWatcher, DEFAULT_LINK_WATCH, type LinkWatcherOptions } from './watcher';

export interface LinksFeature {
  handlers: PartialHandlers;
  service: PaymentLinkService;
  /** Follows sent links in the background (started after recovery). */
  watcher: LinkWatcher;
  recover(): Promise<number>;
  close(): Promise<void>;
}

function caller(ctx: CallContext): { id: string; name: string } {
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return { id: ctx.user.id, name: ctx.user.name };
}

/** Pay by link (issue #19, docs/payment-links.md). */
export interface LinksFeatureOptions extends LinkServiceOptions {
  /** The sync feature's view of the gateway: the watcher asks nothing while offline. */
  isOnline?: () => boolean;
  watch?: LinkWatcherOptions;
}

export function createLinksFeature(deps: CoreDeps, opts: LinksFeatureOptions = {}): LinksFeature {
  const service = new PaymentLinkService(deps, opts);
  const watcher = new LinkWatcher(deps.db, deps.clock, deps.log, (row) => service.refresh(row), opts.isOnline ?? (() => true), opts.watch);
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
      'links.expiringSummary': (_input, ctx) => {
        caller(ctx);
        return service.expiringSummary();
      },
    },
    service,
    watcher,
    recover: () => service.recover(),
    close: () => watcher.close(),
  };
}
