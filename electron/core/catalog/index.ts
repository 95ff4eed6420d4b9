import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { requireUser } from '../ledger/audit-as';
import { CatalogService } from './service';

export { CatalogService } from './service';

/**
 * The product catalog (issue #20). Who may call what is the contract's minRole, checked by the
 * dispatcher before any handler runs: clerks search and scan, admins change the catalog.
 */
export function createCatalogFeature(deps: CoreDeps): { handlers: PartialHandlers; service: CatalogService } {
  const service = new CatalogService(deps);
  return {
    service,
    handlers: {
      'catalog.search': (input) => service.search(input),
      'catalog.byBarcode': (input) => service.byBarcode(input.barcode),
      'catalog.save': (input, ctx) => service.save(input, requireUser(ctx)),
      'catalog.setActive': (input, ctx) => service.setActive(input.id, input.active, requireUser(ctx)),
      'catalog.importPreview': (input) => service.preview(input.csv),
      'catalog.importApply': (input, ctx) => service.apply(input.csv, requireUser(ctx)),
      'catalog.export': () => service.all(),
    },
  };
}
