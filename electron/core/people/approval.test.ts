import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { refundNeedsApproval, verifyApproval } from './approval';
import { hashSecret } from './secrets';
import { insertUser } from './users-repo';
import { MIN, testDeps } from './test-kit';

async function world(settings: Parameters<typeof testDeps>[0] = {}) {
  const deps = testDeps(settings);
  const at = deps.clock.now().toISOString();
  const sup = insertUser(deps.db, { name: 'Sam Super', role: 'supervisor', secretHash: await hashSecret('222222') }, at);
  const sup2 = insertUser(deps.db, { name: 'Sue Super', role: 'supervisor', secretHash: await hashSecret('242424') }, at);
  const admin = insertUser(deps.db, { name: 'Ada Admin', role: 'admin', secretHash: await hashSecret('111111') }, at);
  const clerk = insertUser(deps.db, { name: 'Cleo Clerk', role: 'clerk', secretHash: await hashSecret('333333') }, at);
  return { deps, sup, sup2, admin, clerk };
}

async function codeOf(f: () => unknown): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    if (e instanceof ContractError) return e.code;
    throw e;
  }
}

describe('refundNeedsApproval', () => {
  it('0 = every refund, for every role', async () => {
    const { deps } = await world();
    for (const role of ['clerk', 'supervisor', 'admin'] as const) {
      expect(refundNeedsApproval(deps, 1, role)).toBe(true);
    }
  });
  it('otherwise at or above the limit', async () => {
    const { deps } = await world({ refundApprovalLimit: 5000 });
    expect(refundNeedsApproval(deps, 4999, 'clerk')).toBe(false);
    expect(refundNeedsApproval(deps, 5000, 'clerk')).toBe(true);
    expect(refundNeedsApproval(deps, 5000, 'supervisor')).toBe(true);
  });
});

describe('verifyApproval', () => {
  it('needs something to check', async () => {
    const { deps, clerk } = await world();
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id }))).toBe('APPROVAL_REQUIRED');
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: 'x', pin: '' }))).toBe('APPROVAL_REQUIRED');
  });

  it('a supervisor or admin approves a clerk’s refund with their PIN', async () => {
    const { deps, sup, admin, clerk } = await world();
    expect(await verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222', target: 'pay_1', detail: 'refund 12.00 USD' })).toEqual({
      supervisorId: sup.id, supervisorName: 'Sam Super',
    });
    expect((await verifyApproval(deps, { requesterId: clerk.id, supervisorId: admin.id, pin: '111111' })).supervisorName).toBe('Ada Admin');
    const rows = deps.db.prepare(`SELECT action, outcome, user_id, target, detail FROM audit ORDER BY seq`).all();
    expect(rows[0]).toEqual({ action: 'approval.granted', outcome: 'success', user_id: clerk.id, target: 'pay_1', detail: 'approver Sam Super; approved; refund 12.00 USD' });
  });

  it('refuses a clerk, an unknown or inactive approver, and a wrong PIN', async () => {
    const { deps, sup, clerk } = await world();
    const other = insertUser(deps.db, { name: 'Other Clerk', role: 'clerk', secretHash: await hashSecret('555555') }, deps.clock.now().toISOString());
    expect(await codeOf(() => verifyApproval(deps, { requesterId: other.id, supervisorId: clerk.id, pin: '333333' }))).toBe('APPROVAL_INVALID');
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: 'ghost', pin: '333333' }))).toBe('APPROVAL_INVALID');
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '999999' }))).toBe('APPROVAL_INVALID');
    deps.db.prepare(`UPDATE users SET active = 0 WHERE id = ?`).run(sup.id);
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' }))).toBe('APPROVAL_INVALID');
    const refused = deps.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'approval.refused' AND outcome = 'failure'`).get() as { n: number };
    expect(refused.n).toBe(4);
  });

  it('self-approval: refused by default, allowed with the own PIN when an admin allows it', async () => {
    const off = await world();
    expect(await codeOf(() => verifyApproval(off.deps, { requesterId: off.sup.id, supervisorId: off.sup.id, pin: '222222' }))).toBe('APPROVAL_INVALID');
    // Another supervisor may approve the supervisor's own refund.
    expect(await codeOf(() => verifyApproval(off.deps, { requesterId: off.sup.id, supervisorId: off.sup2.id, pin: '242424' }))).toBe('ok');

    const on = await world({ allowSelfApproval: true });
    expect((await verifyApproval(on.deps, { requesterId: on.sup.id, supervisorId: on.sup.id, pin: '222222' })).supervisorId).toBe(on.sup.id);
    expect(await codeOf(() => verifyApproval(on.deps, { requesterId: on.sup.id, supervisorId: on.sup.id, pin: '999999' }))).toBe('APPROVAL_INVALID');
    expect(on.deps.db.prepare(`SELECT detail FROM audit WHERE action = 'approval.granted'`).get()).toEqual({ detail: 'approver Sam Super; self-approved' });
  });

  it('wrong approval PINs lock the supervisor out; a locked supervisor cannot approve, even with the right PIN', async () => {
    const { deps, sup, clerk } = await world();
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '864209' }))).toBe('APPROVAL_INVALID');
    }
    let message = '';
    try {
      await verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Sam Super: This account is locked.*30 minutes/);
    deps.clock.advance(30 * MIN);
    expect(await codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' }))).toBe('ok');
    const all = JSON.stringify(deps.db.prepare('SELECT * FROM audit').all());
    expect(all).not.toMatch(/222222|864209|scrypt/);
  });
});
