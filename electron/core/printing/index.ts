import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { requireUser } from '../ledger/audit-as';
import type { PrinterConfigStore } from './config-store';
import { PrintingService, type PrintingOptions } from './service';

export { ConfPrinterConfigStore, MemoryPrinterConfigStore, type PrinterConfigStore } from './config-store';
export { PrintingService } from './service';

/** Receipt printer and cash drawer of this desk (issue #20, docs/printing.md). */
export function createPrintingFeature(deps: CoreDeps, store: PrinterConfigStore, opts: PrintingOptions = {}): { handlers: PartialHandlers; service: PrintingService } {
  const service = new PrintingService(deps, store, opts);
  return {
    service,
    handlers: {
      'printing.state': () => service.state(),
      'printing.configure': (input, ctx) => service.configure(input, requireUser(ctx)),
      'printing.test': (input) => service.test(input),
      'printing.receipt': (input, ctx) => service.receipt(input.paymentId, input.sale, requireUser(ctx)),
      'printing.preview': (input) => service.preview(input.paymentId),
      'printing.openDrawer': (_input, ctx) => service.openDrawer(requireUser(ctx)),
    },
  };
}
