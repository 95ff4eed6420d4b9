import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { verifyApproval } from '../people/approval';
import { updateUserRow } from '../people/users-repo';
import { startHarness, type Harness } from './test-harness';

// The supervisor's PIN is verified before the refund's transaction (the hash is awaited); what can
// change during that wait is checked again right before the write (docs/decisions/async-pin-hashing.md).
let h: Harness;
/** Set by a test: runs after the PIN was verified, before the refund is written. */
let duringVerification: (() => void) | null = null;

beforeAll(async () => {
  h = await startHarness({
    ports: {
      verifyApproval: async (deps, req) => {
        const granted = await verifyApproval(deps, req);
        duringVerification?.();
        return granted;
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});

async function cashSale(total: number) {
  const o = await h.call('orders.create', { channel: 'counter', currency: 'USD', lines: [{ description: 'Item', quantity: 1, unitPrice: total, taxRateBp: 0 }] });
  return h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'cash', tendered: total } });
}

describe('refund approval around the awaited PIN check', () => {
  it('refuses the refund and writes nothing when the approver is deactivated while the PIN is checked', async () => {
    const sale = await cashSale(5_000);
    const supId = h.supervisor.user!.id;
    duringVerification = () => updateUserRow(h.db, supId, { active: false }, h.clock.now().toISOString());
    const opsBefore = h.db.prepare('SELECT COUNT(*) AS n FROM operations').get();
    let err: unknown;
    try {
      await h.call('payments.refund', { paymentId: sale.payment.id, amount: 1_000, reason: 'r', approval: { supervisorId: supId, pin: h.supervisor.pin } });
    } catch (e) {
      err = e;
    }
    duringVerification = null;
    updateUserRow(h.db, supId, { active: true }, h.clock.now().toISOString());
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('APPROVAL_INVALID');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM operations').get()).toEqual(opsBefore);
    expect(h.db.prepare('SELECT refunded FROM payments WHERE id = ?').get(sale.payment.id)).toEqual({ refunded: 0 });
    const refused = h.db.prepare(`SELECT detail FROM audit WHERE action = 'approval.refused' ORDER BY seq DESC LIMIT 1`).get() as { detail: string };
    expect(refused.detail).toMatch(/no longer an active supervisor/);
  });

  it('refunds when the approver is still active', async () => {
    const sale = await cashSale(5_000);
    const r = await h.call('payments.refund', { paymentId: sale.payment.id, amount: 1_000, reason: 'r', approval: { supervisorId: h.supervisor.user!.id, pin: h.supervisor.pin } });
    expect(r.outcome).toBe('approved');
    expect(r.detail.payment.refunded).toBe(1_000);
  });
});
