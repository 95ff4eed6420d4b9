import type { CoreDeps } from '../deps';
import type { PartialHandlers } from '../context';
import { ContractError } from '../../../shared/contract/errors';
import { auditAs } from '../ledger/audit-as';
import { defaultCustomerHistory } from '../default-ports';
import type { CustomerHistory } from '../ports';
import { cardsOfCustomer } from './cards-view';
import { createCustomer, getCustomer, updateCustomerWithPrevious, type Customer } from './customers-repo';
import { searchCustomers } from './search';

export { createCustomer, getCustomer, updateCustomer, type Customer, type CustomerFields } from './customers-repo';
export { indexCustomer, indexCard, indexOrder, foldTerm, customerTerms, orderTerm, TAG } from './search-index';
export { searchCustomers, type SearchHit, type SearchPage } from './search';

/** Which fields changed, never their values: the audit log is not a copy of the customer file. */
function changedFields(before: Customer, after: Customer): string {
  const f = (['name', 'email', 'phone', 'language'] as const).filter((k) => before[k] !== after[k]);
  return f.length ? `changed ${f.join(', ')}` : 'no change';
}

/** Customers and their cards on file: search-as-you-type, detail, add and edit. */
/** `history`: the customer's orders and payments (the payments feature's, through ports.ts). */
export function createCustomersFeature(deps: CoreDeps, history: CustomerHistory = defaultCustomerHistory): { handlers: PartialHandlers } {
  return {
    handlers: {
      'customers.search': (input) => searchCustomers(deps.db, input.query, { limit: input.limit, offset: input.offset }, deps.clock),

      'customers.get': (input) => {
        const customer = getCustomer(deps.db, input.id);
        if (!customer) throw new ContractError('NOT_FOUND', 'This customer does not exist.');
        const now = deps.clock.now();
        return { customer, cards: cardsOfCustomer(deps.db, customer.id, deps.clock), ...history.recent(deps.db, customer.id, now), repeat: history.lastStanding(deps.db, customer.id, now) };
      },

      'customers.create': (input, ctx) =>
        deps.db.transaction(() => {
          const c = createCustomer(deps.db, input, deps.clock);
          auditAs(deps, ctx.user, { action: 'customer.create', outcome: 'success', target: c.id });
          return c;
        })(),

      'customers.update': (input, ctx) =>
        deps.db.transaction(() => {
          const { customer, previous } = updateCustomerWithPrevious(deps.db, input.id, input, deps.clock);
          auditAs(deps, ctx.user, { action: 'customer.update', outcome: 'success', target: customer.id, detail: changedFields(previous, customer) });
          return customer;
        })(),
    },
  };
}
