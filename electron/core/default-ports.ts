import { createCustomer, getCustomer } from './customers/customers-repo';
import { indexCard, indexOrder } from './customers/search-index';
import { appendAudit } from './ledger/audit-log';
import { lastStandingPayment, recentHistory } from './payments/customer-history';
import { approverStillValid, refundNeedsApproval, verifyApproval } from './people/approval';
import type { CustomerHistory, Ports } from './ports';

// The one place that names which feature answers which port (ports.ts). Like app.ts it stands
// above the features and may take a function from any feature's own file; a feature imports this
// file only to default its ports, never another feature.

export const defaultPorts: Ports = {
  appendAudit: (db, e) => {
    appendAudit(db, e);
  },
  verifyApproval: (deps, req) => verifyApproval(deps, req),
  approverStillValid: (deps, approval, req) => approverStillValid(deps, approval, req),
  refundNeedsApproval: (deps, amount, role) => refundNeedsApproval(deps, amount, role),
  createCustomer: (db, input, clock) => createCustomer(db, input, clock),
  getCustomer: (db, id) => getCustomer(db, id),
  indexCard: (db, card) => indexCard(db, card),
  indexOrder: (db, order) => indexOrder(db, order),
};

export const defaultCustomerHistory: CustomerHistory = {
  recent: (db, customerId, now) => recentHistory(db, customerId, now),
  lastStanding: (db, customerId, now) => lastStandingPayment(db, customerId, now),
};
