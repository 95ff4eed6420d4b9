import type { OutputOf } from '../../shared/contract';
import type { Role } from '../../shared/domain/roles';
import type { Clock } from './clock';
import type { Db } from './db/database';
import type { CoreDeps } from './deps';
import type { AuditInput } from './ledger/audit-log';

// The narrow interfaces features need from each other, on the ground floor so that a feature
// depends on the interface, never on the feature that answers it. The real answers are wired in
// one place, default-ports.ts; a test may replace one (e.g. approval) without touching the rest.

export interface CustomerLike {
  id: string;
  name: string;
  email: string;
  phone: string;
}

/** What payments, orders and cards need from people (approval) and customers (the file and its search index). */
export interface Ports {
  appendAudit(db: Db, e: AuditInput): void;
  verifyApproval(
    deps: CoreDeps,
    req: { supervisorId?: string; pin?: string; requesterId: string; target?: string | null; detail?: string },
  ): Promise<{ supervisorId: string; supervisorName: string }>;
  /** Right before the refund is written (nothing awaited in between): the approver may still approve, or it throws. */
  approverStillValid(
    deps: CoreDeps,
    approval: { supervisorId: string; supervisorName: string },
    req: { requesterId: string; target?: string | null; detail?: string },
  ): void;
  refundNeedsApproval(deps: CoreDeps, amount: number, role: Role): boolean;
  createCustomer(db: Db, input: { name: string; email: string; phone: string }, clock: Clock): CustomerLike;
  getCustomer(db: Db, id: string): CustomerLike | null | undefined;
  indexCard(db: Db, card: { id: string; customerId: string; last4: string }): void;
  indexOrder(db: Db, order: { reference: string; customerId: string | null }): void;
}

type CustomerFile = OutputOf<'customers.get'>;

/** What the customer screen shows of a customer's orders and payments (the payments feature's tables). */
export interface CustomerHistory {
  recent(db: Db, customerId: string, now: Date): Pick<CustomerFile, 'orders' | 'payments'>;
  /** What "Charge again" repeats, or null. */
  lastStanding(db: Db, customerId: string, now: Date): CustomerFile['repeat'];
}
