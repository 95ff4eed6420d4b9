import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { refundNeedsApproval, verifyApproval } from './approval';
import { insertUser } from './users-repo';
import { MIN, testDeps } from './test-kit';

function world(settings: Parameters<typeof testDeps>[0] = {}) {
  const deps = testDeps(settings);
  const at = deps.clock.now().toISOString();
  const sup = insertUser(deps.db, { name: 'Sam Super', role: 'supervisor', pin: '222222' }, at);
  const sup2 = insertUser(deps.db, { name: 'Sue Super', role: 'supervisor', pin: '242424' }, at);
  const admin = insertUser(deps.db, { name: 'Ada Admin', role: 'admin', pin: '111111' }, at);
  const clerk = insertUser(deps.db, { name: 'Cleo Clerk', role: 'clerk', pin: '333333' }, at);
  return { deps, sup, sup2, admin, clerk };
}

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof ContractError) return e.code;
    throw e;
  }
}

describe('refundNeedsApproval', () => {
  it('0 = every refund, for every role', () => {
    const { deps } = world();
    for (const role of ['clerk', 'supervisor', 'admin'] as const) {
      expect(refundNeedsApproval(deps, 1, role)).toBe(true);
    }
  });
  it('otherwise at or above the limit', () => {
    const { deps } = world({ refundApprovalLimit: 5000 });
    expect(refundNeedsApproval(deps, 4999, 'clerk')).toBe(false);
    expect(refundNeedsApproval(deps, 5000, 'clerk')).toBe(true);
    expect(refundNeedsApproval(deps, 5000, 'supervisor')).toBe(true);
  });
});

describe('verifyApproval', () => {
  it('needs something to check', () => {
    const { deps, clerk } = world();
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id }))).toBe('APPROVAL_REQUIRED');
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: 'x', pin: '' }))).toBe('APPROVAL_REQUIRED');
  });

  it('a supervisor or admin approves a clerk’s refund with their PIN', () => {
    const { deps, sup, admin, clerk } = world();
    expect(verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222', target: 'pay_1', detail: 'refund 12.00 USD' })).toEqual({
      supervisorId: sup.id, supervisorName: 'Sam Super',
    });
    expect(verifyApproval(deps, { requesterId: clerk.id, supervisorId: admin.id, pin: '111111' }).supervisorName).toBe('Ada Admin');
    const rows = deps.db.prepare(`SELECT action, outcome, user_id, target, detail FROM audit ORDER BY seq`).all();
    expect(rows[0]).toEqual({ action: 'approval.granted', outcome: 'success', user_id: clerk.id, target: 'pay_1', detail: 'approver Sam Super; approved; refund 12.00 USD' });
  });

  it('refuses a clerk, an unknown or inactive approver, and a wrong PIN', () => {
    const { deps, sup, clerk } = world();
    const other = insertUser(deps.db, { name: 'Other Clerk', role: 'clerk', pin: '555555' }, deps.clock.now().toISOString());
    expect(codeOf(() => verifyApproval(deps, { requesterId: other.id, supervisorId: clerk.id, pin: '333333' }))).toBe('APPROVAL_INVALID');
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: 'ghost', pin: '333333' }))).toBe('APPROVAL_INVALID');
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '999999' }))).toBe('APPROVAL_INVALID');
    deps.db.prepare(`UPDATE users SET active = 0 WHERE id = ?`).run(sup.id);
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' }))).toBe('APPROVAL_INVALID');
    const refused = deps.db.prepare(`SELECT count(*) AS n FROM audit WHERE action = 'approval.refused' AND outcome = 'failure'`).get() as { n: number };
    expect(refused.n).toBe(4);
  });

  it('self-approval: refused by default, allowed with the own PIN when an admin allows it', () => {
    const off = world();
    expect(codeOf(() => verifyApproval(off.deps, { requesterId: off.sup.id, supervisorId: off.sup.id, pin: '222222' }))).toBe('APPROVAL_INVALID');
    // Another supervisor may approve the supervisor's own refund.
    expect(codeOf(() => verifyApproval(off.deps, { requesterId: off.sup.id, supervisorId: off.sup2.id, pin: '242424' }))).toBe('ok');

    const on = world({ allowSelfApproval: true });
    expect(verifyApproval(on.deps, { requesterId: on.sup.id, supervisorId: on.sup.id, pin: '222222' }).supervisorId).toBe(on.sup.id);
    expect(codeOf(() => verifyApproval(on.deps, { requesterId: on.sup.id, supervisorId: on.sup.id, pin: '999999' }))).toBe('APPROVAL_INVALID');
    expect(on.deps.db.prepare(`SELECT detail FROM audit WHERE action = 'approval.granted'`).get()).toEqual({ detail: 'approver Sam Super; self-approved' });
  });

  it('wrong approval PINs lock the supervisor out; a locked supervisor cannot approve, even with the right PIN', () => {
    const { deps, sup, clerk } = world();
    for (let i = 0; i < 10; i++) {
      expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '864209' }))).toBe('APPROVAL_INVALID');
    }
    let message = '';
    try {
      verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Sam Super: This account is locked.*30 minutes/);
    deps.clock.advance(30 * MIN);
    expect(codeOf(() => verifyApproval(deps, { requesterId: clerk.id, supervisorId: sup.id, pin: '222222' }))).toBe('ok');
    const all = JSON.stringify(deps.db.prepare('SELECT * FROM audit').all());
    expect(all).not.toMatch(/222222|864209|scrypt/);
  });
});
