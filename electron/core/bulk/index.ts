import { ContractError } from '../../../shared/contract';
import type { Role } from '../../../shared/domain/roles';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import type { PaymentService } from '../payments';
import { BulkService, type BulkOptions } from './service';

export { BulkService } from './service';

export interface BulkFeature {
  handlers: PartialHandlers;
  service: BulkService;
  /** Start-up: rows left sending are settled by their operations; runs left running resume. */
  recover(): number;
  close(): Promise<void>;
}

function caller(ctx: CallContext): { id: string; name: string; role: Role } {
  if (!ctx.user) throw new ContractError('UNAUTHENTICATED', 'Sign in first.');
  return ctx.user;
}

/** exactOptionalPropertyTypes: the contract's absent fields arrive as undefined. */
function definedOnly<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as T;
}

export function createBulkFeature(deps: CoreDeps, payments: PaymentService, opts: BulkOptions = {}): BulkFeature {
  const service = new BulkService(deps, payments, opts);
  return {
    handlers: {
      'bulk.preview': (input, ctx) => service.preview(input.kind, input.rows.map(definedOnly), input.reason, caller(ctx)),
      'bulk.start': (input, ctx) => service.start(input.id, caller(ctx)),
      'bulk.get': (input, ctx) => {
        caller(ctx);
        return service.get(input.id);
      },
      'bulk.rows': (input, ctx) => {
        caller(ctx);
        return service.rows(input.id, input.offset, input.limit);
      },
      'bulk.cancel': (input, ctx) => service.cancel(input.id, caller(ctx)),
      'bulk.dismissRow': (input, ctx) => service.dismissRow(input.runId, input.seq, caller(ctx)),
      'bulk.resultCsv': (input, ctx) => {
        caller(ctx);
        return { csv: service.resultCsv(input.id) };
      },
    },
    service,
    recover: () =>
      service.recover((id) => (deps.db.prepare('SELECT id, name, role FROM users WHERE id = ?').get(id) as { id: string; name: string; role: Role } | undefined) ?? null),
    close: () => service.close(),
  };
}
