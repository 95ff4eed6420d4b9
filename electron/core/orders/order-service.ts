import type { ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import { orderTotals } from '../../../shared/domain/order-totals';
import { MAX_MINOR_UNITS, MoneyError } from '../../../shared/money';
import type { CoreDeps } from '../deps';
import type { Ports } from '../ports';
import { orderReference, REFERENCE_PATTERN } from '../ledger/references';
import { newId, stmt, tx } from '../ledger/sql';
import { getOrderRow, insertOrder, referenceExists, setOrderStatus, toOrder, type Order, type OrderRow } from './orders-repo';

export interface Actor {
  id: string;
  name: string;
}

/** Orders: created awaiting payment with totals computed once by the shared rounding rule. */
export class OrderService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly ports: Ports,
  ) {}

  /**
   * `opts.reference`: a reference chosen by the caller (e.g. a recurring period's, fixed before
   * anything is sent so a retry after a crash finds the same order); it must be a valid gateway
   * reference not used yet, at most 34 characters (room for the payment and refund suffixes).
   */
  create(input: ParsedInputOf<'orders.create'>, actor: Actor, opts: { reference?: string } = {}): Order {
    const { db, clock } = this.deps;
    let totals;
    try {
      totals = orderTotals(input.currency, input.lines);
    } catch (e) {
      if (e instanceof MoneyError) throw new ContractError('VALIDATION', e.message);
      throw e;
    }
    if (totals.total.amount <= 0) throw new ContractError('VALIDATION', coreText('refuse.orderTotalNotPositive'));
    if (totals.total.amount > MAX_MINOR_UNITS) throw new ContractError('VALIDATION', coreText('refuse.orderTotalTooLarge'));
    if (input.customerId && input.newCustomer) throw new ContractError('VALIDATION', coreText('refuse.customerOrNew'));

    const now = clock.now().toISOString();
    return tx(db, () => {
      let customer: { id: string; name: string } | null = null;
      if (input.customerId) {
        const c = this.ports.getCustomer(db, input.customerId);
        if (!c) throw new ContractError('NOT_FOUND', 'No such customer.');
        customer = c;
      } else if (input.newCustomer) {
        customer = this.ports.createCustomer(db, input.newCustomer, clock);
      }
      let reference: string;
      if (opts.reference !== undefined) {
        if (!REFERENCE_PATTERN.test(opts.reference) || opts.reference.length > 34) throw new ContractError('VALIDATION', coreText('refuse.badOrderReference'));
        if (referenceExists(db, opts.reference)) throw new ContractError('CONFLICT', coreText('refuse.orderReferenceExists'));
        reference = opts.reference;
      } else {
        reference = orderReference(this.deps.station, clock.now());
        // 32^6 references a day per station: a clash is rare, but the unique index must never throw at a clerk.
        while (referenceExists(db, reference)) reference = orderReference(this.deps.station, clock.now());
      }
      const row: OrderRow = {
        id: newId('ord'),
        reference,
        channel: input.channel,
        customer_id: customer?.id ?? null,
        customer_name: customer?.name ?? null,
        currency: input.currency,
        lines_json: JSON.stringify(input.lines),
        net: totals.net.amount,
        tax: totals.tax.amount,
        total: totals.total.amount,
        note: input.note,
        status: 'awaiting_payment',
        created_at: now,
        created_by: actor.id,
        created_by_name: actor.name,
        updated_at: now,
      };
      insertOrder(db, row);
      this.ports.indexOrder(db, { reference, customerId: row.customer_id });
      return toOrder(row);
    });
  }

  get(id: string): Order {
    const row = getOrderRow(this.deps.db, id);
    if (!row) throw new ContractError('NOT_FOUND', 'No such order.');
    return toOrder(row);
  }

  /** Only an order no money moved on: no payment other than declined or voided ones. */
  cancel(id: string): Order {
    const { db, clock } = this.deps;
    return tx(db, () => {
      const row = getOrderRow(db, id);
      if (!row) throw new ContractError('NOT_FOUND', 'No such order.');
      if (row.status === 'cancelled') return toOrder(row);
      const live = stmt(db, `SELECT COUNT(*) AS n FROM payments WHERE order_id = ? AND NOT (declined = 1 OR voided = 1)`).get(id) as { n: number };
      if (live.n > 0) throw new ContractError('NOT_ALLOWED', coreText('refuse.orderPaymentVoidInstead'));
      const at = clock.now().toISOString();
      setOrderStatus(db, id, 'cancelled', at);
      return toOrder({ ...row, status: 'cancelled', updated_at: at });
    });
  }
}
