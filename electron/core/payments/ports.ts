import type { CoreDeps } from '../deps';
import type { Db } from '../db/database';
import type { Clock } from '../clock';
import type { Role } from '../../../shared/domain/roles';
import { appendAudit, type AuditInput } from '../ledger/audit-log';
import { refundNeedsApproval, verifyApproval } from '../people/approval';
import { createCustomer, getCustomer } from '../customers/customers-repo';
import { indexCard, indexOrder } from '../customers/search-index';

export interface CustomerLike {
  id: string;
  name: string;
  email: string;
  phone: string;
}

/**
 * What the payments feature needs from the people and customers features. Production wires the
 * real functions (`defaultPorts`); a test may replace one (e.g. approval) without touching the rest.
 */
export interface Ports {
  appendAudit(db: Db, e: AuditInput): void;
  verifyApproval(
    deps: CoreDeps,
    req: { supervisorId?: string; pin?: string; requesterId: string; target?: string | null; detail?: string },
  ): { supervisorId: string; supervisorName: string };
  refundNeedsApproval(deps: CoreDeps, amount: number, role: Role): boolean;
  createCustomer(db: Db, input: { name: string; email: string; phone: string }, clock: Clock): CustomerLike;
  getCustomer(db: Db, id: string): CustomerLike | null | undefined;
  indexCard(db: Db, card: { id: string; customerId: string; last4: string }): void;
  indexOrder(db: Db, order: { reference: string; customerId: string | null }): void;
}

export const defaultPorts: Ports = {
  appendAudit: (db, e) => {
    appendAudit(db, e);
  },
  verifyApproval: (deps, req) => verifyApproval(deps, req),
  refundNeedsApproval: (deps, amount, role) => refundNeedsApproval(deps, amount, role),
  createCustomer: (db, input, clock) => createCustomer(db, input, clock),
  getCustomer: (db, id) => getCustomer(db, id),
  indexCard: (db, card) => indexCard(db, card),
  indexOrder: (db, order) => indexOrder(db, order),
};
